package models

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// ErrUnavailable means the database could not be reached or could not take
// the request now; trying again later may succeed. Classify wraps an error
// in it, so that the HTTP layer answers 503 with Retry-After.
var ErrUnavailable = surveys.Errorf(surveys.EUNAVAILABLE, "The service cannot reach its database just now. Please try again in a minute.")

// Classify returns err marked as ErrUnavailable when it says the database is
// out of reach (see Unavailable), and err unchanged otherwise. The mark
// keeps the cause for the log: errors.Is(err, ErrUnavailable) holds, and so
// does every match on the original error.
func Classify(err error) error {
	// An application error keeps its code: a refusal that happens to wrap
	// a driver error is still that refusal.
	if surveys.ErrorCode(err) != surveys.EINTERNAL || !Unavailable(err) {
		return err
	}
	return &unavailableError{cause: err}
}

type unavailableError struct{ cause error }

func (e *unavailableError) Error() string { return "database unavailable: " + e.cause.Error() }

// Unwrap gives ErrUnavailable first, so that its code is the one found.
func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.cause} }

// Unavailable reports whether err means the database is out of reach rather
// than that the request was wrong, decided by the error's type alone:
//   - a connection that could not be made (pgconn.ConnectError, which also
//     carries a deadline passed while connecting) or broke (net.OpError, an
//     end of stream from the server, driver.ErrBadConn once database/sql
//     gave up retrying);
//   - PostgreSQL refusing for its own state: class 08 (connection
//     exception), 57P01-57P03 (shutting down, crash restart, cannot connect
//     now);
//   - SQLite still busy or locked once its busy timeout ran out.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	var liteErr *sqlite.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &opErr), errors.Is(err, driver.ErrBadConn):
		return true
	case errors.As(err, &liteErr):
		code := liteErr.Code() & 0xff // the primary result code
		return code == sqliteBusy || code == sqliteLocked
	}
	return fromBrokenConn(err)
}

// SQLite's primary result codes for "another connection holds the lock".
const (
	sqliteBusy   = 5
	sqliteLocked = 6
)

// fromBrokenConn reports a stream that ended mid-message: the PostgreSQL
// driver returns io.ErrUnexpectedEOF as it is when the server (or something
// between) closed the connection during an exchange, the statement's fate
// unknown. A plain io.EOF counts only inside the driver's own errors (those
// that say whether a retry is safe): elsewhere it is the end of a request
// body, not the database.
func fromBrokenConn(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var pgconnErr interface{ SafeToRetry() bool }
	return errors.As(err, &pgconnErr) && errors.Is(err, io.EOF)
}
