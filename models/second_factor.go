package models

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TOTPIssuer names the service in authenticator apps.
const TOTPIssuer = "Mentorpulse"

// totpPeriod is the RFC 6238 time step; codes one step either side of now
// are accepted, for clocks that drift and users who type slowly.
const totpPeriod = 30

// totpOpts are the code parameters every authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// SecondFactor is a user's TOTP enrolment (table second_factors). Secret
// and PendingSecret are sealed (totp_seal.go).
type SecondFactor struct {
	UserID        int64 `gorm:"primaryKey"`
	Secret        *string
	PendingSecret *string
	LastStep      int64 `gorm:"not null"`
	EnrolledAt    *time.Time
	UpdatedAt     time.Time
}

// Refusals of a code. All are unauthorized: the caller counts them against
// the rate limit like a wrong password.
var (
	ErrCodeWrong  = surveys.Errorf(surveys.EUNAUTHORIZED, "that code is not right; type the 6 digits your authenticator app shows now, or one of your recovery codes")
	ErrCodeReused = surveys.Errorf(surveys.EUNAUTHORIZED, "that code has already been used; wait for your authenticator app to show the next one")
	ErrNoTOTP     = surveys.Errorf(surveys.ECONFLICT, "no second factor is set up for this account")
)

func (d *DB) secondFactor(ctx context.Context, userID int64) (*SecondFactor, error) {
	var f SecondFactor
	err := d.db(ctx).Where("user_id = ?", userID).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &SecondFactor{UserID: userID}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read second factor: %w", err)
	}
	return &f, nil
}

// HasSecondFactor reports whether the user has a confirmed TOTP secret.
func (d *DB) HasSecondFactor(ctx context.Context, userID int64) (bool, error) {
	f, err := d.secondFactor(ctx, userID)
	if err != nil {
		return false, err
	}
	return f.Secret != nil, nil
}

// SecondFactorStatus is what the account page shows of a user's enrolment.
type SecondFactorStatus struct {
	Enrolled      bool
	EnrolledAt    *time.Time
	RecoveryLeft  int
	PendingSecret bool
}

// SecondFactorOf returns a user's enrolment status.
func (d *DB) SecondFactorOf(ctx context.Context, userID int64) (SecondFactorStatus, error) {
	f, err := d.secondFactor(ctx, userID)
	if err != nil {
		return SecondFactorStatus{}, err
	}
	var left int64
	if err := d.db(ctx).Model(&RecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&left).Error; err != nil {
		return SecondFactorStatus{}, fmt.Errorf("count recovery codes: %w", err)
	}
	return SecondFactorStatus{Enrolled: f.Secret != nil, EnrolledAt: f.EnrolledAt, RecoveryLeft: int(left), PendingSecret: f.PendingSecret != nil}, nil
}

// TOTPEnrolment is a secret shown on the enrolment page, not yet confirmed.
type TOTPEnrolment struct {
	Secret string // base32, for typing into an app
	URL    string // otpauth:// URL, for the QR code
}

// StartTOTPEnrolment makes a new pending secret for the user, replacing any
// earlier pending one. A confirmed secret stays in force until the new one
// is confirmed.
func (d *DB) StartTOTPEnrolment(ctx context.Context, u *User) (*TOTPEnrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: u.Email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("generate totp secret: %w", err)
	}
	sealed, err := d.sealTOTP(ctx, u.ID, key.Secret())
	if err != nil {
		return nil, err
	}
	f := SecondFactor{UserID: u.ID, PendingSecret: &sealed, UpdatedAt: d.now()}
	err = d.db(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"pending_secret", "updated_at"})}).Create(&f).Error
	if err != nil {
		return nil, fmt.Errorf("store pending totp secret: %w", err)
	}
	return &TOTPEnrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// PendingTOTPEnrolment returns the pending secret again (the enrolment page
// reloaded), or ENOTFOUND when there is none.
func (d *DB) PendingTOTPEnrolment(ctx context.Context, u *User) (*TOTPEnrolment, error) {
	f, err := d.secondFactor(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if f.PendingSecret == nil {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "no enrolment is under way")
	}
	secret, err := d.openTOTP(ctx, u.ID, *f.PendingSecret)
	if err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: secret, URL: totpURL(u.Email, secret)}, nil
}

// totpURL is the otpauth URL of a secret, written as totp.Generate writes
// it (Key Uri Format).
func totpURL(account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", TOTPIssuer)
	v.Set("period", "30")
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + TOTPIssuer + ":" + account, RawQuery: v.Encode()}).String()
}

// ConfirmTOTPEnrolment checks a code against the pending secret and, when
// it matches, makes that secret the user's second factor and replaces the
// recovery codes with ten new ones, returned here and never again. The
// code's time step counts as used.
func (d *DB) ConfirmTOTPEnrolment(ctx context.Context, userID int64, code string) ([]string, error) {
	var codes []string
	err := d.WithTx(ctx, func(ctx context.Context) error {
		f, err := d.secondFactor(ctx, userID)
		if err != nil {
			return err
		}
		if f.PendingSecret == nil {
			return surveys.Errorf(surveys.ECONFLICT, "start again: no enrolment is under way")
		}
		secret, err := d.openTOTP(ctx, userID, *f.PendingSecret)
		if err != nil {
			return err
		}
		step, ok := matchTOTP(secret, code, d.now())
		if !ok {
			return ErrCodeWrong
		}
		now := d.now()
		err = d.db(ctx).Model(&SecondFactor{}).Where("user_id = ?", userID).Updates(map[string]any{
			"secret": *f.PendingSecret, "pending_secret": nil, "last_step": step, "enrolled_at": now, "updated_at": now}).Error
		if err != nil {
			return fmt.Errorf("confirm totp: %w", err)
		}
		codes, err = d.replaceRecoveryCodes(ctx, userID)
		return err
	})
	return codes, err
}

// matchTOTP finds the time step, now or one either side, whose code is
// code.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	for _, delta := range []int64{0, -1, 1} {
		step := now.Unix()/totpPeriod + delta
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// CheckTOTP accepts a code of the user's confirmed secret once: a code of a
// time step at or before the last accepted one is refused as reused, so a
// code seen over a shoulder or in a phishing proxy cannot be played again.
// The step is recorded by a conditional update, so two requests racing
// with one code cannot both pass.
func (d *DB) CheckTOTP(ctx context.Context, userID int64, code string) error {
	f, err := d.secondFactor(ctx, userID)
	if err != nil {
		return err
	}
	if f.Secret == nil {
		return ErrNoTOTP
	}
	secret, err := d.openTOTP(ctx, userID, *f.Secret)
	if err != nil {
		return err
	}
	step, ok := matchTOTP(secret, code, d.now())
	if !ok {
		return ErrCodeWrong
	}
	res := d.db(ctx).Model(&SecondFactor{}).Where("user_id = ? AND last_step < ?", userID, step).
		Updates(map[string]any{"last_step": step, "updated_at": d.now()})
	if res.Error != nil {
		return fmt.Errorf("record totp step: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrCodeReused
	}
	return nil
}

// CheckSecondFactor accepts a TOTP code or an unused recovery code (which
// is then spent) and says which it was.
func (d *DB) CheckSecondFactor(ctx context.Context, userID int64, code string) (recovery bool, err error) {
	if looksLikeRecoveryCode(code) {
		return true, d.UseRecoveryCode(ctx, userID, code)
	}
	return false, d.CheckTOTP(ctx, userID, code)
}

// ResetSecondFactor removes a user's TOTP secret, recovery codes and any
// sign-in waiting for a code: the next sign-in needs the password only,
// then enrolment when the program requires a second factor.
func (d *DB) ResetSecondFactor(ctx context.Context, userID int64) error {
	return d.WithTx(ctx, func(ctx context.Context) error {
		for _, m := range []any{&SecondFactor{}, &RecoveryCode{}, &PendingSignIn{}} {
			if err := d.db(ctx).Where("user_id = ?", userID).Delete(m).Error; err != nil {
				return fmt.Errorf("reset second factor: %w", err)
			}
		}
		return nil
	})
}

// SecondFactorUsers says which of the users have a confirmed second factor,
// for the roster's reset button.
func (d *DB) SecondFactorUsers(ctx context.Context, userIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var ids []int64
	if err := d.db(ctx).Model(&SecondFactor{}).Where("user_id IN ? AND secret IS NOT NULL", userIDs).Pluck("user_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("read second factors: %w", err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
