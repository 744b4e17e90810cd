package models

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrBackupPostgres is Backup on PostgreSQL, whose own tools do it better.
var ErrBackupPostgres = errors.New("backup copies the embedded SQLite database only; on PostgreSQL use pg_dump " +
	"(e.g. pg_dump --format=custom --file=mentorpulse.dump \"$MENTORPULSE_DATABASE_URL\") and keep MENTORPULSE_SECRET_KEY with it")

// ErrBackupExists is Backup to a path that already names a file: a backup
// never overwrites anything.
var ErrBackupExists = errors.New("the backup file already exists; name a new one")

// Backup writes a consistent copy of the SQLite database to path while the
// service keeps running: VACUUM INTO reads one snapshot (readers never
// block writers in WAL mode) and writes a compact database file, without
// the free pages in which deleted rows could linger. The copy is readable
// by its owner only. It refuses a path that exists and a PostgreSQL
// database (ErrBackupPostgres).
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Dialect == Postgres {
		return ErrBackupPostgres
	}
	if _, err := os.Lstat(path); err == nil {
		return ErrBackupExists
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	pool, err := d.gorm.DB()
	if err != nil {
		return err
	}
	if _, err := pool.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
