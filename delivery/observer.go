package delivery

import (
	"context"
	"errors"

	"github.com/riverqueue/river/rivertype"
)

// Observer is told what delivery does, for monitoring. It hears counts by
// kind and outcome only: never an address, a name, a token or whose email
// it was.
type Observer interface {
	// EmailAttempted is one attempt to send an email of a job kind (see
	// EmailKinds), with its outcome (OutcomeSent, …).
	EmailAttempted(kind, outcome string)
	// GroupsReleased is n residents' groups released at their windows'
	// close by one run of the release job.
	GroupsReleased(n int)
}

// Outcomes of an email attempt, as Observer hears them.
const (
	// OutcomeSent: the mail server accepted the message.
	OutcomeSent = "sent"
	// OutcomeRetrying: the attempt failed and the job will try again.
	OutcomeRetrying = "retrying"
	// OutcomeFailed: refused for good, or the last attempt failed.
	OutcomeFailed = "failed"
	// OutcomeNotSent: no mail server is configured; the email went to the log.
	OutcomeNotSent = "not_sent"
)

// EmailKinds are the job kinds that send an email.
func EmailKinds() []string {
	return []string{SendLinkArgs{}.Kind(), SendReminderArgs{}.Kind(), SendPasswordLinkArgs{}.Kind(), SendFeedbackReadyArgs{}.Kind(),
		SendSecondFactorResetArgs{}.Kind()}
}

// send hands one email to the mailer and tells the observer the outcome.
func (s *Service) send(ctx context.Context, job *rivertype.JobRow, m Message) error {
	err := s.cfg.Mailer.Send(ctx, m)
	if s.cfg.Observer != nil {
		s.cfg.Observer.EmailAttempted(job.Kind, emailOutcome(job, err))
	}
	return err
}

// emailOutcome names what an attempt's error means for its job.
func emailOutcome(job *rivertype.JobRow, err error) string {
	switch {
	case err == nil:
		return OutcomeSent
	case errors.Is(err, ErrNotSent):
		return OutcomeNotSent
	case errors.Is(err, ErrPermanent) || job.Attempt >= job.MaxAttempts:
		return OutcomeFailed
	}
	return OutcomeRetrying
}

// JobKinds are every job kind the service runs (a test holds the list to
// the workers the service registers).
func JobKinds() []string {
	return append(EmailKinds(), ExpireLinksArgs{}.Kind(), MixArgs{}.Kind(), ReleaseArgs{}.Kind(), RetentionArgs{}.Kind())
}
