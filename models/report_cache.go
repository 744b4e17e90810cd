package models

import (
	"context"
	"fmt"
	"sync"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// programTallyCache keeps the program-wide tallies a resident report shows
// beside each attribute. They change only when a batch of the program is
// released in the period, and every release adds its responses to
// report_months, so the count and sum of those rows is a version: a cheap
// query decides whether the cached tallies still hold. Each process keeps
// its own cache; the version check makes that safe with several.
type programTallyCache struct {
	mu      sync.Mutex
	entries map[programPeriod]cachedTallies
}

type programPeriod struct {
	program int64
	period  surveys.Period
}

type cachedTallies struct {
	version [2]int64
	tallies []surveys.Tally
}

// maxCachedPeriods bounds the cache; when full it starts again.
const maxCachedPeriods = 1024

// cachedProgramTallies returns programTallies, from the cache when no batch
// of the program was released in the period since it was filled.
func (d *DB) cachedProgramTallies(ctx context.Context, programID int64, period surveys.Period) ([]surveys.Tally, error) {
	var v struct{ Rows, Responses int64 }
	err := d.db(ctx).Raw(`SELECT count(*) AS rows, coalesce(sum(responses), 0) AS responses FROM report_months
		WHERE program_id = ? AND month BETWEEN ? AND ?`, programID, period.From, period.To).Scan(&v).Error
	if err != nil {
		return nil, fmt.Errorf("read program version: %w", err)
	}
	key := programPeriod{programID, period}
	version := [2]int64{v.Rows, v.Responses}
	c := &d.programCache
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.version == version {
		return e.tallies, nil
	}
	tallies, err := d.programTallies(ctx, programID, period)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxCachedPeriods {
		c.entries = map[programPeriod]cachedTallies{}
	}
	c.entries[key] = cachedTallies{version, tallies}
	c.mu.Unlock()
	return tallies, nil
}
