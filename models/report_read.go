package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// maxCommentRows bounds the comments one report carries: those of the
// latest released batches of the period holding up to this many responses.
const maxCommentRows = 200

// ReportResident returns the resident a report is about, or not_found when
// the user is not a resident.
func (d *DB) ReportResident(ctx context.Context, residentID int64) (*User, error) {
	u, err := d.UserByID(ctx, residentID)
	if err != nil {
		return nil, err
	}
	if u.Role != RoleResident || u.ProgramID == nil {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "user %d is not a resident", residentID)
	}
	return u, nil
}

// ResidentReport computes a resident's report over a period. It reads only
// aggregates: a handful of rows per month, whatever the number of responses.
func (d *DB) ResidentReport(ctx context.Context, residentID int64, period surveys.Period) (*surveys.ResidentReport, error) {
	u, err := d.ReportResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	p, err := d.ProgramByID(ctx, *u.ProgramID)
	if err != nil {
		return nil, err
	}
	in := surveys.ResidentInput{
		Resident:     surveys.ResidentRef{ID: u.ID, Name: u.Name, PGYYear: u.PGYYear},
		Period:       period,
		MinResponses: p.MinResponses,
	}
	if in.Months, err = d.releasedMonths(ctx, residentID, period); err != nil {
		return nil, err
	}
	if in.Tallies, err = d.residentTallies(ctx, residentID, period); err != nil {
		return nil, err
	}
	if in.ProgramTallies, err = d.cachedProgramTallies(ctx, p.ID, period); err != nil {
		return nil, err
	}
	var pending []int64
	if err := d.db(ctx).Raw(`SELECT pending FROM report_counters WHERE resident_id = ?`, residentID).Scan(&pending).Error; err != nil {
		return nil, fmt.Errorf("read open batch: %w", err)
	}
	if len(pending) == 1 {
		in.AwaitingRelease = pending[0]
	}
	if in.KeepDoing, in.NextTime, err = d.releasedComments(ctx, residentID, period); err != nil {
		return nil, err
	}
	r := surveys.BuildResidentReport(in)
	return &r, nil
}

func (d *DB) releasedMonths(ctx context.Context, residentID int64, period surveys.Period) (map[string]int64, error) {
	var rows []struct {
		Month     string
		Responses int64
	}
	err := d.db(ctx).Raw(`SELECT month, responses FROM report_months WHERE resident_id = ? AND month BETWEEN ? AND ?`,
		residentID, period.From, period.To).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read released months: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Month] = r.Responses
	}
	return out, nil
}

func (r tallyRow) tally() surveys.Tally {
	return surveys.Tally{Month: r.Month, Item: r.Item, Attribute: surveys.Attribute(r.Attribute), Counts: r.counts()}
}

func (d *DB) residentTallies(ctx context.Context, residentID int64, period surveys.Period) ([]surveys.Tally, error) {
	var rows []tallyRow
	err := d.db(ctx).Raw(`SELECT month, item, attribute, n1, n2, n3, n4, n5, na FROM report_released
		WHERE resident_id = ? AND month BETWEEN ? AND ?`, residentID, period.From, period.To).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read released tallies: %w", err)
	}
	out := make([]surveys.Tally, len(rows))
	for i, r := range rows {
		out[i] = r.tally()
	}
	return out, nil
}

// programTallies sums a program's released tallies over the period, per
// item. They carry the period's first month, which is all a report needs.
func (d *DB) programTallies(ctx context.Context, programID int64, period surveys.Period) ([]surveys.Tally, error) {
	var rows []tallyRow
	err := d.db(ctx).Raw(`SELECT item, attribute, sum(n1) AS n1, sum(n2) AS n2, sum(n3) AS n3, sum(n4) AS n4, sum(n5) AS n5, sum(na) AS na
		FROM report_released WHERE program_id = ? AND month BETWEEN ? AND ? GROUP BY item, attribute`,
		programID, period.From, period.To).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read program tallies: %w", err)
	}
	out := make([]surveys.Tally, len(rows))
	for i, r := range rows {
		r.Month = period.From
		out[i] = r.tally()
	}
	return out, nil
}

// releasedComments returns the comments of the period's released batches:
// the latest batches first, whole batches only, as many as hold at most
// maxCommentRows responses (at least one batch). The report shuffles them.
// Two simple queries rather than one with ORDER BY and LIMIT keep the plan
// good as a prepared statement.
func (d *DB) releasedComments(ctx context.Context, residentID int64, period surveys.Period) (keep, next []string, err error) {
	var batches []struct{ Batch, Responses int }
	err = d.db(ctx).Raw(`SELECT batch, responses FROM report_batches WHERE resident_id = ? AND month BETWEEN ? AND ?
		ORDER BY batch DESC LIMIT ?`, residentID, period.From, period.To, maxCommentRows).Scan(&batches).Error
	if err != nil {
		return nil, nil, fmt.Errorf("read released batches: %w", err)
	}
	var chosen []int
	total := 0
	for _, b := range batches {
		if len(chosen) > 0 && total+b.Responses > maxCommentRows {
			break
		}
		chosen = append(chosen, b.Batch)
		total += b.Responses
	}
	if len(chosen) == 0 {
		return nil, nil, nil
	}
	var rows []struct {
		KeepDoing *string
		NextTime  *string
	}
	err = d.db(ctx).Raw(`SELECT keep_doing, next_time FROM responses
		WHERE resident_id = ? AND batch IN ? AND (keep_doing IS NOT NULL OR next_time IS NOT NULL)`,
		residentID, chosen).Scan(&rows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("read comments: %w", err)
	}
	for _, r := range rows {
		if r.KeepDoing != nil {
			keep = append(keep, *r.KeepDoing)
		}
		if r.NextTime != nil {
			next = append(next, *r.NextTime)
		}
	}
	return keep, next, nil
}

// ProgramReportFilter narrows a program report. PGYYear, when set, keeps
// residents of that year; program-wide figures stay whole-program.
type ProgramReportFilter struct {
	Period  surveys.Period
	PGYYear *int
}

// ProgramReport computes a program director's report: program-wide figures
// and one row per resident, residents by name. Its cost grows with residents
// and months, not with responses.
func (d *DB) ProgramReport(ctx context.Context, programID int64, f ProgramReportFilter) (*surveys.ProgramReport, error) {
	p, err := d.ProgramByID(ctx, programID)
	if err != nil {
		return nil, err
	}
	return d.ProgramReportOf(ctx, p, f)
}

// ProgramReportOf is ProgramReport for a program the caller has already
// loaded (the access check does), saving a read.
func (d *DB) ProgramReportOf(ctx context.Context, p *Program, f ProgramReportFilter) (*surveys.ProgramReport, error) {
	programID := p.ID
	residents, err := d.Residents(ctx, programID)
	if err != nil {
		return nil, err
	}
	var tallies []tallyRow
	err = d.db(ctx).Raw(`SELECT resident_id, item, attribute, sum(n1) AS n1, sum(n2) AS n2, sum(n3) AS n3, sum(n4) AS n4, sum(n5) AS n5, sum(na) AS na
		FROM report_released WHERE program_id = ? AND month BETWEEN ? AND ? GROUP BY resident_id, item, attribute`,
		programID, f.Period.From, f.Period.To).Scan(&tallies).Error
	if err != nil {
		return nil, fmt.Errorf("read resident tallies: %w", err)
	}
	var months []struct {
		ResidentID int64
		Responses  int64
	}
	err = d.db(ctx).Raw(`SELECT resident_id, sum(responses) AS responses FROM report_months
		WHERE program_id = ? AND month BETWEEN ? AND ? GROUP BY resident_id`,
		programID, f.Period.From, f.Period.To).Scan(&months).Error
	if err != nil {
		return nil, fmt.Errorf("read released months: %w", err)
	}
	var links []struct {
		ResidentID                   int64
		Created, Completed, Declined int64
	}
	err = d.db(ctx).Raw(`SELECT resident_id, sum(created) AS created, sum(completed) AS completed, sum(declined) AS declined
		FROM link_stats WHERE program_id = ? AND month BETWEEN ? AND ? GROUP BY resident_id`,
		programID, f.Period.From, f.Period.To).Scan(&links).Error
	if err != nil {
		return nil, fmt.Errorf("read link counts: %w", err)
	}

	in := surveys.ProgramInput{
		Program:       surveys.ProgramRef{ID: p.ID, Name: p.Name},
		Period:        f.Period,
		MinResponses:  p.MinResponses,
		ProgramMonths: map[string]int64{},
	}
	byResident := map[int64]*surveys.ResidentData{}
	for _, u := range residents {
		if f.PGYYear != nil && (u.PGYYear == nil || *u.PGYYear != *f.PGYYear) {
			continue
		}
		in.Residents = append(in.Residents, surveys.ResidentData{
			Resident: surveys.ResidentRef{ID: u.ID, Name: u.Name, PGYYear: u.PGYYear},
			Months:   map[string]int64{},
		})
	}
	for i := range in.Residents {
		byResident[in.Residents[i].Resident.ID] = &in.Residents[i]
	}
	programItems := map[string]surveys.Tally{}
	for _, t := range tallies {
		t.Month = f.Period.From
		tl := t.tally()
		if rd := byResident[t.ResidentID]; rd != nil {
			rd.Tallies = append(rd.Tallies, tl)
		}
		pt := programItems[tl.Item]
		pt.Month, pt.Item, pt.Attribute = tl.Month, tl.Item, tl.Attribute
		pt.Counts = pt.Counts.Plus(tl.Counts)
		programItems[tl.Item] = pt
	}
	for _, it := range reportItems {
		if t, ok := programItems[it.Key]; ok {
			in.ProgramTallies = append(in.ProgramTallies, t)
		}
	}
	for _, m := range months {
		in.ProgramMonths[f.Period.From] += m.Responses
		if rd := byResident[m.ResidentID]; rd != nil {
			rd.Months[f.Period.From] = m.Responses
		}
	}
	for _, l := range links {
		if rd := byResident[l.ResidentID]; rd != nil {
			rd.Links = surveys.LinkCounts{Created: l.Created, Completed: l.Completed, Declined: l.Declined}
		}
	}
	r := surveys.BuildProgramReport(in)
	return &r, nil
}
