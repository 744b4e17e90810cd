package models

import (
	"context"
	"fmt"
)

// LinkCounts is how many of one resident's links are in each status, with
// expiry judged at the time of counting (as ListInvitations does).
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
