package delivery

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river"
)

// SendSecondFactorResetArgs is the job that tells a user an admin reset
// their second factor. It holds the user's id only; the address is read
// from the user's row when the email goes out.
type SendSecondFactorResetArgs struct {
	UserID int64 `json:"user_id"`
}

// Kind implements river.JobArgs.
func (SendSecondFactorResetArgs) Kind() string { return "send_second_factor_reset" }

// QueueSecondFactorResetNotice queues the email in ctx's transaction, so
// that the reset and its notice commit together. It implements
// accounts.SecondFactorNotices.
func (s *Service) QueueSecondFactorResetNotice(ctx context.Context, userID int64) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		_, err := s.insertJob(ctx, SendSecondFactorResetArgs{UserID: userID}, nil)
		return err
	})
}

type sendSecondFactorResetWorker struct {
	river.WorkerDefaults[SendSecondFactorResetArgs]
	s *Service
}

// Work sends the notice; a user deactivated meanwhile gets none. Logs name
// the user's id, never the address.
func (w *sendSecondFactorResetWorker) Work(ctx context.Context, job *river.Job[SendSecondFactorResetArgs]) error {
	s := w.s
	u, err := s.db.UserByID(ctx, job.Args.UserID)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !u.Active {
		return nil
	}
	msg := s.composeSecondFactorReset(u, job.ID)
	if err := s.send(ctx, job.JobRow, msg); err != nil {
		reason := failureReason(err, u.Email, u.Name)
		s.log.Warn("second factor reset email attempt failed", "user_id", u.ID, "attempt", job.Attempt, "reason", reason)
		if errors.Is(err, ErrPermanent) || errors.Is(err, ErrNotSent) {
			return river.JobCancel(errors.New(reason))
		}
		return errors.New(reason)
	}
	s.log.Info("second factor reset email sent", "user_id", u.ID)
	return nil
}

// composeSecondFactorReset writes the notice. It names no admin: the user
// asks their program if the reset was not theirs to expect.
func (s *Service) composeSecondFactorReset(u *models.User, jobID int64) Message {
	hello := "Hello,"
	if u.Name != "" {
		hello = "Hello " + u.Name + ","
	}
	body := fmt.Sprintf("An administrator removed the second factor (authenticator app and recovery codes) of the Mentorpulse account %s on %s.\n\n"+
		"Your next sign-in needs only your password; if your program requires a second factor you will set up a new one then.\n\n"+
		"If you did not ask for this, tell your program director or administrator at once.\n", u.Email, s.db.Now().UTC().Format(time.DateOnly))
	return Message{From: s.cfg.From, To: u.Email, ToName: u.Name, Subject: "Your Mentorpulse second factor was reset",
		Text: hello + "\n\n" + body, ID: "second-factor-reset-" + strconv.FormatInt(jobID, 10) + "@" + s.messageHost()}
}
