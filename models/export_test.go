package models

import "context"

// InsertRowForTest stores v as it is, skipping the checks the Create
// functions make, so a test can reach the database's own constraints.
func (d *DB) InsertRowForTest(ctx context.Context, v any) error {
	return d.db(ctx).Create(v).Error
}
