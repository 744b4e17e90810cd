package models

// Audit actions of the second factor (docs/accounts.md, "Second factor").
// A sign-in's method and factor go in session.sign_in's detail, e.g.
// "password+totp"; these record changes to the factor itself.
const (
	ActionSecondFactorEnrol    = "second_factor.enrol"
	ActionSecondFactorCodes    = "second_factor.recovery_codes"
	ActionSecondFactorReset    = "second_factor.reset"
	ActionSecondFactorReplaced = "second_factor.replace"
)
