package models

import (
	"context"
	"fmt"
	"time"
)

// JobCount is how many jobs of one kind are in one state of the job queue.
type JobCount struct {
	Kind  string
	State string
	Count int64
}

// JobCounts counts the job queue's rows by kind and state. River deletes
// finished jobs after a day (cancelled and discarded ones after a week), so
// the table stays small and one grouped scan is cheap enough for every
// scrape and status page.
func (d *DB) JobCounts(ctx context.Context) ([]JobCount, error) {
	var out []JobCount
	err := d.db(ctx).Raw(`SELECT kind, state, count(*) AS count FROM river_job GROUP BY kind, state ORDER BY kind, state`).
		Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	return out, nil
}

// OldestDueJob is when the job that has waited longest for a worker fell
// due: the earliest scheduled time among available and running jobs of the
// given kinds (every kind when none are given). ok is false when no job
// waits.
func (d *DB) OldestDueJob(ctx context.Context, kinds ...string) (at time.Time, kind string, ok bool, err error) {
	q := d.db(ctx).Table("river_job").Select("kind, scheduled_at").
		Where("state IN ?", []string{"available", "running"})
	if len(kinds) > 0 {
		q = q.Where("kind IN ?", kinds)
	}
	var row struct {
		Kind        string
		ScheduledAt time.Time
	}
	res := q.Order("scheduled_at").Limit(1).Scan(&row)
	if res.Error != nil {
		return time.Time{}, "", false, fmt.Errorf("oldest due job: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return time.Time{}, "", false, nil
	}
	return row.ScheduledAt.UTC(), row.Kind, true, nil
}

// MigrationVersion is the number of the last migration applied.
func (d *DB) MigrationVersion(ctx context.Context) (int, error) {
	var v *int
	if err := d.db(ctx).Raw(`SELECT max(version) FROM schema_migrations`).Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("migration version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}
