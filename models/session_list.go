package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// UserSessions lists a user's live sessions, the most recently seen first.
// Sessions past either limit are left out (they are refused anyway and
// purged later).
func (d *DB) UserSessions(ctx context.Context, userID int64, lim SessionLimits) ([]Session, error) {
	lim = lim.withDefaults()
	now := d.now()
	var ss []Session
	err := d.db(ctx).Where("user_id = ? AND expires_at > ? AND last_seen_at > ?", userID, now, now.Add(-lim.Idle)).
		Order("last_seen_at DESC, created_at DESC").Find(&ss).Error
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return ss, nil
}

// EndUserSession ends one of the user's live sessions, named by its
// PublicID, and returns it. Another user's session, an ended one and an
// unknown id are all not_found: nobody learns whether a session exists
// that is not theirs.
func (d *DB) EndUserSession(ctx context.Context, userID int64, publicID string, lim SessionLimits) (*Session, error) {
	ss, err := d.UserSessions(ctx, userID, lim)
	if err != nil {
		return nil, err
	}
	for i := range ss {
		if ss[i].PublicID() != publicID {
			continue
		}
		if err := d.DeleteSessionByHash(ctx, ss[i].IDHash); err != nil {
			return nil, err
		}
		return &ss[i], nil
	}
	return nil, surveys.Errorf(surveys.ENOTFOUND, "session %s does not exist or has ended", publicID)
}

// EndOtherUserSessions ends every session of the user but the one stored as
// keepIDHash ("" ends them all) and returns how many it ended.
func (d *DB) EndOtherUserSessions(ctx context.Context, userID int64, keepIDHash string) (int64, error) {
	res := d.db(ctx).Where("user_id = ? AND id_hash <> ?", userID, keepIDHash).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("end other sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
