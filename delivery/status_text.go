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
