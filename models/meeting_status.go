package models

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// MeetingStatus is one meeting as directors and admins see it: its delivery
// status and, for a failure, the reason. It never carries the mentee's email
// or name.
type MeetingStatus struct {
	ID             int64
	ResidentID     int64
	ResidentName   string
	ProgramID      int64
	InvitationID   int64
	MeetingDate    string
	DeliveryStatus string
	RemindersSent  int
	LastError      *string
	SentAt         *time.Time
	CreatedAt      time.Time
	ExpiresAt      time.Time
	LinkStatus     string
	// ShownDelivery is the status residents and directors see (see
	// shownDelivery); DeliveryStatus is the service's own.
	ShownDelivery string
}

// MeetingFilter narrows ListMeetings.
type MeetingFilter struct {
	ProgramID  int64
	ResidentID int64
	Status     string
	// Shown keeps the meetings whose ShownDelivery is this status.
	Shown string
	// Undelivered keeps the meetings whose email failed, or whose last
	// attempt failed and is being retried.
	Undelivered bool
	// RecordedSince keeps the meetings recorded at or after it (zero: all).
	RecordedSince time.Time
	Limit         int
	// Offset skips that many meetings of the order (newest first), for
	// paging.
	Offset int
}

// openDelivery are the statuses a meeting has while its link is pending.
var openDelivery = []string{DeliveryNone, DeliveryQueued, DeliverySent, DeliveryReminded}

// ListMeetings lists meetings newest first. A pending link past its expiry
// shows as expired before the sweeper has marked it.
func (d *DB) ListMeetings(ctx context.Context, f MeetingFilter) ([]MeetingStatus, error) {
	now := d.now()
	q := d.db(ctx).Table("meetings m").
		Select(`m.id, m.resident_id, u.name AS resident_name, m.program_id, m.invitation_id, m.meeting_date,
			m.delivery_status, m.reminders_sent, m.last_error, m.sent_at, m.created_at, i.expires_at, i.status AS link_status`).
		Joins("JOIN invitations i ON i.id = m.invitation_id").
		Joins("JOIN users u ON u.id = m.resident_id")
	if f.ProgramID != 0 {
		q = q.Where("m.program_id = ?", f.ProgramID)
	}
	if f.ResidentID != 0 {
		q = q.Where("m.resident_id = ?", f.ResidentID)
	}
	switch f.Status {
	case "":
	case DeliveryExpired:
		q = q.Where("m.delivery_status = ? OR (m.delivery_status IN ? AND i.status = ? AND i.expires_at <= ?)",
			DeliveryExpired, openDelivery, StatusPending, now)
	default:
		q = q.Where("m.delivery_status = ?", f.Status)
		for _, s := range openDelivery {
			if s == f.Status {
				q = q.Where("NOT (i.status = ? AND i.expires_at <= ?)", StatusPending, now)
			}
		}
	}
	if f.Shown != "" {
		q = q.Where(`(CASE WHEN m.delivery_status = ? AND m.sent_at IS NULL THEN m.delivery_status
			WHEN m.delivery_status IN (?, ?) THEN ?
			WHEN m.delivery_status IN (?, ?) AND NOT (i.status = ? AND i.expires_at <= ?) THEN m.delivery_status
			WHEN m.sent_at IS NOT NULL THEN ? ELSE ? END) = ?`,
			DeliveryFailed, DeliverySent, DeliveryReminded, DeliverySent,
			DeliveryNone, DeliveryQueued, StatusPending, now, DeliverySent, DeliveryFailed, f.Shown)
	}
	if f.Undelivered {
		// Only the link's own email: a reminder is sent only while the
		// link is unanswered, so its failure would tell whether it was.
		q = q.Where("(m.delivery_status = ? AND m.sent_at IS NULL) OR (m.last_error IS NOT NULL AND m.delivery_status = ? AND NOT (i.status = ? AND i.expires_at <= ?))",
			DeliveryFailed, DeliveryQueued, StatusPending, now)
	}
	if !f.RecordedSince.IsZero() {
		q = q.Where("m.created_at >= ?", f.RecordedSince)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	if f.Offset > 0 {
		q = q.Offset(f.Offset)
	}
	var out []MeetingStatus
	if err := q.Order("m.created_at DESC, m.id DESC").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	for i := range out {
		m := &out[i]
		m.ShownDelivery = shownDelivery(m.DeliveryStatus, m.LinkStatus == StatusPending && !now.Before(m.ExpiresAt), m.SentAt)
		m.DeliveryStatus = m.effectiveStatus(now)
	}
	return out, nil
}

func (m *MeetingStatus) effectiveStatus(now time.Time) string {
	for _, s := range openDelivery {
		if m.DeliveryStatus == s && m.LinkStatus == StatusPending && !now.Before(m.ExpiresAt) {
			return DeliveryExpired
		}
	}
	return m.DeliveryStatus
}

// ShownDeliveries are the statuses residents and directors see of a
// meeting: its email's, never its link's.
var ShownDeliveries = []string{DeliveryNone, DeliveryQueued, DeliverySent, DeliveryFailed}

// shownDelivery is the meeting's status as residents and directors see it:
// the email's delivery only (none, queued, sent or failed). Whether the
// mentee answered, declined or let the link lapse, and so whether a
// reminder went, would tell them which meetings make up a released group,
// so a closed link, or a reminder that failed, shows as the link's email
// did: sent, or failed if that email never went (an in-person link that closed shows so too). ListMeetings'
// Shown filter is the same rule in SQL.
func shownDelivery(raw string, lapsed bool, sentAt *time.Time) string {
	switch {
	case raw == DeliveryFailed && sentAt == nil:
		return raw
	case raw == DeliverySent || raw == DeliveryReminded:
		return DeliverySent
	case (raw == DeliveryNone || raw == DeliveryQueued) && !lapsed:
		return raw
	case sentAt != nil:
		return DeliverySent
	}
	return DeliveryFailed
}

// ShownError is the delivery error staff may see: that of the link's own
// email (queued and retrying, or failed). A reminder's error is not shown:
// a reminder goes only to a mentee who has not answered yet.
func (m MeetingStatus) ShownError() *string {
	if m.ShownDelivery == DeliveryQueued || m.ShownDelivery == DeliveryFailed {
		return m.LastError
	}
	return nil
}

// ResidentDelivery counts one resident's meetings by delivery status.
type ResidentDelivery struct {
	ResidentID   int64
	ResidentName string
	Counts       map[string]int
}

// DeliverySummary counts each resident's meetings by delivery status, for
// the director's page. Residents without meetings are left out.
func (d *DB) DeliverySummary(ctx context.Context, programID int64) ([]ResidentDelivery, error) {
	ms, err := d.ListMeetings(ctx, MeetingFilter{ProgramID: programID})
	if err != nil {
		return nil, err
	}
	byResident := map[int64]*ResidentDelivery{}
	var order []int64
	for _, m := range ms {
		rd, ok := byResident[m.ResidentID]
		if !ok {
			rd = &ResidentDelivery{ResidentID: m.ResidentID, ResidentName: m.ResidentName, Counts: map[string]int{}}
			byResident[m.ResidentID] = rd
			order = append(order, m.ResidentID)
		}
		rd.Counts[m.ShownDelivery]++
	}
	out := make([]ResidentDelivery, 0, len(order))
	for _, id := range order {
		out = append(out, *byResident[id])
	}
	sortByName(out)
	return out, nil
}

func sortByName(rs []ResidentDelivery) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].ResidentName != rs[j].ResidentName {
			return rs[i].ResidentName < rs[j].ResidentName
		}
		return rs[i].ResidentID < rs[j].ResidentID
	})
}

// CountRecordedMeetings counts the meetings a resident recorded at or
// after since: a count the resident could keep themselves, and nothing
// about their links.
func (d *DB) CountRecordedMeetings(ctx context.Context, residentID int64, since time.Time) (int64, error) {
	var n int64
	if err := d.db(ctx).Model(&Meeting{}).Where("resident_id = ? AND created_at >= ?", residentID, since).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count recorded meetings: %w", err)
	}
	return n, nil
}
