package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Purposes of a set-password link.
const (
	PurposeSetup = "setup" // a new account chooses its first password
	PurposeReset = "reset" // a forgotten password is replaced
)

// How long a set-password link stays usable. A new member may take days to
// open their first email; a reset is asked for by someone waiting for it,
// and a reset link that lies in a mailbox for days is a way in.
const (
	SetupLinkLifetime = 7 * 24 * time.Hour
	ResetLinkLifetime = time.Hour
)

// PasswordLinkLifetime is how long a link of purpose stays usable.
func PasswordLinkLifetime(purpose string) time.Duration {
	if purpose == PurposeReset {
		return ResetLinkLifetime
	}
	return SetupLinkLifetime
}

// PasswordLink is a single-use link to set a password. Only its token's hash
// is stored.
type PasswordLink struct {
	ID        int64  `gorm:"primaryKey"`
	TokenHash string `gorm:"not null"`
	UserID    int64  `gorm:"not null"`
	Purpose   string `gorm:"not null"`
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	// SealedToken holds the token, sealed with the server key, while an
	// email carrying it waits to be sent.
	SealedToken *string
	// EmailStatus is what became of the link's email (LinkEmailQueued,
	// LinkEmailSent, LinkEmailFailed), nil for a link shown on screen;
	// EmailError is the last failed attempt's reason, without the address.
	EmailStatus *string
	EmailError  *string
}

var (
	errPasswordLinkNotFound = surveys.Errorf(surveys.ENOTFOUND, "This set-password link does not exist. Check that the whole link was copied.")
	errPasswordLinkGone     = surveys.Errorf(surveys.EGONE, "This set-password link was already used or has expired. Ask your program director or an administrator for a new one.")
)

// CreatePasswordLink issues a set-password link for a user and returns its
// token, which exists only here. Older unused links of the user with the
// same purpose stop working, so at most one of each is live at a time: a
// reset, which anyone may ask for by email address, never retires the setup
// link a new member was given (using either link retires the other).
func (d *DB) CreatePasswordLink(ctx context.Context, userID int64, purpose string) (string, *PasswordLink, error) {
	if purpose != PurposeSetup && purpose != PurposeReset {
		return "", nil, fmt.Errorf("create password link: unknown purpose %q", purpose)
	}
	token, hash := surveys.NewToken()
	now := d.now()
	l := &PasswordLink{TokenHash: hash, UserID: userID, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(PasswordLinkLifetime(purpose))}
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.db(ctx).Model(&PasswordLink{}).Where("user_id = ? AND purpose = ? AND used_at IS NULL", userID, purpose).
			Update("used_at", now).Error; err != nil {
			return fmt.Errorf("retire old password links: %w", err)
		}
		if err := d.db(ctx).Create(l).Error; err != nil {
			return fmt.Errorf("create password link: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return token, l, nil
}

// OpenPasswordLink returns a usable link and its user: an unknown token is
// not_found; a used or expired link, or one for a deactivated user, is gone.
func (d *DB) OpenPasswordLink(ctx context.Context, token string) (*PasswordLink, *User, error) {
	if !surveys.WellFormedToken(token) {
		return nil, nil, errPasswordLinkNotFound
	}
	var l PasswordLink
	err := d.db(ctx).Where("token_hash = ?", surveys.HashToken(token)).Take(&l).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errPasswordLinkNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find password link: %w", err)
	}
	if l.UsedAt != nil || !d.now().Before(l.ExpiresAt) {
		return nil, nil, errPasswordLinkGone
	}
	u, err := d.UserByID(ctx, l.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !u.Active {
		return nil, nil, errPasswordLinkGone
	}
	return &l, u, nil
}

// UsePasswordLink sets the user's password through a link and uses the link
// up, in one transaction: the claim is a conditional update, so two
// concurrent uses cannot both succeed. The user's other unused links are
// retired, and every session and API token of the user ends (see
// replacePassword), since a reset usually means the old password may be
// known to someone else.
func (d *DB) UsePasswordLink(ctx context.Context, token, password string) (*User, error) {
	l, u, err := d.OpenPasswordLink(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := CheckPasswordFor(u, password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	err = d.WithTx(ctx, func(ctx context.Context) error {
		now := d.now()
		res := d.db(ctx).Model(&PasswordLink{}).
			Where("id = ? AND used_at IS NULL AND expires_at > ?", l.ID, now).Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("claim password link: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return errPasswordLinkGone
		}
		if err := d.db(ctx).Model(&PasswordLink{}).Where("user_id = ? AND used_at IS NULL", u.ID).
			Update("used_at", now).Error; err != nil {
			return fmt.Errorf("retire other password links: %w", err)
		}
		return d.replacePassword(ctx, u.ID, hash)
	})
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	return u, nil
}

// replacePassword stores a user's new password hash and ends whatever the
// old password opened: every session, and every API token (made while the
// old password was known, possibly by someone else). Call it in a
// transaction; every way of setting a password goes through it.
func (d *DB) replacePassword(ctx context.Context, userID int64, hash string) error {
	if err := d.db(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": hash, "password_set_at": d.now(), "updated_at": d.now()}).Error; err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if err := d.DeleteUserSessions(ctx, userID); err != nil {
		return err
	}
	return d.RevokeUserAPITokens(ctx, userID)
}

// ErrBadCredentials is the one answer to a failed sign-in, whether the email
// is unknown, the password wrong or the account deactivated.
var ErrBadCredentials = surveys.Errorf(surveys.EUNAUTHORIZED, "the email or password is incorrect")

// Authenticate checks an email and password. Every failure is
// ErrBadCredentials and costs one bcrypt comparison, so an unknown email
// cannot be told from a wrong password by the answer or its timing. The user
// is returned with the error when the account exists, for the audit log.
func (d *DB) Authenticate(ctx context.Context, email, password string) (*User, error) {
	u, err := d.UserByEmail(ctx, email)
	if err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
		return nil, err
	}
	hash := dummyHash()
	if u != nil && u.PasswordHash != "" {
		hash = []byte(u.PasswordHash)
	}
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if u == nil {
		return nil, ErrBadCredentials
	}
	if !match || u.PasswordHash == "" || !u.Active {
		return u, ErrBadCredentials
	}
	return u, nil
}
