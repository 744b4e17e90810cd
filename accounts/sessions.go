package accounts

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// SessionInfo is one of the signed-in user's sessions as the account page
// and GET /api/v1/sessions show it.
type SessionInfo struct {
	models.Session
	// Current marks the session the request came with.
	Current bool
}

// own is the signed-in user a use case on one's own account acts for: the
// operator has no account of their own, and nobody is unauthorized.
func own(a Actor) (*models.User, error) {
	if a.user == nil {
		return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "sign in to manage your own account")
	}
	return a.user, nil
}

// MySessions lists the actor's live sessions, most recently seen first.
// current is the stored id of the session the request came with ("" for an
// API token), which is marked.
func (s *Service) MySessions(ctx context.Context, a Actor, current string) ([]SessionInfo, error) {
	u, err := own(a)
	if err != nil {
		return nil, err
	}
	ss, err := s.db.UserSessions(ctx, u.ID, s.cfg.SessionLimits)
	if err != nil {
		return nil, err
	}
	out := make([]SessionInfo, 0, len(ss))
	for _, x := range ss {
		out = append(out, SessionInfo{Session: x, Current: current != "" && x.IDHash == current})
	}
	return out, nil
}

// EndSessionInput names a session to end by its public id.
type EndSessionInput struct {
	ID string `json:"id" validate:"required,max=64,text"`
}

// EndMySession ends one of the actor's own sessions, the current one
// included (that is a sign-out). Another user's session is not_found, like
// one that does not exist.
func (s *Service) EndMySession(ctx context.Context, a Actor, in EndSessionInput) (*models.Session, error) {
	u, err := own(a)
	if err != nil {
		return nil, err
	}
	if err := s.v.check(in); err != nil {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "session %s does not exist or has ended", in.ID)
	}
	var ended *models.Session
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if ended, err = s.db.EndUserSession(ctx, u.ID, in.ID, s.cfg.SessionLimits); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionSessionRevoke, Target: userTarget(u.ID),
			ProgramID: u.ProgramID, Detail: "one session: " + deviceLabel(ended.Device)})
	})
	if err != nil {
		return nil, err
	}
	return ended, nil
}

// EndMyOtherSessions ends every session of the actor but the current one
// (stored id; "" with an API token ends them all) and returns how many it
// ended. Ending none is not an error, and is not audited.
func (s *Service) EndMyOtherSessions(ctx context.Context, a Actor, current string) (int64, error) {
	u, err := own(a)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = s.db.EndOtherUserSessions(ctx, u.ID, current); err != nil || n == 0 {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionSessionRevoke, Target: userTarget(u.ID),
			ProgramID: u.ProgramID, Detail: fmt.Sprintf("all other sessions: %d", n)})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// deviceLabel is a session's device as people read it.
func deviceLabel(device string) string {
	if device == "" {
		return "unknown device"
	}
	return device
}
