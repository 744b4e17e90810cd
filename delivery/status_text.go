package delivery

import "github.com/mentorpulse/mentorpulse/models"

// NotSent reports whether a meeting's stored reason says its email went to
// the server log instead of a mail server.
func NotSent(status string, lastError *string) bool {
	return status == models.DeliveryFailed && lastError != nil && *lastError == ErrNotSent.Error()
}

// Retrying reports whether a meeting's last attempt failed and is being
// tried again: its email (or reminder) is not delivered yet.
func Retrying(status string, lastError *string) bool {
	switch status {
	case models.DeliveryQueued, models.DeliverySent, models.DeliveryReminded:
		return lastError != nil
	}
	return false
}

// StatusText says what became of a meeting's email, in the words the
// delivery view and the roster show: "queued, retrying: <reason>" from the
// first failed attempt, "not sent: no mail server configured" for an email
// written to the log, "failed: <reason>", or the status itself.
func StatusText(status string, lastError *string) string {
	switch {
	case NotSent(status, lastError):
		return *lastError
	case status == models.DeliveryQueued && lastError != nil:
		return "queued, retrying: " + *lastError
	case Retrying(status, lastError):
		return status + ", reminder retrying: " + *lastError
	case status == models.DeliveryFailed && lastError != nil:
		return "failed: " + *lastError
	}
	return status
}

// SetupEmailText says what became of a member's newest setup link's email,
// in the roster's words: "" when it was not emailed (shown on screen, or
// there is none), "password set" once they chose one, else "queued",
// "queued, retrying: <reason>", "sent" or "failed: <reason>". Reasons never
// hold the address or name.
func SetupEmailText(l *models.PasswordLink, hasPassword bool) string {
	switch {
	case l == nil || l.EmailStatus == nil:
		return ""
	case hasPassword:
		return "password set"
	case *l.EmailStatus == models.LinkEmailQueued && l.EmailError != nil:
		return "queued, retrying: " + *l.EmailError
	case *l.EmailStatus == models.LinkEmailFailed && l.EmailError != nil:
		return "failed: " + *l.EmailError
	}
	return *l.EmailStatus
}
