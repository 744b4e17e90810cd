package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// DefaultAdminEmail names the first admin when MENTORPULSE_ADMIN_EMAIL is
// unset.
const DefaultAdminEmail = "admin@localhost"

// Bootstrap is what EnsureAdmin did on first start.
type Bootstrap struct {
	// Email is the admin account created or completed; empty when an admin
	// who can sign in already existed.
	Email string
	// SetupToken is a set-password link token for the admin, when no password
	// was given. It exists only here.
	SetupToken string
}

// EnsureAdmin makes sure someone can administer the service. When an active
// admin with a password exists it does nothing. Otherwise, with a password
// it creates (or completes) the admin account with it; without one it
// creates the account without a password and returns a set-password token.
// Running it again before the link is used issues a fresh link.
func (d *DB) EnsureAdmin(ctx context.Context, email, password string) (*Bootstrap, error) {
	var n int64
	err := d.db(ctx).Model(&User{}).
		Where("role = ? AND active = ? AND password_hash <> ''", RoleAdmin, true).Count(&n).Error
	if err != nil {
		return nil, fmt.Errorf("count admins: %w", err)
	}
	if n > 0 {
		return &Bootstrap{}, nil
	}
	if email == "" {
		email = DefaultAdminEmail
	}
	var hash string
	if password != "" {
		if hash, err = HashPassword(password); err != nil {
			return nil, fmt.Errorf("MENTORPULSE_ADMIN_PASSWORD: %w", err)
		}
	}
	out := &Bootstrap{}
	err = d.WithTx(ctx, func(ctx context.Context) error {
		u, err := d.UserByEmail(ctx, email)
		if err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
			return err
		}
		switch {
		case err == nil && u.Role != RoleAdmin:
			return fmt.Errorf("bootstrap admin: %s already exists as a %s; choose another MENTORPULSE_ADMIN_EMAIL", u.Email, u.Role)
		case err == nil:
			if err := d.db(ctx).Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"active": true, "updated_at": d.now()}).Error; err != nil {
				return fmt.Errorf("bootstrap admin: %w", err)
			}
			if hash != "" {
				if err := d.replacePassword(ctx, u.ID, hash); err != nil {
					return fmt.Errorf("bootstrap admin: %w", err)
				}
			}
		default:
			u = &User{Email: email, Name: "Administrator", Role: RoleAdmin, PasswordHash: hash}
			if hash != "" {
				now := d.now()
				u.PasswordSetAt = &now
			}
			if err := d.CreateUser(ctx, u); err != nil {
				return fmt.Errorf("bootstrap admin: %w", err)
			}
		}
		out.Email = u.Email
		if hash == "" {
			if out.SetupToken, _, err = d.CreatePasswordLink(ctx, u.ID, PurposeSetup); err != nil {
				return err
			}
		}
		return d.Audit(ctx, AuditEntry{Action: ActionAdminBootstrap, Target: fmt.Sprintf("user:%d", u.ID), Detail: "first start"})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
