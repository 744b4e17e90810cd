package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// PendingSignInTTL is how long a sign-in may wait for its code or its
// enrolment after the password (or single sign-on) step.
const PendingSignInTTL = 15 * time.Minute

// Stages of a pending sign-in.
const (
	StageCode  = "code"  // a TOTP or recovery code is due
	StageEnrol = "enrol" // the user must set up a second factor first
)

// PendingSignIn is a sign-in that passed its first step and is not yet a
// session. Its id is the SHA-256 of the cookie value; it grants nothing but
// the code step, or the enrolment pages at stage enrol.
type PendingSignIn struct {
	IDHash    string `gorm:"primaryKey;column:id_hash"`
	UserID    int64  `gorm:"not null"`
	Stage     string `gorm:"not null"`
	Method    string `gorm:"not null"`
	CSRFToken string `gorm:"column:csrf_token;not null"`
	CreatedAt time.Time
	ExpiresAt time.Time
}

var errNoPending = surveys.Errorf(surveys.EUNAUTHORIZED, "sign in again: the sign-in waiting for a second factor has ended or never began")

// CreatePendingSignIn stores a pending sign-in and returns its cookie value.
// Earlier pending sign-ins of the user end: one browser at a time is
// between the steps.
func (d *DB) CreatePendingSignIn(ctx context.Context, userID int64, stage, method string) (string, *PendingSignIn, error) {
	token, hash := surveys.NewToken()
	now := d.now()
	p := &PendingSignIn{IDHash: hash, UserID: userID, Stage: stage, Method: method, CSRFToken: randomString(),
		CreatedAt: now, ExpiresAt: now.Add(PendingSignInTTL)}
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.db(ctx).Where("user_id = ?", userID).Delete(&PendingSignIn{}).Error; err != nil {
			return err
		}
		return d.db(ctx).Create(p).Error
	})
	if err != nil {
		return "", nil, fmt.Errorf("create pending sign-in: %w", err)
	}
	return token, p, nil
}

// PendingSignInByToken returns a live pending sign-in and its active user;
// an expired one is deleted. Anything else is unauthorized.
func (d *DB) PendingSignInByToken(ctx context.Context, token string) (*PendingSignIn, *User, error) {
	if !surveys.WellFormedToken(token) {
		return nil, nil, errNoPending
	}
	var p PendingSignIn
	err := d.db(ctx).Where("id_hash = ?", surveys.HashToken(token)).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errNoPending
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find pending sign-in: %w", err)
	}
	if !d.now().Before(p.ExpiresAt) {
		if err := d.DeletePendingSignIn(ctx, p.IDHash); err != nil {
			return nil, nil, err
		}
		return nil, nil, errNoPending
	}
	u, err := d.UserByID(ctx, p.UserID)
	if err != nil || !u.Active {
		return nil, nil, errNoPending
	}
	return &p, u, nil
}

// DeletePendingSignIn ends a pending sign-in.
func (d *DB) DeletePendingSignIn(ctx context.Context, idHash string) error {
	if err := d.db(ctx).Where("id_hash = ?", idHash).Delete(&PendingSignIn{}).Error; err != nil {
		return fmt.Errorf("delete pending sign-in: %w", err)
	}
	return nil
}

// DeleteExpiredPendingSignIns removes pending sign-ins past their time and
// returns how many. They are refused anyway (and deleted when seen); this
// removes those whose browser never came back.
func (d *DB) DeleteExpiredPendingSignIns(ctx context.Context) (int64, error) {
	res := d.db(ctx).Where("expires_at <= ?", d.now()).Delete(&PendingSignIn{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired pending sign-ins: %w", res.Error)
	}
	return res.RowsAffected, nil
}
