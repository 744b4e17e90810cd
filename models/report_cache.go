package models

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// programTallyCache keeps the program-wide tallies a resident report shows
// beside each attribute, and every resident's released moments that the
// program-level statistics need. They change only when a group of the program is
// released in the period, and every release adds a row to report_releases,
// so the count and sum of those rows is a version: a cheap query decides
// whether the cached tallies still hold. Each process keeps its own cache;
// the version check makes that safe with several.
type programTallyCache struct {
	mu      sync.Mutex
	entries map[programPeriod]cachedTallies
}

// programPeriod keys the cache: the fit depends on the thresholds too.
type programPeriod struct {
	program                  int64
	period                   surveys.Period
	minResponses, minMentees int
}

type cachedTallies struct {
	version [3]int64
	programFigures
}

// programFigures are what a resident report needs of the whole program.
type programFigures struct {
	tallies  []surveys.Tally
	releases []surveys.Release
	// residents are every resident's releases (in their own windows) and
	// moments, released in the period.
	residents []surveys.ResidentMoments
	// components are the program's variance-component sums, which change
	// only with a release too.
	components map[surveys.Attribute]surveys.ComponentSums
	// fit is the program model fitted to residents and components.
	fit *surveys.ProgramFit
	// For the program report: every release of the period (own windows),
	// every resident's tallies by release window, and the moments rows.
	releaseRows  []releaseRow
	residentRows []tallyRow
	momentRows   []releaseMomentsRow
}

// maxCachedPeriods bounds the cache; when full it starts again. An entry
// holds every resident's released rows of one period (about 1.5 MB for a
// program of 200 residents over a year), so 64 entries stay near 100 MB
// at most; reports mostly ask for the default period and the academic year.
const maxCachedPeriods = 64

// cachedProgramTallies returns programTallies, the program's releases of
// the period (each counted at the period's first month) and its residents'
// moments, from the cache when no group of the program was released in the
// period since it was filled. A release writes its moments in its own
// transaction, so the version covers them.
func (d *DB) cachedProgramTallies(ctx context.Context, p *Program, period surveys.Period) (programFigures, error) {
	var v struct{ Rows, Responses, Last int64 }
	// Every release of the program counts (its variance components are
	// summed over all of them); the responses of the period's. The last
	// id tells a retention purge followed by as many new releases apart.
	err := d.db(ctx).Raw(`SELECT count(*) AS rows, coalesce(sum(CASE WHEN window_id BETWEEN ? AND ? THEN responses END), 0) AS responses,
		coalesce(max(id), 0) AS last
		FROM report_releases WHERE program_id = ?`, period.From, period.To, p.ID).Scan(&v).Error
	if err != nil {
		return programFigures{}, fmt.Errorf("read program version: %w", err)
	}
	key := programPeriod{p.ID, period, p.MinResponses, p.MinMentees}
	version := [3]int64{v.Rows, v.Responses, v.Last}
	c := &d.programCache
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.version == version {
		return e.programFigures, nil
	}
	var residentRows []tallyRow
	err = d.db(ctx).Raw(`SELECT resident_id, window_id, item, attribute, n1, n2, n3, n4, n5, na
		FROM report_released WHERE program_id = ? AND window_id BETWEEN ? AND ?`, p.ID, period.From, period.To).Scan(&residentRows).Error
	if err != nil {
		return programFigures{}, fmt.Errorf("read resident tallies: %w", err)
	}
	rows, err := d.releases(ctx, "program_id", p.ID, period)
	if err != nil {
		return programFigures{}, err
	}
	moments, err := d.releaseMoments(ctx, "program_id", p.ID, period)
	if err != nil {
		return programFigures{}, err
	}
	components, err := d.programComponents(ctx, p.ID)
	if err != nil {
		return programFigures{}, err
	}
	releases := make([]surveys.Release, len(rows))
	for i, r := range rows {
		releases[i] = r.release(p.WindowSettings)
		releases[i].Window.ID = period.From
	}
	// The program's tallies, summed over the period at its first month.
	programItems := map[string]surveys.Tally{}
	for _, t := range residentRows {
		tl := t.tally()
		pt := programItems[tl.Item]
		pt.Window, pt.Item, pt.Attribute = period.From, tl.Item, tl.Attribute
		pt.Counts = pt.Counts.Plus(tl.Counts)
		programItems[tl.Item] = pt
	}
	tallies := make([]surveys.Tally, 0, len(programItems))
	for _, t := range programItems {
		tallies = append(tallies, t)
	}
	sort.Slice(tallies, func(i, j int) bool { return tallies[i].Item < tallies[j].Item })
	residents := programResidents(rows, moments, residentRows, p.WindowSettings)
	f := programFigures{tallies: tallies, releases: releases, residents: residents, components: components,
		fit:         surveys.FitProgram(residents, period, p.MinResponses, p.MinMentees, components),
		releaseRows: rows, residentRows: residentRows, momentRows: moments}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxCachedPeriods {
		c.entries = map[programPeriod]cachedTallies{}
	}
	c.entries[key] = cachedTallies{version, f}
	c.mu.Unlock()
	return f, nil
}
