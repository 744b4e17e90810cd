package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// Delivery statuses of a meeting's link. None, queued, sent, reminded and
// failed follow the email; completed, declined and expired follow the link
// and are final.
const (
	DeliveryNone      = "none"
	DeliveryQueued    = "queued"
	DeliverySent      = "sent"
	DeliveryFailed    = "failed"
	DeliveryReminded  = "reminded"
	DeliveryCompleted = "completed"
	DeliveryDeclined  = "declined"
	DeliveryExpired   = "expired"
)

// DeliveryStatuses lists every status in the order a director reads them.
var DeliveryStatuses = []string{DeliveryNone, DeliveryQueued, DeliverySent, DeliveryReminded, DeliveryFailed, DeliveryCompleted, DeliveryDeclined, DeliveryExpired}

// Meeting is a mentoring meeting a resident recorded and the link made for
// it. MenteeID (the rostered mentee the link is for), MenteeEmail,
// MenteeName and SealedToken are set only while the link is pending and
// something may still be sent.
type Meeting struct {
	ID             int64  `gorm:"primaryKey"`
	ResidentID     int64  `gorm:"not null"`
	ProgramID      int64  `gorm:"not null"`
	InvitationID   int64  `gorm:"not null"`
	MeetingDate    string `gorm:"not null"`
	MenteeID       *int64
	MenteeEmail    *string
	MenteeName     *string
	SealedToken    *string
	DedupeKey      *string
	DeliveryStatus string `gorm:"not null"`
	RemindersSent  int    `gorm:"not null"`
	LastError      *string
	SentAt         *time.Time
	CreatedAt      time.Time `gorm:"not null"`
}

// CreateMeeting stores a meeting for a link made in the same transaction. A
// dedupe key already taken is a conflict.
func (d *DB) CreateMeeting(ctx context.Context, m *Meeting) error {
	if m.DeliveryStatus == "" {
		m.DeliveryStatus = DeliveryNone
	}
	m.CreatedAt = d.now()
	if err := d.db(ctx).Create(m).Error; err != nil {
		if isUniqueViolation(err) {
			return ErrMeetingRecorded
		}
		return fmt.Errorf("create meeting: %w", err)
	}
	return nil
}

// ErrMeetingRecorded is returned for a meeting with the same resident,
// mentee email and date as one already recorded.
var ErrMeetingRecorded = surveys.Errorf(surveys.ECONFLICT, "this meeting is already recorded: same resident, mentee email and date")

// MeetingRecorded reports whether a meeting with any of these dedupe keys
// exists (several keys when the server key was changed).
func (d *DB) MeetingRecorded(ctx context.Context, dedupeKeys []string) (bool, error) {
	if len(dedupeKeys) == 0 {
		return false, nil
	}
	var n int64
	if err := d.db(ctx).Model(&Meeting{}).Where("dedupe_key IN ?", dedupeKeys).Count(&n).Error; err != nil {
		return false, fmt.Errorf("find meeting: %w", err)
	}
	return n > 0, nil
}

// MeetingByID returns one meeting.
func (d *DB) MeetingByID(ctx context.Context, id int64) (*Meeting, error) {
	var m Meeting
	err := d.db(ctx).First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "meeting %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find meeting: %w", err)
	}
	return &m, nil
}

// MeetingDelivery is what a delivery job needs to write its email.
type MeetingDelivery struct {
	Meeting
	LinkStatus   string
	ExpiresAt    time.Time
	ResidentName string
	ProgramName  string
	// SurveyLanguages are the program's (SurveyLanguageList): the first is
	// the email's language.
	SurveyLanguages string
	DeliverySettings
}

// LinkOpen reports whether the link can still take a response at now.
func (m *MeetingDelivery) LinkOpen(now time.Time) bool {
	return m.LinkStatus == StatusPending && now.Before(m.ExpiresAt)
}

// MeetingForDelivery returns a meeting with its link, resident and program.
func (d *DB) MeetingForDelivery(ctx context.Context, id int64) (*MeetingDelivery, error) {
	var m MeetingDelivery
	err := d.db(ctx).Raw(`SELECT m.*, i.status AS link_status, i.expires_at, u.name AS resident_name,
			p.name AS program_name, p.survey_languages, p.reminder_after_days, p.max_reminders, p.link_lifetime_days
		FROM meetings m
		JOIN invitations i ON i.id = m.invitation_id
		JOIN users u ON u.id = m.resident_id
		JOIN programs p ON p.id = m.program_id
		WHERE m.id = ?`, id).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "meeting %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find meeting: %w", err)
	}
	return &m, nil
}

// eraseContact is the SET list that forgets who the mentee is and how to
// reach the link. It is applied whenever a link closes or nothing is left to
// send.
const eraseContact = "mentee_id = NULL, mentee_email = NULL, mentee_name = NULL, sealed_token = NULL"

// MarkMeetingSent records that the link's first email went out. It changes
// nothing (false) unless the meeting was still queued, so a job that runs
// again sees the email as sent.
func (d *DB) MarkMeetingSent(ctx context.Context, id int64, lastSend bool) (bool, error) {
	set := "delivery_status = ?, sent_at = ?, last_error = NULL"
	if lastSend {
		set += ", sealed_token = NULL"
	}
	res := d.db(ctx).Exec(`UPDATE meetings SET `+set+` WHERE id = ? AND delivery_status = ?`,
		DeliverySent, d.now(), id, DeliveryQueued)
	if res.Error != nil {
		return false, fmt.Errorf("mark meeting sent: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// MarkMeetingReminded records reminder number n. It changes nothing (false)
// unless reminder n-1 was the last one recorded. After the last reminder
// the sealed token is erased: nothing else will be sent.
func (d *DB) MarkMeetingReminded(ctx context.Context, id int64, n int, lastSend bool) (bool, error) {
	set := "delivery_status = ?, reminders_sent = ?, last_error = NULL"
	if lastSend {
		set += ", sealed_token = NULL"
	}
	res := d.db(ctx).Exec(`UPDATE meetings SET `+set+`
		WHERE id = ? AND reminders_sent = ? AND delivery_status IN (?, ?)`,
		DeliveryReminded, n, id, n-1, DeliverySent, DeliveryReminded)
	if res.Error != nil {
		return false, fmt.Errorf("mark meeting reminded: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// NoteDeliveryError keeps the reason of a failed attempt that will be
// retried, for the director's view.
func (d *DB) NoteDeliveryError(ctx context.Context, id int64, reason string) error {
	err := d.db(ctx).Exec(`UPDATE meetings SET last_error = ? WHERE id = ? AND delivery_status IN (?, ?, ?)`,
		truncate(reason, 500), id, DeliveryQueued, DeliverySent, DeliveryReminded).Error
	if err != nil {
		return fmt.Errorf("note delivery error: %w", err)
	}
	return nil
}

// MarkMeetingFailed records that the link's email could not be delivered and
// will not be tried again. The mentee's contact details are erased: there is
// nothing left to send. A meeting whose link has closed keeps its status.
func (d *DB) MarkMeetingFailed(ctx context.Context, id int64, reason string) (bool, error) {
	res := d.db(ctx).Exec(`UPDATE meetings SET delivery_status = ?, last_error = ?, `+eraseContact+`
		WHERE id = ? AND delivery_status IN (?, ?, ?)`,
		DeliveryFailed, truncate(reason, 500), id, DeliveryQueued, DeliverySent, DeliveryReminded)
	if res.Error != nil {
		return false, fmt.Errorf("mark meeting failed: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// closeMeeting erases the contact details of the meeting whose link just
// closed with status (completed or declined). It runs in the transaction
// that closes the link.
func (d *DB) closeMeeting(ctx context.Context, invitationID int64, status string) error {
	err := d.db(ctx).Exec(`UPDATE meetings SET delivery_status = ?, `+eraseContact+` WHERE invitation_id = ?`,
		status, invitationID).Error
	if err != nil {
		return fmt.Errorf("erase mentee contact: %w", err)
	}
	return nil
}

// expireMeetings erases the contact details of meetings whose link has
// expired. A failed delivery stays failed: that is what the director needs
// to see.
func (d *DB) expireMeetings(ctx context.Context) error {
	err := d.db(ctx).Exec(`UPDATE meetings
		SET delivery_status = CASE WHEN delivery_status = ? THEN delivery_status ELSE ? END, `+eraseContact+`
		WHERE delivery_status NOT IN (?, ?, ?)
		  AND (delivery_status <> ? OR mentee_id IS NOT NULL OR mentee_email IS NOT NULL OR mentee_name IS NOT NULL OR sealed_token IS NOT NULL)
		  AND invitation_id IN (SELECT id FROM invitations WHERE status = ?)`,
		DeliveryFailed, DeliveryExpired,
		DeliveryCompleted, DeliveryDeclined, DeliveryExpired,
		DeliveryFailed,
		StatusExpired).Error
	if err != nil {
		return fmt.Errorf("erase contact of expired meetings: %w", err)
	}
	return nil
}

// truncate keeps at most n runes of s.
func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
