package surveys

import "strings"

// The public paths that carry a token. Links are built here only, so the
// mail, the command line and the API hand out the same addresses.
const (
	surveyPath      = "/s/"
	setPasswordPath = "/set-password/"
	requestPath     = "/r/"
)

// SurveyURL is a mentee's survey page for a link token, on base (the public
// origin, e.g. https://feedback.example.org; a trailing slash is ignored).
func SurveyURL(base, token string) string {
	return strings.TrimRight(base, "/") + surveyPath + token
}

// SetPasswordURL is the page where a user sets their password with a
// set-password link token, on base (a trailing slash is ignored).
func SetPasswordURL(base, token string) string {
	return strings.TrimRight(base, "/") + setPasswordPath + token
}

// RequestURL is a resident's QR request page for a request code, on base
// (a trailing slash is ignored). The code names the resident; it is not a
// survey token.
func RequestURL(base, code string) string {
	return strings.TrimRight(base, "/") + requestPath + code
}
