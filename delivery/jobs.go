package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// SendLinkArgs is the job that emails a meeting's link. It holds the
// meeting's id only: no address and no token ever sit in the job queue.
type SendLinkArgs struct {
	MeetingID int64 `json:"meeting_id"`
}

// Kind implements river.JobArgs.
func (SendLinkArgs) Kind() string { return "send_survey_link" }

// SendReminderArgs is the job that sends reminder number Number.
type SendReminderArgs struct {
	MeetingID int64 `json:"meeting_id"`
	Number    int   `json:"number"`
}

// Kind implements river.JobArgs.
func (SendReminderArgs) Kind() string { return "send_survey_reminder" }

// ExpireLinksArgs is the periodic sweep that expires overdue links and
// erases their meetings' contact details.
type ExpireLinksArgs struct{}

// Kind implements river.JobArgs.
func (ExpireLinksArgs) Kind() string { return "expire_links" }

type sendLinkWorker struct {
	river.WorkerDefaults[SendLinkArgs]
	s *Service
}

func (w *sendLinkWorker) Work(ctx context.Context, job *river.Job[SendLinkArgs]) error {
	return w.s.deliver(ctx, job.JobRow, job.Args.MeetingID, 0)
}

type sendReminderWorker struct {
	river.WorkerDefaults[SendReminderArgs]
	s *Service
}

func (w *sendReminderWorker) Work(ctx context.Context, job *river.Job[SendReminderArgs]) error {
	if job.Args.Number < 1 {
		return river.JobCancel(fmt.Errorf("reminder number %d", job.Args.Number))
	}
	return w.s.deliver(ctx, job.JobRow, job.Args.MeetingID, job.Args.Number)
}

type expireLinksWorker struct {
	river.WorkerDefaults[ExpireLinksArgs]
	s *Service
}

func (w *expireLinksWorker) Work(ctx context.Context, job *river.Job[ExpireLinksArgs]) error {
	n, err := w.s.db.ExpireLinks(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.s.log.Info("expired links", "count", n)
	}
	return nil
}

// snoozeUntilSent is how long a reminder waits when the first email has not
// gone out yet (it is still being retried).
const snoozeUntilSent = time.Hour

// deliver sends the first email (reminder 0) or reminder n for a meeting.
// Sending is idempotent: the meeting records what was sent, and a job that
// finds its email already recorded, its link closed or its contact erased
// does nothing. Once the server has accepted the message the email counts as
// sent, whatever fails after (the mailer ignores a failed RSET or QUIT, and
// the recording outlives the job's context). What cannot be made atomic is
// the SMTP exchange itself: an instance killed after the server accepted a
// message but before recording it, or a connection lost before the server's
// 250 reached us, sends that message again (with the same Message-ID) on the
// retry.
func (s *Service) deliver(ctx context.Context, job *rivertype.JobRow, meetingID int64, n int) error {
	m, err := s.db.MeetingForDelivery(ctx, meetingID)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	now := s.db.Now().UTC()
	if !m.LinkOpen(now) {
		return nil
	}
	switch {
	case n == 0 && m.DeliveryStatus != models.DeliveryQueued:
		return nil // sent already, or failed for good
	case n > 0 && m.DeliveryStatus == models.DeliveryQueued:
		return river.JobSnooze(snoozeUntilSent)
	case n > 0 && (m.DeliveryStatus != models.DeliverySent && m.DeliveryStatus != models.DeliveryReminded):
		return nil
	case n > 0 && (m.RemindersSent >= n || n > m.MaxReminders):
		return nil
	}
	if m.SealedToken == nil || m.MenteeEmail == nil {
		return nil // erased: nothing left to send
	}
	token, err := s.cfg.Keyring.Open(*m.SealedToken, m.InvitationID)
	if err != nil {
		s.markFailed(ctx, m.ID, err.Error())
		return river.JobCancel(err)
	}
	msg, err := s.compose(m, token, n)
	if err != nil {
		return err
	}
	if err := s.send(ctx, job, msg); err != nil {
		return s.sendFailed(ctx, job, m, n, err)
	}
	// The server has the message: record that even if the job's context
	// ended meanwhile (a slow send, a shutdown), or the retry would send it
	// again.
	recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordSentTimeout)
	defer cancel()
	return s.recordSent(recordCtx, m, n, now)
}

// recordSentTimeout bounds the recording of an email the server accepted.
const recordSentTimeout = 30 * time.Second

// compose builds the email for a meeting.
func (s *Service) compose(m *models.MeetingDelivery, token string, n int) (Message, error) {
	f := emailFacts{
		ResidentName: m.ResidentName,
		ProgramName:  m.ProgramName,
		MeetingDate:  m.MeetingDate,
		URL:          s.surveyURL(token),
		Expires:      m.ExpiresAt,
		Reminder:     n > 0,
		Reminders:    m.MaxReminders,
	}
	if m.MenteeName != nil {
		f.MenteeName = *m.MenteeName
	}
	// The program's first survey language words the email and reminders:
	// one language for every mentee of the program, so the email says
	// nothing about the mentee.
	d := wordEmail(models.SurveyLanguageList(m.SurveyLanguages)[0], f)
	subject, text, html, err := composeEmail(d)
	if err != nil {
		return Message{}, fmt.Errorf("compose email: %w", err)
	}
	return Message{
		From: s.cfg.From, To: *m.MenteeEmail, ToName: f.MenteeName,
		Subject: subject, Text: text, HTML: html, ID: s.messageID(m.ID, n),
	}, nil
}

// sendFailed records a failed attempt, with a reason that never holds the
// mentee's address or name. Every failed attempt is one WARN line; a
// permanent refusal, or the last attempt, marks the meeting failed with the
// reason and logs an ERROR; anything else is retried with River's backoff,
// the meeting showing "queued, retrying" meanwhile. An email the LogMailer
// wrote to the log is not sent, and is marked so, without an alarm.
func (s *Service) sendFailed(ctx context.Context, job *rivertype.JobRow, m *models.MeetingDelivery, n int, sendErr error) error {
	name := ""
	if m.MenteeName != nil {
		name = *m.MenteeName
	}
	reason := failureReason(sendErr, *m.MenteeEmail, name)
	if errors.Is(sendErr, ErrNotSent) {
		if _, err := s.db.MarkMeetingFailed(ctx, m.ID, reason); err != nil {
			return err
		}
		return nil
	}
	s.log.Warn("survey email attempt failed", "meeting_id", m.ID, "reminder", n,
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "reason", reason)
	if errors.Is(sendErr, ErrPermanent) {
		s.markFailed(ctx, m.ID, reason)
		return river.JobCancel(errors.New(reason))
	}
	if job.Attempt >= job.MaxAttempts {
		s.markFailed(ctx, m.ID, fmt.Sprintf("gave up after %d attempts: %s", job.Attempt, reason))
		return errors.New(reason)
	}
	if err := s.db.NoteDeliveryError(ctx, m.ID, fmt.Sprintf("attempt %d of %d failed: %s", job.Attempt, job.MaxAttempts, reason)); err != nil {
		s.log.Warn("note delivery error", "meeting_id", m.ID, "err", err)
	}
	return errors.New(reason)
}

// markFailed records that a meeting's email will not be sent, and says so
// in one ERROR line.
func (s *Service) markFailed(ctx context.Context, meetingID int64, reason string) {
	if _, err := s.db.MarkMeetingFailed(ctx, meetingID, reason); err != nil {
		s.log.Error("mark meeting failed", "meeting_id", meetingID, "err", err)
		return
	}
	s.log.Error("survey email failed", "meeting_id", meetingID, "reason", reason)
}

// recordSent records email n and, in the same transaction, schedules the
// next reminder when one is due before the link expires. After the last
// email the sealed token is erased.
func (s *Service) recordSent(ctx context.Context, m *models.MeetingDelivery, n int, now time.Time) error {
	var next time.Time
	if n == 0 {
		// Reminder 1 was scheduled with the meeting.
		if first := m.CreatedAt.Add(m.ReminderAfter()); m.MaxReminders > 0 && first.Before(m.ExpiresAt) {
			next = first
		}
	} else if n < m.MaxReminders {
		if at := now.Add(m.ReminderAfter()); at.Before(m.ExpiresAt) {
			next = at
		}
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		var ok bool
		var err error
		if n == 0 {
			ok, err = s.db.MarkMeetingSent(ctx, m.ID, next.IsZero())
		} else {
			ok, err = s.db.MarkMeetingReminded(ctx, m.ID, n, next.IsZero())
		}
		if err != nil || !ok {
			return err
		}
		s.log.Info("survey email sent", "meeting_id", m.ID, "reminder", n)
		if n == 0 || next.IsZero() {
			return nil
		}
		return s.insertTx(ctx, SendReminderArgs{MeetingID: m.ID, Number: n + 1}, &river.InsertOpts{ScheduledAt: next})
	})
}
