package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// residentCodeBytes is the random part of a QR request code: 128 bits.
const residentCodeBytes = 16

// ResidentCodeLength is the length of an encoded request code.
var ResidentCodeLength = base64.RawURLEncoding.EncodedLen(residentCodeBytes)

// ResidentCode is a resident's QR request code (GET /r/{code}). It names
// the resident to a mentee standing in front of them; it is not a survey
// token and opens nothing by itself. Only its hash is stored.
type ResidentCode struct {
	ResidentID int64     `gorm:"primaryKey;autoIncrement:false"`
	CodeHash   string    `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
}

// ErrNoResidentCode is a code that names no active resident.
var ErrNoResidentCode = surveys.Errorf(surveys.ENOTFOUND, "This request code does not exist. Ask your mentor for their current QR code.")

// NewResidentCode makes a resident a new request code, replacing the old
// one, which stops working at once. The code exists in clear only in the
// return value.
func (d *DB) NewResidentCode(ctx context.Context, residentID int64) (string, *ResidentCode, error) {
	b := make([]byte, residentCodeBytes)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+).
	code := base64.RawURLEncoding.EncodeToString(b)
	rc := &ResidentCode{ResidentID: residentID, CodeHash: surveys.HashToken(code), CreatedAt: d.now()}
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.db(ctx).Where("resident_id = ?", residentID).Delete(&ResidentCode{}).Error; err != nil {
			return fmt.Errorf("revoke request code: %w", err)
		}
		if err := d.db(ctx).Create(rc).Error; err != nil {
			return fmt.Errorf("create request code: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return code, rc, nil
}

// ResidentCodeOf returns a resident's current code (its hash and date).
func (d *DB) ResidentCodeOf(ctx context.Context, residentID int64) (*ResidentCode, error) {
	var rc ResidentCode
	err := d.db(ctx).Where("resident_id = ?", residentID).Take(&rc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "resident %d has no request code", residentID)
	}
	if err != nil {
		return nil, fmt.Errorf("find request code: %w", err)
	}
	return &rc, nil
}

// ResidentByCode returns the active resident whose current code this is; a
// malformed, replaced or unknown code, or one of a deactivated resident, is
// ErrNoResidentCode.
func (d *DB) ResidentByCode(ctx context.Context, code string) (*User, error) {
	if len(code) != ResidentCodeLength || !surveys.URLSafe(code) {
		return nil, ErrNoResidentCode
	}
	var u User
	err := d.db(ctx).Raw(`SELECT u.* FROM users u JOIN resident_codes c ON c.resident_id = u.id
		WHERE c.code_hash = ? AND u.role = ? AND u.active`, surveys.HashToken(code), RoleResident).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoResidentCode
	}
	if err != nil {
		return nil, fmt.Errorf("find request code: %w", err)
	}
	return &u, nil
}
