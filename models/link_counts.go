package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

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
