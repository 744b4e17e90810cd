package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/mentorpulse/mentorpulse/models"
)

// cmdBackup copies the SQLite database to a new file while the service
// runs (models.DB.Backup); on PostgreSQL it says to use pg_dump.
func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "backup FILE")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// Parse printed the usage already.
			return nil
		}
		return usageError{fmt.Sprintf("backup: %v (see mentorpulse backup --help)", err)}
	}
	if fs.NArg() != 1 {
		return usageError{"backup: name one file to write, e.g. mentorpulse backup mentorpulse-2026-12-01.db"}
	}
	path := fs.Arg(0)
	if dialect, _, err := models.ParseURL(e.cfg.DatabaseURL); err == nil && dialect == models.Postgres {
		return models.ErrBackupPostgres
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, path); err != nil {
		return err
	}
	size := int64(0)
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(e.stdout, "backed up the database to %s (%d bytes); keep MENTORPULSE_SECRET_KEY with it\n", path, size)
	return nil
}
