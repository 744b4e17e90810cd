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

// Session lifetimes used when none are configured.
const (
	DefaultSessionIdle   = 8 * time.Hour
	DefaultSessionMaxAge = 7 * 24 * time.Hour
)

// touchEvery is how stale last_seen_at may get before a request updates it:
// one write a minute per session instead of one per request. Idle expiry is
// therefore exact to within this interval.
const touchEvery = time.Minute

// Session is a signed-in browser. Its id is the SHA-256 of the cookie value.
type Session struct {
	IDHash     string `gorm:"primaryKey;column:id_hash"`
	UserID     int64  `gorm:"not null"`
	CSRFToken  string `gorm:"column:csrf_token;not null"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	// Device is a coarse summary of the browser ("Firefox on Windows"),
	// never the user agent itself; "" for a session that did not say.
	Device string `gorm:"not null"`
}

// PublicID names the session on the account page and in the JSON API. It is
// derived from the stored id, so it needs no column, and it is not the
// stored id: someone who reads it (over a shoulder, in a browser's history)
// learns nothing that finds the session's row, let alone its cookie.
func (s Session) PublicID() string {
	return surveys.HashToken("session:" + s.IDHash)[:24]
}

// SessionLimits bounds a session's life: Idle since the last request, MaxAge
// since sign-in. Zero values mean the defaults.
type SessionLimits struct {
	Idle   time.Duration
	MaxAge time.Duration
}

func (l SessionLimits) withDefaults() SessionLimits {
	if l.Idle <= 0 {
		l.Idle = DefaultSessionIdle
	}
	if l.MaxAge <= 0 {
		l.MaxAge = DefaultSessionMaxAge
	}
	return l
}

var errNoSession = surveys.Errorf(surveys.EUNAUTHORIZED, "sign in first; your session has ended or never began")

// CreateSession starts a new session for a user and returns the cookie value,
// which exists only here. Every sign-in gets a new id, so an id planted
// before sign-in is never promoted (session fixation).
func (d *DB) CreateSession(ctx context.Context, userID int64, lim SessionLimits) (string, *Session, error) {
	return d.CreateDeviceSession(ctx, userID, lim, "")
}

// CreateDeviceSession is CreateSession for a browser that named its device
// (a summary such as "Firefox on Windows", shown on the account page).
func (d *DB) CreateDeviceSession(ctx context.Context, userID int64, lim SessionLimits, device string) (string, *Session, error) {
	lim = lim.withDefaults()
	token, hash := surveys.NewToken()
	now := d.now()
	s := &Session{
		IDHash:     hash,
		UserID:     userID,
		CSRFToken:  randomString(),
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(lim.MaxAge),
		Device:     device,
	}
	if err := d.db(ctx).Create(s).Error; err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return token, s, nil
}

// SessionByToken returns a live session and its active user. A session past
// its idle or absolute limit is deleted; it, an unknown token and a
// deactivated user are all unauthorized.
func (d *DB) SessionByToken(ctx context.Context, token string, lim SessionLimits) (*Session, *User, error) {
	if !surveys.WellFormedToken(token) {
		return nil, nil, errNoSession
	}
	lim = lim.withDefaults()
	var s Session
	err := d.db(ctx).Where("id_hash = ?", surveys.HashToken(token)).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	now := d.now()
	if !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(lim.Idle)) {
		if err := d.db(ctx).Where("id_hash = ?", s.IDHash).Delete(&Session{}).Error; err != nil {
			return nil, nil, fmt.Errorf("delete expired session: %w", err)
		}
		return nil, nil, errNoSession
	}
	u, err := d.UserByID(ctx, s.UserID)
	if err != nil || !u.Active {
		return nil, nil, errNoSession
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		s.LastSeenAt = now
		if err := d.db(ctx).Model(&Session{}).Where("id_hash = ?", s.IDHash).Update("last_seen_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return &s, u, nil
}

// DeleteSession ends the session with that cookie value, if it exists.
func (d *DB) DeleteSession(ctx context.Context, token string) error {
	if !surveys.WellFormedToken(token) {
		return nil
	}
	if err := d.db(ctx).Where("id_hash = ?", surveys.HashToken(token)).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessionByHash ends the session with that stored id.
func (d *DB) DeleteSessionByHash(ctx context.Context, idHash string) error {
	if err := d.db(ctx).Where("id_hash = ?", idHash).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user.
func (d *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	if err := d.db(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past either limit and returns how
// many. Expired sessions are refused anyway; this only keeps the table small.
func (d *DB) DeleteExpiredSessions(ctx context.Context, lim SessionLimits) (int64, error) {
	lim = lim.withDefaults()
	now := d.now()
	res := d.db(ctx).Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-lim.Idle)).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// randomString returns 256 random bits, URL-safe.
func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
