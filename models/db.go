// Package models holds the stored types and the data layer: opening the
// database, versioned migrations, transactions and queries. It knows nothing
// of HTTP.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects the data layer speaks.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DefaultURL is used when MENTORPULSE_DATABASE_URL is unset.
const DefaultURL = "sqlite:./mentorpulse.db"

// DB is the data layer. Queries run on the transaction carried by their
// context, if any (see WithTx).
type DB struct {
	gorm    *gorm.DB
	Dialect string
	// Now is the clock; tests replace it.
	Now func() time.Time
	// programCache caches program means for resident reports.
	programCache programTallyCache
	// The PostgreSQL submission statement, prepared on first use (see
	// submitStmt).
	submitMu       sync.Mutex
	submitPrepared *sql.Stmt
	// The key mentee keys are made with, loaded once (see mentee_key.go).
	menteeKeyMu sync.Mutex
	menteeKey   []byte
	// The keys that seal mentee sums of open groups (see sums_seal.go).
	sums sumsKeys
	// Published instrument versions read so far (instrument_version.go).
	instruments instrumentCache
	// The key rate_limits rows are hashed with (rate_limit.go).
	rateKeys rateKeys
}

// ParseURL splits a database URL into dialect and driver DSN.
func ParseURL(url string) (dialect, dsn string, err error) {
	switch {
	case url == "":
		return ParseURL(DefaultURL)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return Postgres, url, nil
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			return "", "", errors.New(`database URL "sqlite:" needs a path, e.g. sqlite:./mentorpulse.db, or sqlite::memory: for a database in memory`)
		}
		return SQLite, path, nil
	}
	return "", "", fmt.Errorf("database URL %q: use postgres://…, postgresql://… or sqlite:PATH", redactURL(url))
}

// Open connects to the database named by url. It does not migrate.
func Open(url string) (*DB, error) {
	dialect, dsn, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	cfg := &gorm.Config{
		PrepareStmt:            true,
		SkipDefaultTransaction: true,
		// Each driver maps its own constraint errors to gorm's sentinels
		// (gorm.ErrDuplicatedKey, gorm.ErrForeignKeyViolated), so callers
		// match errors by type on both engines instead of by message.
		TranslateError: true,
		Logger:         logger.Discard,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	var g *gorm.DB
	switch dialect {
	case Postgres:
		g, err = gorm.Open(postgres.Open(dsn), cfg)
	case SQLite:
		g, err = gorm.Open(sqlite.Open(sqliteDSN(dsn)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	configurePool(sqlDB, dialect, dsn)
	d := &DB{gorm: g, Dialect: dialect, Now: time.Now}
	if err := d.Ping(context.Background()); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	return d, nil
}

// sqliteDSN adds the pragmas every connection needs: WAL so readers do not
// block the writer, a busy timeout so concurrent writers wait instead of
// failing with "database is locked", immediate transactions so a reader never
// has to upgrade to a writer mid-transaction, foreign keys, and
// synchronous=FULL so that a commit is on disk before it is acknowledged (in
// WAL mode NORMAL may lose the last commits in a power cut; the cost is in
// docs/benchmarks.md, "SQLite durability");
// and secure_delete, so that deleted rows (held answers once mixed, erased
// contact details) are overwritten with zeros rather than left in free pages.
func sqliteDSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	busy := "_pragma=busy_timeout(10000)&"
	if strings.Contains(path, "busy_timeout") {
		// The URL sets its own, e.g. a test that must see the timeout run
		// out without waiting ten seconds.
		busy = ""
	}
	return path + sep + busy + "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=secure_delete(1)&_txlock=immediate"
}

func configurePool(sqlDB *sql.DB, dialect, dsn string) {
	switch {
	case dialect == SQLite && strings.Contains(dsn, ":memory:"):
		// Every connection to :memory: is a separate database: keep one.
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetConnMaxLifetime(0)
		sqlDB.SetConnMaxIdleTime(0)
	case dialect == SQLite:
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	default:
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
}

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error {
	sqlDB, err := d.gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the connection pool.
func (d *DB) Close() error {
	if d.submitPrepared != nil {
		d.submitPrepared.Close()
	}
	sqlDB, err := d.gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// SQL returns the underlying pool, for tools that need database/sql.
func (d *DB) SQL() (*sql.DB, error) { return d.gorm.DB() }

type txKey struct{}

// WithTx runs fn in one transaction carried by the context; queries given
// that context join it. Nested calls reuse the outer transaction.
func (d *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	return d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// db returns the transaction in ctx, or the pool, bound to ctx.
func (d *DB) db(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return d.gorm.WithContext(ctx)
}

// now returns the current time in UTC from the injectable clock.
func (d *DB) now() time.Time { return d.Now().UTC() }

func redactURL(url string) string {
	if i := strings.Index(url, "@"); i >= 0 {
		if j := strings.Index(url, "://"); j >= 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}

// isUniqueViolation reports whether err is a unique-constraint failure on
// either engine; Open turns on TranslateError so both drivers report it as
// gorm.ErrDuplicatedKey.
func isUniqueViolation(err error) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey)
}
