package models

import (
	"context"
	"fmt"
	"sort"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// releaseMomentsRow is one row of report_release_moments.
type releaseMomentsRow struct {
	ResidentID        int64
	WindowID          string
	Attribute         string
	Responses         int64
	Sum, SumSq        float64
	Mentees           int64
	Clusters          int64
	EffectiveClusters int64
}

func (r releaseMomentsRow) moments() surveys.ReleaseMoments {
	return surveys.ReleaseMoments{Window: r.WindowID, Attribute: surveys.Attribute(r.Attribute), Moments: surveys.Moments{
		Responses: r.Responses, Sum: r.Sum, SumSq: r.SumSq, Mentees: r.Mentees, Clusters: r.Clusters, EffectiveClusters: r.EffectiveClusters,
	}}
}

// releaseMoments reads the moments of a resident's or a program's (by
// column) releases whose release window lies in the period: at most one row
// per release and attribute.
func (d *DB) releaseMoments(ctx context.Context, column string, id int64, period surveys.Period) ([]releaseMomentsRow, error) {
	var rows []releaseMomentsRow
	err := d.db(ctx).Raw(`SELECT resident_id, window_id, attribute, responses, sum, sum_sq, mentees, clusters,
		effective_clusters FROM report_release_moments
		WHERE `+column+` = ? AND window_id BETWEEN ? AND ?`, id, period.From, period.To).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read release moments: %w", err)
	}
	return rows, nil
}

// residentMoments is releaseMoments of one resident, as the report takes them.
func (d *DB) residentMoments(ctx context.Context, residentID int64, period surveys.Period) ([]surveys.ReleaseMoments, error) {
	rows, err := d.releaseMoments(ctx, "resident_id", residentID, period)
	if err != nil {
		return nil, err
	}
	out := make([]surveys.ReleaseMoments, len(rows))
	for i, r := range rows {
		out[i] = r.moments()
	}
	return out, nil
}

// programResidents groups a program's releases and moments of a period by
// resident, residents by id; releases keep their own windows.
func programResidents(rels []releaseRow, moments []releaseMomentsRow, tallies []tallyRow, s WindowSettings) []surveys.ResidentMoments {
	byID := map[int64]*surveys.ResidentMoments{}
	get := func(id int64) *surveys.ResidentMoments {
		rm := byID[id]
		if rm == nil {
			rm = &surveys.ResidentMoments{ResidentID: id}
			byID[id] = rm
		}
		return rm
	}
	for _, r := range rels {
		rm := get(r.ResidentID)
		rm.Releases = append(rm.Releases, r.release(s))
	}
	for _, m := range moments {
		rm := get(m.ResidentID)
		rm.Moments = append(rm.Moments, m.moments())
	}
	for _, t := range tallies {
		rm := get(t.ResidentID)
		rm.Tallies = append(rm.Tallies, t.tally())
	}
	out := make([]surveys.ResidentMoments, 0, len(byID))
	for _, rm := range byID {
		out = append(out, *rm)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ResidentID < out[j].ResidentID })
	return out
}
