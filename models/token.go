package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// APITokenPrefix starts every personal API token, so that secret scanners
// and people can tell what a leaked string is.
const APITokenPrefix = "mpt_"

// APIToken is a personal token for scripts. Only its hash is stored.
type APIToken struct {
	ID         int64  `gorm:"primaryKey"`
	UserID     int64  `gorm:"not null"`
	Name       string `gorm:"not null"`
	TokenHash  string `gorm:"not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName names the table; the default would be "api_tokens" too, but say
// so rather than rely on GORM's pluralisation.
func (APIToken) TableName() string { return "api_tokens" }

var errBadToken = surveys.Errorf(surveys.EUNAUTHORIZED, "the API token is unknown or revoked")

// CreateAPIToken creates a named token for a user and returns it with the
// secret, which exists only here.
func (d *DB) CreateAPIToken(ctx context.Context, userID int64, name string) (*APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return nil, "", surveys.Invalid("the token is not valid", []surveys.FieldError{{Field: "name", Message: "a name of 1 to 100 characters is required"}})
	}
	raw, _ := surveys.NewToken()
	secret := APITokenPrefix + raw
	t := &APIToken{UserID: userID, Name: name, TokenHash: surveys.HashToken(secret), CreatedAt: d.now()}
	if err := d.db(ctx).Create(t).Error; err != nil {
		return nil, "", fmt.Errorf("create API token: %w", err)
	}
	return t, secret, nil
}

// APITokens lists a user's tokens, revoked ones included, newest first.
func (d *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var ts []APIToken
	if err := d.db(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	return ts, nil
}

// RevokeAPIToken revokes one of the user's tokens. Someone else's token is
// not_found; revoking twice is not an error.
func (d *DB) RevokeAPIToken(ctx context.Context, userID, id int64) (*APIToken, error) {
	var t APIToken
	err := d.db(ctx).Where("id = ? AND user_id = ?", id, userID).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "API token %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find API token: %w", err)
	}
	if t.RevokedAt != nil {
		return &t, nil
	}
	now := d.now()
	t.RevokedAt = &now
	if err := d.db(ctx).Model(&APIToken{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
		return nil, fmt.Errorf("revoke API token: %w", err)
	}
	return &t, nil
}

// RevokeUserAPITokens revokes every live token of a user.
func (d *DB) RevokeUserAPITokens(ctx context.Context, userID int64) error {
	err := d.db(ctx).Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", d.now()).Error
	if err != nil {
		return fmt.Errorf("revoke API tokens: %w", err)
	}
	return nil
}

// APITokenUser returns a live token and its active user; anything else is
// unauthorized. last_used_at is written at most once a minute.
func (d *DB) APITokenUser(ctx context.Context, secret string) (*APIToken, *User, error) {
	if !strings.HasPrefix(secret, APITokenPrefix) || !surveys.WellFormedToken(strings.TrimPrefix(secret, APITokenPrefix)) {
		return nil, nil, errBadToken
	}
	var t APIToken
	err := d.db(ctx).Where("token_hash = ? AND revoked_at IS NULL", surveys.HashToken(secret)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errBadToken
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find API token: %w", err)
	}
	u, err := d.UserByID(ctx, t.UserID)
	if err != nil || !u.Active {
		return nil, nil, errBadToken
	}
	now := d.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		t.LastUsedAt = &now
		if err := d.db(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("touch API token: %w", err)
		}
	}
	return &t, u, nil
}
