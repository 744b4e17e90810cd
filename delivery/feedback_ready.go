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

// SendFeedbackReadyArgs is the job that tells a resident their feedback of
// a window was released. It holds the resident's and the window's ids
// only; the email holds no figure, comment or count either.
type SendFeedbackReadyArgs struct {
	ResidentID int64  `json:"resident_id"`
	WindowID   string `json:"window_id"` // the closed window's first month, e.g. "2026-10"
}

// Kind implements river.JobArgs.
func (SendFeedbackReadyArgs) Kind() string { return "send_feedback_ready" }

// feedbackReadyOpts makes the job unique per resident and window, in every
// state but cancelled and discarded: a release retried, or run on two
// instances, never queues a second email.
var feedbackReadyOpts = &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}

// queueFeedbackReady is the release's hook (models.OnRelease): in the
// transaction that releases a resident's group it queues their one
// "feedback ready" email, unless the account is deactivated.
func (s *Service) queueFeedbackReady(ctx context.Context, r models.Released) error {
	u, err := s.db.UserByID(ctx, r.ResidentID)
	if err != nil {
		return err
	}
	if !u.Active {
		return nil
	}
	_, err = s.insertJob(ctx, SendFeedbackReadyArgs{ResidentID: r.ResidentID, WindowID: r.WindowID}, feedbackReadyOpts)
	return err
}

type sendFeedbackReadyWorker struct {
	river.WorkerDefaults[SendFeedbackReadyArgs]
	s *Service
}

func (w *sendFeedbackReadyWorker) Work(ctx context.Context, job *river.Job[SendFeedbackReadyArgs]) error {
	return w.s.sendFeedbackReady(ctx, job.JobRow, job.Args)
}

// sendFeedbackReady emails a resident that a window's feedback is on their
// dashboard. A resident deactivated meanwhile gets nothing. Logs name the
// resident and window ids, never the address.
func (s *Service) sendFeedbackReady(ctx context.Context, job *rivertype.JobRow, a SendFeedbackReadyArgs) error {
	u, err := s.db.UserByID(ctx, a.ResidentID)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !u.Active || u.ProgramID == nil {
		return nil
	}
	p, err := s.db.ProgramByID(ctx, *u.ProgramID)
	if err != nil {
		return err
	}
	w, err := surveys.WindowOfMonth(a.WindowID, p.ReleaseWindow, p.AcademicYearStartMonth)
	if err != nil {
		return river.JobCancel(fmt.Errorf("window %q: %w", a.WindowID, err))
	}
	msg, err := s.composeFeedbackReady(u, w, a)
	if err != nil {
		return err
	}
	if err := s.send(ctx, job, msg); err != nil {
		if errors.Is(err, ErrNotSent) {
			return nil
		}
		reason := failureReason(err, u.Email, u.Name)
		s.log.Warn("feedback ready email attempt failed", "resident_id", u.ID, "window_id", a.WindowID,
			"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "reason", reason)
		permanent := errors.Is(err, ErrPermanent)
		if permanent || job.Attempt >= job.MaxAttempts {
			s.log.Error("feedback ready email failed", "resident_id", u.ID, "window_id", a.WindowID, "reason", reason)
		}
		if permanent {
			return river.JobCancel(errors.New(reason))
		}
		return errors.New(reason)
	}
	s.log.Info("feedback ready email sent", "resident_id", u.ID, "window_id", a.WindowID)
	return nil
}

// composeFeedbackReady builds the email for a resident and window.
func (s *Service) composeFeedbackReady(u *models.User, w surveys.Window, a SendFeedbackReadyArgs) (Message, error) {
	subject, text, html, err := composeFeedbackReadyEmail(feedbackReadyData{
		Name: u.Name, Window: w.Months(), URL: s.cfg.BaseURL + "/dashboard",
	})
	if err != nil {
		return Message{}, fmt.Errorf("compose feedback ready email: %w", err)
	}
	return Message{
		From: s.cfg.From, To: u.Email, ToName: u.Name, Subject: subject, Text: text, HTML: html,
		ID: fmt.Sprintf("feedback-ready-%d-%s@%s", a.ResidentID, a.WindowID, s.messageHost()),
	}, nil
}
