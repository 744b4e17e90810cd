package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// LinkCounts is how many of one resident's links are in each status, with
// expiry judged at the time of counting (as ListInvitations does).
//
// Note: a live count of completed links moves with each answer, which
// issue 10 forbids showing to residents and directors; pages move to
// ClosedWindowLinks.
type LinkCounts struct {
	ResidentID int64
	Pending    int
	Completed  int
	Expired    int
	Declined   int
}

// Total is the number of links counted.
func (c LinkCounts) Total() int { return c.Pending + c.Completed + c.Expired + c.Declined }

// CountLinks counts links by status per resident, for one program or one
// resident (f.ProgramID, f.ResidentID; f.Status and f.Limit are ignored).
// Residents without links are absent from the map.
func (d *DB) CountLinks(ctx context.Context, f InvitationFilter) (map[int64]LinkCounts, error) {
	now := d.now()
	q := d.db(ctx).Model(&Invitation{}).Select(`resident_id,
		SUM(CASE WHEN status = ? AND expires_at > ? THEN 1 ELSE 0 END) AS pending,
		SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS completed,
		SUM(CASE WHEN status = ? OR (status = ? AND expires_at <= ?) THEN 1 ELSE 0 END) AS expired,
		SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS declined`,
		StatusPending, now, StatusCompleted, StatusExpired, StatusPending, now, StatusDeclined)
	if f.ResidentID != 0 {
		q = q.Where("resident_id = ?", f.ResidentID)
	}
	if f.ProgramID != 0 {
		q = q.Where("program_id = ?", f.ProgramID)
	}
	var rows []LinkCounts
	if err := q.Group("resident_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count links: %w", err)
	}
	out := make(map[int64]LinkCounts, len(rows))
	for _, r := range rows {
		out[r.ResidentID] = r
	}
	return out, nil
}

// WindowLinks is how many of a resident's links were made, answered and
// declined in one closed release window.
type WindowLinks struct {
	ResidentID int64
	WindowID   string
	Created    int64
	Completed  int64
	Declined   int64
}

// ClosedWindowLinks lists a program's (or, with residentID, one resident's)
// link counts per resident and window, for closed windows only: the counts
// of a window still open would move with each answer. Newest window first.
func (d *DB) ClosedWindowLinks(ctx context.Context, p *Program, residentID int64) ([]WindowLinks, error) {
	q := d.db(ctx).Table("window_links").Select("resident_id, window_id, created, completed, declined").
		Where("program_id = ? AND window_id < ?", p.ID, p.WindowOf(d.now()).ID)
	if residentID != 0 {
		q = q.Where("resident_id = ?", residentID)
	}
	var out []WindowLinks
	if err := q.Order("window_id DESC, resident_id").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("count links by window: %w", err)
	}
	return out, nil
}

// closedWindowLinks sums, per resident, the link counts of the period's
// closed windows, for response rates.
func (d *DB) closedWindowLinks(ctx context.Context, p *Program, period surveys.Period) (map[int64]surveys.LinkCounts, error) {
	var rows []struct {
		ResidentID                   int64
		Created, Completed, Declined int64
	}
	err := d.db(ctx).Raw(`SELECT resident_id, sum(created) AS created, sum(completed) AS completed, sum(declined) AS declined
		FROM window_links WHERE program_id = ? AND window_id BETWEEN ? AND ? AND window_id < ? GROUP BY resident_id`,
		p.ID, period.From, period.To, p.WindowOf(d.now()).ID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read link counts: %w", err)
	}
	out := make(map[int64]surveys.LinkCounts, len(rows))
	for _, r := range rows {
		out[r.ResidentID] = surveys.LinkCounts{Created: r.Created, Completed: r.Completed, Declined: r.Declined}
	}
	return out, nil
}
