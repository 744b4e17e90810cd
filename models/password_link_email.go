package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SealPasswordLink stores a link's sealed token until its email is sent.
func (d *DB) SealPasswordLink(ctx context.Context, linkID int64, sealed string) error {
	if err := d.db(ctx).Model(&PasswordLink{}).Where("id = ?", linkID).Update("sealed_token", sealed).Error; err != nil {
		return fmt.Errorf("seal password link: %w", err)
	}
	return nil
}

// EraseSealedPasswordLink forgets a link's sealed token: once the email is
// sent (or can never be), nothing but the recipient's mailbox holds it.
func (d *DB) EraseSealedPasswordLink(ctx context.Context, linkID int64) error {
	if err := d.db(ctx).Model(&PasswordLink{}).Where("id = ?", linkID).Update("sealed_token", nil).Error; err != nil {
		return fmt.Errorf("erase sealed password link: %w", err)
	}
	return nil
}

// PasswordLinkForEmail returns a link and its user for the email job. A
// link that no longer exists is not_found.
func (d *DB) PasswordLinkForEmail(ctx context.Context, linkID int64) (*PasswordLink, *User, error) {
	var l PasswordLink
	err := d.db(ctx).Where("id = ?", linkID).Take(&l).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errPasswordLinkNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find password link: %w", err)
	}
	u, err := d.UserByID(ctx, l.UserID)
	if err != nil {
		return nil, nil, err
	}
	return &l, u, nil
}

// Usable reports whether the link can still set a password at now.
func (l *PasswordLink) Usable(u *User, now time.Time) bool {
	return l.UsedAt == nil && now.Before(l.ExpiresAt) && u != nil && u.Active
}
