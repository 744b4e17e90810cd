package models

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// RecoveryCodeCount is how many recovery codes an enrolment gives.
const RecoveryCodeCount = 10

// RecoveryCode is one single-use recovery code, kept as the hex SHA-256 of
// its canonical form. Codes carry 80 random bits, so, unlike passwords,
// they need no slow hash: nobody can try 2^80 guesses against a copy of the
// table.
type RecoveryCode struct {
	ID        int64  `gorm:"primaryKey"`
	UserID    int64  `gorm:"not null"`
	CodeHash  string `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCode returns 80 random bits as 16 base32 letters in groups of
// four: "ABCD-EFGH-IJKL-MNOP".
func newRecoveryCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	s := recoveryEncoding.EncodeToString(b)
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// canonicalRecoveryCode drops spaces and dashes and upper-cases, so that a
// code typed in any of those forms is the same code.
func canonicalRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// looksLikeRecoveryCode tells a recovery code (16 letters and digits) from
// a TOTP code (6 digits).
func looksLikeRecoveryCode(code string) bool { return len(canonicalRecoveryCode(code)) == 16 }

// replaceRecoveryCodes deletes the user's recovery codes and stores ten new
// ones, returned in clear only here.
func (d *DB) replaceRecoveryCodes(ctx context.Context, userID int64) ([]string, error) {
	if err := d.db(ctx).Where("user_id = ?", userID).Delete(&RecoveryCode{}).Error; err != nil {
		return nil, fmt.Errorf("delete recovery codes: %w", err)
	}
	codes := make([]string, RecoveryCodeCount)
	rows := make([]RecoveryCode, RecoveryCodeCount)
	now := d.now()
	for i := range codes {
		codes[i] = newRecoveryCode()
		rows[i] = RecoveryCode{UserID: userID, CodeHash: surveys.HashToken(canonicalRecoveryCode(codes[i])), CreatedAt: now}
	}
	if err := d.db(ctx).Create(&rows).Error; err != nil {
		return nil, fmt.Errorf("store recovery codes: %w", err)
	}
	return codes, nil
}

// RegenerateRecoveryCodes replaces the user's recovery codes after checking
// a current TOTP code (a recovery code will not do: whoever holds one should
// not be able to mint ten more).
func (d *DB) RegenerateRecoveryCodes(ctx context.Context, userID int64, code string) ([]string, error) {
	var codes []string
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.CheckTOTP(ctx, userID, code); err != nil {
			return err
		}
		var err error
		codes, err = d.replaceRecoveryCodes(ctx, userID)
		return err
	})
	return codes, err
}

// UseRecoveryCode spends one unused recovery code of the user. The update
// is conditional on used_at being unset, so a code works exactly once even
// when two requests race with it.
func (d *DB) UseRecoveryCode(ctx context.Context, userID int64, code string) error {
	res := d.db(ctx).Model(&RecoveryCode{}).
		Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, surveys.HashToken(canonicalRecoveryCode(code))).
		Update("used_at", d.now())
	if res.Error != nil {
		return fmt.Errorf("use recovery code: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrCodeWrong
	}
	return nil
}
