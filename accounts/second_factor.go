package accounts

import (
	"context"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// SecondFactorNotices queues the email that tells a user their second
// factor was reset, in the transaction carried by ctx (delivery.Service).
type SecondFactorNotices interface {
	QueueSecondFactorResetNotice(ctx context.Context, userID int64) error
}

// ResetSecondFactor removes a user's TOTP secret and recovery codes, for
// someone who lost their phone and their codes. Only an admin (or the
// operator) may: a director resetting a colleague would let whoever holds a
// director's password remove the factor that guards it. The user's
// sessions end, the reset is audited, and the user is emailed, all in one
// transaction.
func (s *Service) ResetSecondFactor(ctx context.Context, a Actor, userID int64) (*models.User, error) {
	if !a.known() {
		return nil, errSignIn()
	}
	if !a.Admin() {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only an admin may reset a second factor")
	}
	var u *models.User
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if u, err = s.db.UserByID(ctx, userID); err != nil {
			return err
		}
		had, err := s.db.HasSecondFactor(ctx, u.ID)
		if err != nil {
			return err
		}
		if !had {
			return surveys.Errorf(surveys.ECONFLICT, "%s has no second factor to reset", u.Email)
		}
		if err := s.db.ResetSecondFactor(ctx, u.ID); err != nil {
			return err
		}
		if err := s.db.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if s.cfg.SecondFactorNotices != nil {
			if err := s.cfg.SecondFactorNotices.QueueSecondFactorResetNotice(ctx, u.ID); err != nil {
				return err
			}
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionSecondFactorReset, Target: userTarget(u.ID), ProgramID: u.ProgramID})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
