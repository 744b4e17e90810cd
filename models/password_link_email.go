package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// What became of a set-password link's email (password_links.email_status).
const (
	LinkEmailQueued = "queued" // waiting to be sent, or being retried (EmailError says why)
	LinkEmailSent   = "sent"   // the recipient's mail server accepted it
	LinkEmailFailed = "failed" // it will not be sent (EmailError says why)
)

// SealPasswordLink stores a link's sealed token until its email is sent,
// and marks the email queued.
func (d *DB) SealPasswordLink(ctx context.Context, linkID int64, sealed string) error {
	err := d.db(ctx).Model(&PasswordLink{}).Where("id = ?", linkID).
		Updates(map[string]any{"sealed_token": sealed, "email_status": LinkEmailQueued, "email_error": nil}).Error
	if err != nil {
		return fmt.Errorf("seal password link: %w", err)
	}
	return nil
}

// NotePasswordLinkEmailError records why an attempt to send a link's email
// failed while it is retried. The reason must hold no address or name.
func (d *DB) NotePasswordLinkEmailError(ctx context.Context, linkID int64, reason string) error {
	err := d.db(ctx).Model(&PasswordLink{}).Where("id = ? AND email_status = ?", linkID, LinkEmailQueued).
		Update("email_error", reason).Error
	if err != nil {
		return fmt.Errorf("note password link email error: %w", err)
	}
	return nil
}

// FinishPasswordLinkEmail records that a link's email was sent
// (LinkEmailSent, reason nil) or will not be (LinkEmailFailed, with a
// reason that holds no address or name), and erases its sealed token.
func (d *DB) FinishPasswordLinkEmail(ctx context.Context, linkID int64, status string, reason *string) error {
	err := d.db(ctx).Model(&PasswordLink{}).Where("id = ?", linkID).
		Updates(map[string]any{"sealed_token": nil, "email_status": status, "email_error": reason}).Error
	if err != nil {
		return fmt.Errorf("finish password link email: %w", err)
	}
	return nil
}

// LatestSetupLinks returns, per user of userIDs that has one, their newest
// setup link: the one whose email the roster reports.
func (d *DB) LatestSetupLinks(ctx context.Context, userIDs []int64) (map[int64]PasswordLink, error) {
	out := make(map[int64]PasswordLink, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	var ls []PasswordLink
	err := d.db(ctx).Where(`id IN (SELECT max(id) FROM password_links WHERE purpose = ? AND user_id IN ? GROUP BY user_id)`,
		PurposeSetup, userIDs).Find(&ls).Error
	if err != nil {
		return nil, fmt.Errorf("latest setup links: %w", err)
	}
	for _, l := range ls {
		out[l.UserID] = l
	}
	return out, nil
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
