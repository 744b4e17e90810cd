package models

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Delivery defaults for a new program.
const (
	DefaultReminderAfterDays = 3
	DefaultMaxReminders      = 1
	DefaultLinkLifetimeDays  = 14
)

// DeliverySettings are a program's rules for emailed links: one reminder
// after ReminderAfterDays (at most MaxReminders in all), and links that close
// LinkLifetimeDays after they are made.
type DeliverySettings struct {
	ReminderAfterDays int `gorm:"not null" json:"reminder_after_days"`
	MaxReminders      int `gorm:"not null" json:"max_reminders"`
	LinkLifetimeDays  int `gorm:"not null" json:"link_lifetime_days"`
}

// withDefaults fills unset settings. A program created with every setting
// zero gets the defaults, including one reminder; turning reminders off is
// UpdateDeliverySettings with MaxReminders 0.
func (s DeliverySettings) withDefaults() DeliverySettings {
	if s == (DeliverySettings{}) {
		s.MaxReminders = DefaultMaxReminders
	}
	if s.ReminderAfterDays == 0 {
		s.ReminderAfterDays = DefaultReminderAfterDays
	}
	if s.LinkLifetimeDays == 0 {
		s.LinkLifetimeDays = DefaultLinkLifetimeDays
	}
	return s
}

// Validate checks the ranges the database also enforces, with messages a
// person can act on.
func (s DeliverySettings) Validate() error {
	var fields []surveys.FieldError
	if s.ReminderAfterDays < 1 || s.ReminderAfterDays > 60 {
		fields = append(fields, surveys.FieldError{Field: "reminder_after_days", Message: "must be from 1 to 60"})
	}
	if s.MaxReminders < 0 || s.MaxReminders > 5 {
		fields = append(fields, surveys.FieldError{Field: "max_reminders", Message: "must be from 0 to 5"})
	}
	if s.LinkLifetimeDays < 1 || s.LinkLifetimeDays > 60 {
		fields = append(fields, surveys.FieldError{Field: "link_lifetime_days", Message: "must be from 1 to 60"})
	}
	if len(fields) > 0 {
		return surveys.Invalid("the delivery settings are not valid", fields)
	}
	return nil
}

// LinkLifetime is how long a link made now stays open.
func (s DeliverySettings) LinkLifetime() time.Duration {
	return time.Duration(s.LinkLifetimeDays) * 24 * time.Hour
}

// ReminderAfter is the wait before each reminder.
func (s DeliverySettings) ReminderAfter() time.Duration {
	return time.Duration(s.ReminderAfterDays) * 24 * time.Hour
}

// UpdateDeliverySettings changes a program's delivery rules. Links already
// made keep their expiry; reminders already scheduled check MaxReminders
// when they run.
func (d *DB) UpdateDeliverySettings(ctx context.Context, programID int64, s DeliverySettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	res := d.db(ctx).Model(&Program{}).Where("id = ?", programID).Updates(map[string]any{
		"reminder_after_days": s.ReminderAfterDays,
		"max_reminders":       s.MaxReminders,
		"link_lifetime_days":  s.LinkLifetimeDays,
	})
	if res.Error != nil {
		return fmt.Errorf("update delivery settings: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", programID)
	}
	return nil
}
