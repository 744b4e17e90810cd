package models

import (
	"context"
	"fmt"
	"slices"
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
}

// MeetingFilter narrows ListMeetings.
type MeetingFilter struct {
	ProgramID  int64
	ResidentID int64
	Status     string
	// Undelivered keeps the meetings whose email failed, or whose last
	// attempt failed and is being retried.
	Undelivered bool
	Limit       int
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
	if f.Undelivered {
		q = q.Where("m.delivery_status = ? OR (m.last_error IS NOT NULL AND m.delivery_status IN ? AND NOT (i.status = ? AND i.expires_at <= ?))",
			DeliveryFailed, []string{DeliveryQueued, DeliverySent, DeliveryReminded}, StatusPending, now)
	}
	// A status filter applies to the status shown, which only Go knows.
	if f.Limit > 0 && f.Status == "" {
		q = q.Limit(f.Limit)
	}
	var all []MeetingStatus
	if err := q.Order("m.created_at DESC, m.id DESC").Scan(&all).Error; err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	out := all[:0]
	for _, m := range all {
		m.DeliveryStatus = m.effectiveStatus(now)
		if f.Status == "" || m.DeliveryStatus == f.Status {
			out = append(out, m)
		}
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

// effectiveStatus is the status residents and directors see: delivery
// only. Whether a link was answered or declined must not show per meeting
// (issue 10: it tells the members of each released group), so a closed
// link shows what an open one would, sent (or reminded, or in person) until
// its expiry and expired after it. The stored status stays, for the jobs.
func (m *MeetingStatus) effectiveStatus(now time.Time) string {
	s := m.DeliveryStatus
	if s == DeliveryCompleted || s == DeliveryDeclined {
		switch {
		case m.SentAt == nil:
			s = DeliveryNone
		case m.RemindersSent > 0:
			s = DeliveryReminded
		default:
			s = DeliverySent
		}
	}
	if slices.Contains(openDelivery, s) && !now.Before(m.ExpiresAt) {
		return DeliveryExpired
	}
	return s
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
		rd.Counts[m.DeliveryStatus]++
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
