package surveys

import (
	"errors"
	"fmt"
	"time"
)

// MaxMeetingAgeDays is how far back a meeting may be recorded or a link
// dated: feedback on a meeting more than a year old helps nobody, and a
// date such as 0001-01-01 is a typing slip that would sit in every period.
const MaxMeetingAgeDays = 365

// CheckMeetingDate checks a meeting date, YYYY-MM-DD: a real day, within the
// last MaxMeetingAgeDays of now's UTC date and no later than tomorrow (a day
// of slack for time zones ahead of UTC). The error reads after the field's
// name ("meeting_date cannot be in the future: …").
func CheckMeetingDate(date string, now time.Time) error {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return errors.New("must be a date like 2026-11-25")
	}
	y, m, day := now.UTC().Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	switch {
	case d.After(today.AddDate(0, 0, 1)):
		return errors.New("cannot be in the future: record a meeting once it has happened")
	case d.Before(today.AddDate(0, 0, -MaxMeetingAgeDays)):
		return fmt.Errorf("must be within the last %d days", MaxMeetingAgeDays)
	}
	return nil
}
