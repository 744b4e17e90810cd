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
		jobID, err = s.queuePasswordLink(ctx, link.ID, token)
		return err
	})
	return jobID, err
}

// QueueSetupEmail seals a new member's set-password link (made by accounts,
// whose token exists in clear only in its caller) into the link's row and
// queues its email, in ctx's transaction or a new one, so that the link,
// its sealed token and the job commit together. It implements
// accounts.SetupEmails.
func (s *Service) QueueSetupEmail(ctx context.Context, linkID int64, token string) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		_, err := s.queuePasswordLink(ctx, linkID, token)
		return err
	})
}

// queuePasswordLink seals a link's token, marks its email queued and
// enqueues the job, in ctx's transaction.
func (s *Service) queuePasswordLink(ctx context.Context, linkID int64, token string) (int64, error) {
	if err := s.db.SealPasswordLink(ctx, linkID, s.cfg.Keyring.SealPasswordToken(token, linkID)); err != nil {
		return 0, err
	}
	return s.insertJob(ctx, SendPasswordLinkArgs{LinkID: linkID}, nil)
}

// SendsMail reports whether emails go to a mail server, rather than to the
// server log (no MENTORPULSE_SMTP_URL). A new member's link is emailed only
// when they do; otherwise it is shown to whoever added them.
func (s *Service) SendsMail() bool {
	_, logOnly := s.cfg.Mailer.(LogMailer)
	return !logOnly
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
	if !l.Usable(u, s.db.Now()) {
		s.finishPasswordEmail(ctx, l.ID, models.LinkEmailFailed, reasonLinkClosed)
		return nil
	}
	token, err := s.cfg.Keyring.OpenPasswordToken(*l.SealedToken, l.ID)
	if err != nil {
		s.finishPasswordEmail(ctx, l.ID, models.LinkEmailFailed, err.Error())
		s.log.Error("password link email failed", "link_id", l.ID, "user_id", u.ID, "reason", err.Error())
		return river.JobCancel(err)
	}
	msg, err := s.composePasswordLink(l, u, token)
	if err != nil {
		return err
	}
	if err := s.send(ctx, job, msg); err != nil {
		return s.passwordSendFailed(ctx, job, l, u, err)
	}
	s.finishPasswordEmail(ctx, l.ID, models.LinkEmailSent, "")
	s.log.Info("password link email sent", "link_id", l.ID, "user_id", u.ID)
	return nil
}

// reasonLinkClosed is the failure reason of a link used, expired or
// replaced, or whose account was deactivated, before its email went out.
const reasonLinkClosed = "not sent: the link was used, replaced or expired, or the account deactivated, first"

// passwordSendFailed is sendFailed for a set-password email: one WARN line
// per failed attempt, an ERROR when it is given up, and a reason without the
// address or name, stored on the link for the roster. The sealed token is
// erased once nothing will be sent.
func (s *Service) passwordSendFailed(ctx context.Context, job *rivertype.JobRow, l *models.PasswordLink, u *models.User, sendErr error) error {
	reason := failureReason(sendErr, u.Email, u.Name)
	if errors.Is(sendErr, ErrNotSent) {
		s.finishPasswordEmail(ctx, l.ID, models.LinkEmailFailed, reason)
		return nil
	}
	s.log.Warn("password link email attempt failed", "link_id", l.ID, "user_id", u.ID,
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "reason", reason)
	permanent := errors.Is(sendErr, ErrPermanent)
	if permanent || job.Attempt >= job.MaxAttempts {
		final := reason
		if !permanent {
			final = fmt.Sprintf("gave up after %d attempts: %s", job.Attempt, reason)
		}
		s.finishPasswordEmail(ctx, l.ID, models.LinkEmailFailed, final)
		s.log.Error("password link email failed", "link_id", l.ID, "user_id", u.ID, "reason", reason)
		if permanent {
			return river.JobCancel(errors.New(reason))
		}
		return errors.New(reason)
	}
	if err := s.db.NotePasswordLinkEmailError(ctx, l.ID, fmt.Sprintf("attempt %d of %d failed: %s", job.Attempt, job.MaxAttempts, reason)); err != nil {
		s.log.Warn("note password link email error", "link_id", l.ID, "err", err)
	}
	return errors.New(reason)
}

// finishPasswordEmail records a link's email as sent or failed and erases
// its sealed token: once the email is sent, or can never be, nothing but
// the recipient's mailbox holds the token.
func (s *Service) finishPasswordEmail(ctx context.Context, linkID int64, status, reason string) {
	var r *string
	if reason != "" {
		r = &reason
	}
	if err := s.db.FinishPasswordLinkEmail(ctx, linkID, status, r); err != nil {
		s.log.Error("finish password link email", "link_id", linkID, "err", err)
	}
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
