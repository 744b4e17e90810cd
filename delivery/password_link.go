package delivery

import (
	"context"
	"errors"
	"fmt"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// SendPasswordLinkArgs is the job that emails a set-password link. Like the
// survey jobs it holds the link's id only: the token waits sealed in the
// link's row, the address in the user's.
type SendPasswordLinkArgs struct {
	LinkID int64 `json:"link_id"`
}

// Kind implements river.JobArgs.
func (SendPasswordLinkArgs) Kind() string { return "send_password_link" }

// QueuePasswordReset makes a reset link for a user and queues its email, in
// ctx's transaction or a new one: the link, its sealed token and the job are
// stored together or not at all. Older unused links of the user stop working.
func (s *Service) QueuePasswordReset(ctx context.Context, userID int64) (jobID int64, err error) {
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		token, link, err := s.db.CreatePasswordLink(ctx, userID, models.PurposeReset)
		if err != nil {
			return err
		}
		if err := s.db.SealPasswordLink(ctx, link.ID, s.cfg.Keyring.SealPasswordToken(token, link.ID)); err != nil {
			return err
		}
		jobID, err = s.insertJob(ctx, SendPasswordLinkArgs{LinkID: link.ID}, nil)
		return err
	})
	return jobID, err
}

type sendPasswordLinkWorker struct {
	river.WorkerDefaults[SendPasswordLinkArgs]
	s *Service
}

func (w *sendPasswordLinkWorker) Work(ctx context.Context, job *river.Job[SendPasswordLinkArgs]) error {
	return w.s.sendPasswordLink(ctx, job.JobRow, job.Args.LinkID)
}

// sendPasswordLink emails a link once and then erases its sealed token. A
// link used, expired or replaced meanwhile, or whose user was deactivated,
// is not sent. Logs name the link and user ids, never the address.
func (s *Service) sendPasswordLink(ctx context.Context, job *rivertype.JobRow, linkID int64) error {
	l, u, err := s.db.PasswordLinkForEmail(ctx, linkID)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if l.SealedToken == nil {
		return nil // sent already, or given up
	}
	erase := func() {
		if err := s.db.EraseSealedPasswordLink(ctx, l.ID); err != nil {
			s.log.Error("erase sealed password link", "link_id", l.ID, "err", err)
		}
	}
	if !l.Usable(u, s.db.Now()) {
		erase()
		return nil
	}
	token, err := s.cfg.Keyring.OpenPasswordToken(*l.SealedToken, l.ID)
	if err != nil {
		erase()
		s.log.Error("password link email failed", "link_id", l.ID, "user_id", u.ID, "reason", err.Error())
		return river.JobCancel(err)
	}
	msg, err := s.composePasswordLink(l, u, token)
	if err != nil {
		return err
	}
	if err := s.cfg.Mailer.Send(ctx, msg); err != nil {
		return s.passwordSendFailed(job, l, u, err, erase)
	}
	erase()
	s.log.Info("password link email sent", "link_id", l.ID, "user_id", u.ID)
	return nil
}

// passwordSendFailed is sendFailed for a set-password email: one WARN line
// per failed attempt, an ERROR when it is given up, and a reason without the
// address or name. The sealed token is erased once nothing will be sent.
func (s *Service) passwordSendFailed(job *rivertype.JobRow, l *models.PasswordLink, u *models.User, sendErr error, erase func()) error {
	reason := failureReason(sendErr, u.Email, u.Name)
	if errors.Is(sendErr, ErrNotSent) {
		erase()
		return nil
	}
	s.log.Warn("password link email attempt failed", "link_id", l.ID, "user_id", u.ID,
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "reason", reason)
	permanent := errors.Is(sendErr, ErrPermanent)
	if permanent || job.Attempt >= job.MaxAttempts {
		erase()
		s.log.Error("password link email failed", "link_id", l.ID, "user_id", u.ID, "reason", reason)
		if permanent {
			return river.JobCancel(errors.New(reason))
		}
	}
	return errors.New(reason)
}

// composePasswordLink builds the email for a set-password link.
func (s *Service) composePasswordLink(l *models.PasswordLink, u *models.User, token string) (Message, error) {
	d := passwordEmailData{
		Name:    u.Name,
		Email:   u.Email,
		URL:     surveys.SetPasswordURL(s.cfg.BaseURL, token),
		Expires: expiryText(l.ExpiresAt),
		Reset:   l.Purpose == models.PurposeReset,
	}
	subject, text, html, err := composePasswordEmail(d)
	if err != nil {
		return Message{}, fmt.Errorf("compose password email: %w", err)
	}
	return Message{
		From: s.cfg.From, To: u.Email, ToName: u.Name,
		Subject: subject, Text: text, HTML: html, ID: s.passwordMessageID(l.ID),
	}, nil
}
