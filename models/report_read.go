package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Reports read released groups only (report_releases, report_released and
// the comments of released responses): never held answers, never a
// response that is not released, never anything of a window still open.

// maxCommentRows bounds the comments one report carries: those of the
// latest released groups of the period holding up to this many responses.
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

// releaseRow is one row of report_releases.
type releaseRow struct {
	ID, ResidentID                    int64
	WindowID, FirstWindow, LastWindow string
	Responses, Mentees                int64
}

func (r releaseRow) release(s WindowSettings) surveys.Release {
	w, err := surveys.WindowOfMonth(r.WindowID, s.ReleaseWindow, s.AcademicYearStartMonth)
	if err != nil || w.ID != r.WindowID {
		// Released under another window kind: name it by its id alone.
		w = surveys.Window{ID: r.WindowID, From: r.WindowID, To: r.WindowID}
	}
	return surveys.Release{Window: w, FirstWindow: r.FirstWindow, LastWindow: r.LastWindow, Responses: r.Responses, Mentees: r.Mentees}
}

// ResidentReport computes a resident's report over a period, widened to
// the program's whole windows. It reads only aggregates: a handful of rows
// per release, whatever the number of responses.
func (d *DB) ResidentReport(ctx context.Context, residentID int64, period surveys.Period) (*surveys.ResidentReport, error) {
	in, err := d.residentInput(ctx, residentID, period)
	if err != nil {
		return nil, err
	}
	r := surveys.BuildResidentReport(in)
	return &r, nil
}

// residentInput reads what a resident report is computed from.
func (d *DB) residentInput(ctx context.Context, residentID int64, period surveys.Period) (surveys.ResidentInput, error) {
	u, err := d.ReportResident(ctx, residentID)
	if err != nil {
		return surveys.ResidentInput{}, err
	}
	p, err := d.ProgramByID(ctx, *u.ProgramID)
	if err != nil {
		return surveys.ResidentInput{}, err
	}
	period = p.Align(period)
	instruments, err := d.ProgramInstruments(ctx, p.ID)
	if err != nil {
		return surveys.ResidentInput{}, err
	}
	in := surveys.ResidentInput{
		Catalogue:     itemsOf(instruments),
		Instruments:   instruments,
		Resident:      surveys.ResidentRef{ID: u.ID, Name: u.Name, PGYYear: u.PGYYear},
		Period:        period,
		MinResponses:  p.MinResponses,
		MinMentees:    p.MinMentees,
		ReleaseWindow: p.ReleaseWindow,
		Windows:       period.Windows(p.ReleaseWindow, p.AcademicYearStartMonth),
	}
	rels, err := d.releases(ctx, "resident_id", residentID, period)
	if err != nil {
		return surveys.ResidentInput{}, err
	}
	for _, r := range rels {
		in.Releases = append(in.Releases, r.release(p.WindowSettings))
	}
	if in.Tallies, err = d.residentTallies(ctx, residentID, period); err != nil {
		return surveys.ResidentInput{}, err
	}
	if in.Moments, err = d.residentMoments(ctx, residentID, period); err != nil {
		return surveys.ResidentInput{}, err
	}
	pf, err := d.cachedProgramTallies(ctx, p, period)
	if err != nil {
		return surveys.ResidentInput{}, err
	}
	in.ProgramTallies, in.ProgramReleases, in.ProgramResidents, in.Components, in.Fit = pf.tallies, pf.releases, pf.residents, pf.components, pf.fit
	current := p.WindowOf(d.now())
	err = d.db(ctx).Raw(`SELECT count(*) FROM responses r JOIN report_judged j ON j.resident_id = r.resident_id
		WHERE r.resident_id = ? AND r.release_id IS NULL AND r.window_id <= j.window_id AND r.window_id < ?`,
		residentID, current.ID).Scan(&in.AwaitingRelease).Error
	if err != nil {
		return surveys.ResidentInput{}, fmt.Errorf("count carried over: %w", err)
	}
	if in.KeepDoing, in.NextTime, in.Other, err = d.releasedComments(ctx, residentID, rels); err != nil {
		return surveys.ResidentInput{}, err
	}
	return in, nil
}

// releases lists the releases of a resident or a program (by column) whose
// release window lies in the period.
func (d *DB) releases(ctx context.Context, column string, id int64, period surveys.Period) ([]releaseRow, error) {
	var rows []releaseRow
	err := d.db(ctx).Raw(`SELECT id, resident_id, window_id, first_window, last_window, responses, mentees FROM report_releases
		WHERE `+column+` = ? AND window_id BETWEEN ? AND ?`, id, period.From, period.To).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read releases: %w", err)
	}
	return rows, nil
}

func (r tallyRow) tally() surveys.Tally {
	return surveys.Tally{Window: r.WindowID, Item: r.Item, Attribute: surveys.Attribute(r.Attribute), Counts: r.counts()}
}

func (d *DB) residentTallies(ctx context.Context, residentID int64, period surveys.Period) ([]surveys.Tally, error) {
	var rows []tallyRow
	err := d.db(ctx).Raw(`SELECT window_id, item, attribute, n1, n2, n3, n4, n5, na FROM report_released
		WHERE resident_id = ? AND window_id BETWEEN ? AND ?`, residentID, period.From, period.To).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read released tallies: %w", err)
	}
	out := make([]surveys.Tally, len(rows))
	for i, r := range rows {
		out[i] = r.tally()
	}
	return out, nil
}

// releasedComments returns the comments of the given released groups: the
// latest groups first, whole groups only, as many as hold at most
// maxCommentRows responses (at least one group). They are read in the order
// of the responses' random ids, and the report sorts them by a hash of
// their text: nothing of the order in which they were written survives.
func (d *DB) releasedComments(ctx context.Context, residentID int64, rels []releaseRow) (keep, next, other []string, err error) {
	latest := make([]releaseRow, len(rels))
	copy(latest, rels)
	// Newest release window first.
	for i := 1; i < len(latest); i++ {
		for j := i; j > 0 && latest[j].WindowID > latest[j-1].WindowID; j-- {
			latest[j], latest[j-1] = latest[j-1], latest[j]
		}
	}
	var chosen []int64
	var total int64
	for _, r := range latest {
		if len(chosen) > 0 && total+r.Responses > maxCommentRows {
			break
		}
		chosen = append(chosen, r.ID)
		total += r.Responses
	}
	if len(chosen) == 0 {
		return nil, nil, nil, nil
	}
	var rows []struct {
		KeepDoing    *string
		NextTime     *string
		OtherComment *string
	}
	err = d.db(ctx).Raw(`SELECT keep_doing, next_time, other_comment FROM responses
		WHERE resident_id = ? AND release_id IN ? AND (keep_doing IS NOT NULL OR next_time IS NOT NULL OR other_comment IS NOT NULL) ORDER BY id`,
		residentID, chosen).Scan(&rows).Error
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read comments: %w", err)
	}
	for _, r := range rows {
		if r.KeepDoing != nil {
			keep = append(keep, *r.KeepDoing)
		}
		if r.NextTime != nil {
			next = append(next, *r.NextTime)
		}
		if r.OtherComment != nil {
			other = append(other, *r.OtherComment)
		}
	}
	return keep, next, other, nil
}

// ProgramReportFilter narrows a program report. PGYYear, when set, keeps
// residents of that year; program-wide figures stay whole-program.
type ProgramReportFilter struct {
	Period  surveys.Period
	PGYYear *int
}

// ProgramReport computes a program director's report: program-wide figures
// and one row per resident, residents by name. Its cost grows with residents
// and releases, not with responses.
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
	in, err := d.programInput(ctx, p, f)
	if err != nil {
		return nil, err
	}
	r := surveys.BuildProgramReport(in)
	return &r, nil
}

// programInput reads what a program report is computed from.
func (d *DB) programInput(ctx context.Context, p *Program, f ProgramReportFilter) (surveys.ProgramInput, error) {
	period := p.Align(f.Period)
	residents, err := d.Residents(ctx, p.ID)
	if err != nil {
		return surveys.ProgramInput{}, err
	}
	links, err := d.closedWindowLinks(ctx, p, period)
	if err != nil {
		return surveys.ProgramInput{}, err
	}
	pf, err := d.cachedProgramTallies(ctx, p, period)
	if err != nil {
		return surveys.ProgramInput{}, err
	}
	instruments, err := d.ProgramInstruments(ctx, p.ID)
	if err != nil {
		return surveys.ProgramInput{}, err
	}
	in := surveys.ProgramInput{
		Catalogue:        itemsOf(instruments),
		Instruments:      instruments,
		Program:          surveys.ProgramRef{ID: p.ID, Name: p.Name},
		Period:           period,
		MinResponses:     p.MinResponses,
		MinMentees:       p.MinMentees,
		ReleaseWindow:    p.ReleaseWindow,
		ProgramTallies:   pf.tallies,
		ProgramReleases:  pf.releases,
		ProgramResidents: pf.residents,
		Components:       pf.components,
		Fit:              pf.fit,
	}
	byResident := map[int64]*surveys.ResidentData{}
	for _, u := range residents {
		if f.PGYYear != nil && (u.PGYYear == nil || *u.PGYYear != *f.PGYYear) {
			continue
		}
		in.Residents = append(in.Residents, surveys.ResidentData{
			Resident: surveys.ResidentRef{ID: u.ID, Name: u.Name, PGYYear: u.PGYYear},
		})
	}
	for i := range in.Residents {
		byResident[in.Residents[i].Resident.ID] = &in.Residents[i]
	}
	// A resident's tallies, releases and moments keep their release
	// windows: a group counts in the period only whole (surveys decides).
	for _, t := range pf.residentRows {
		if rd := byResident[t.ResidentID]; rd != nil {
			rd.Tallies = append(rd.Tallies, t.tally())
		}
	}
	for _, r := range pf.releaseRows {
		if rd := byResident[r.ResidentID]; rd != nil {
			rd.Releases = append(rd.Releases, r.release(p.WindowSettings))
		}
	}
	for _, m := range pf.momentRows {
		if rd := byResident[m.ResidentID]; rd != nil {
			rd.Moments = append(rd.Moments, m.moments())
		}
	}
	for id, l := range links {
		if rd := byResident[id]; rd != nil {
			rd.Links = l
		}
	}
	return in, nil
}
