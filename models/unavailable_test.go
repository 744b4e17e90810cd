package models_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// A database that cannot be reached is told apart from every other failure
// by the error's type, so that clients get a 503 to retry instead of a 500,
// and a refusal or a bug is never passed off as an outage.
func TestUnavailableDatabaseIsToldApartByErrorType(t *testing.T) {
	ctx := context.Background()
	// A real refused connection to PostgreSQL (nothing listens on port 1).
	_, refused := models.Open("postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	// A real SQLite writer that found the lock taken once its timeout ran out.
	db := openSQLite(t)
	sqlDB, _ := db.SQL()
	holder, _ := sqlDB.Conn(ctx)
	defer holder.Close()
	waiter, _ := sqlDB.Conn(ctx)
	defer waiter.Close()
	if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	waiter.ExecContext(ctx, "PRAGMA busy_timeout = 0")
	_, busy := waiter.ExecContext(ctx, "BEGIN IMMEDIATE")
	holder.ExecContext(ctx, "ROLLBACK")
	waiter.ExecContext(ctx, "PRAGMA busy_timeout = 10000")

	for name, tc := range map[string]struct {
		err  error
		want bool
	}{
		"postgres-connection-refused": {refused, true},
		"sqlite-busy-after-timeout":   {busy, true},
		"broken-connection":           {fmt.Errorf("submit response: %w", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}), true},
		"stream-cut-mid-message":      {fmt.Errorf("submit response: %w", io.ErrUnexpectedEOF), true},
		"bad-connection-after-retry":  {fmt.Errorf("query: %w", driver.ErrBadConn), true},
		"pg-connection-failure-08006": {&pgconn.PgError{Code: "08006"}, true},
		"pg-admin-shutdown-57P01":     {&pgconn.PgError{Code: "57P01"}, true},
		"pg-crash-shutdown-57P02":     {&pgconn.PgError{Code: "57P02"}, true},
		"pg-cannot-connect-now-57P03": {&pgconn.PgError{Code: "57P03"}, true},
		"pg-unique-violation":         {&pgconn.PgError{Code: "23505"}, false},
		"pg-query-canceled":           {&pgconn.PgError{Code: "57014"}, false},
		"end-of-a-request-body":       {fmt.Errorf("read body: %w", io.EOF), false},
		"record-not-found":            {gorm.ErrRecordNotFound, false},
		"closed-link":                 {models.ErrLinkCompleted, false},
		"request-canceled":            {context.Canceled, false},
		"a-bug":                       {errors.New("boom"), false},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("the setup produced no error")
			}
			if got := models.Unavailable(tc.err); got != tc.want {
				t.Errorf("Unavailable(%v) = %v, want %v", tc.err, got, tc.want)
			}
			classified := models.Classify(tc.err)
			if got := errors.Is(classified, models.ErrUnavailable); got != tc.want {
				t.Errorf("Classify(%v) is ErrUnavailable = %v, want %v", tc.err, got, tc.want)
			}
			if !errors.Is(classified, tc.err) {
				t.Errorf("Classify lost the cause %v", tc.err)
			}
			if tc.want && surveys.ErrorCode(classified) != surveys.EUNAVAILABLE {
				t.Errorf("code %q, want %q", surveys.ErrorCode(classified), surveys.EUNAVAILABLE)
			}
		})
	}

	// An application error keeps its code whatever it wraps.
	refusal := fmt.Errorf("%w: %w", surveys.Errorf(surveys.EINVALID, "bad"), &net.OpError{Op: "read", Err: errors.New("x")})
	if got := surveys.ErrorCode(models.Classify(refusal)); got != surveys.EINVALID {
		t.Errorf("a refusal wrapping a network error became %q", got)
	}
}
