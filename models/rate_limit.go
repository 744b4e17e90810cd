package models

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// The rate limits of several instances on one PostgreSQL database are token
// buckets in the rate_limits table (migration 0016), one row per limiter and
// key, taken and refilled by one atomic upsert each, so that N instances
// enforce one limit, not N. The HTTP layer keeps them in process on SQLite,
// where only one instance runs.

// rateLimitKeySecret names the stored secret the keys of rate_limits rows
// are derived from when the operator sets no MENTORPULSE_SECRET_KEY.
const rateLimitKeySecret = "rate_limit_key"

// rateLimitKeyInfo is the HKDF info of the rate-limit key: a key of its own,
// apart from the sums' and delivery's, whatever secret they come from.
const rateLimitKeyInfo = "mentorpulse rate limits"

// RateBucket is one limiter's bucket size: up to Events tokens, refilled at
// Events per Per. Limiter names the limiter ("login_account"), so that one
// key (an IP address) has a bucket of its own in each limiter.
type RateBucket struct {
	Limiter string
	Events  int
	Per     time.Duration
}

// perTokenMicros is how long one token takes to come back, in microseconds.
func (b RateBucket) perTokenMicros() float64 {
	return float64(b.Per.Microseconds()) / float64(b.Events)
}

// rateKeys caches the HMAC key of rate_limits rows, with the operator secret
// it was derived from.
type rateKeys struct {
	mu     sync.Mutex
	secret string
	key    []byte
}

// rateKeyHash is the row key for a limiter's key: hex HMAC-SHA256 of
// "limiter\x00key". The HMAC key comes from MENTORPULSE_SECRET_KEY when the
// operator sets one, so that someone with only the database cannot test
// guessed addresses against the table; otherwise from a secret stored in the
// database, which hides keys from a casual look but not from a guesser who
// holds the database. Every instance derives the same key from the same
// secret, so they share one bucket per key.
func (d *DB) rateKeyHash(ctx context.Context, limiter, key string) (string, error) {
	k, err := d.rateKey(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, k)
	mac.Write([]byte(limiter))
	mac.Write([]byte{0})
	mac.Write([]byte(key))
	return hex.EncodeToString(mac.Sum(nil)), nil
}

func (d *DB) rateKey(ctx context.Context) ([]byte, error) {
	secret := d.operatorSecret()
	d.rateKeys.mu.Lock()
	defer d.rateKeys.mu.Unlock()
	if d.rateKeys.key != nil && d.rateKeys.secret == secret {
		return d.rateKeys.key, nil
	}
	ikm := []byte(secret)
	if secret == "" {
		stored, err := d.EnsureStoredSecret(ctx, rateLimitKeySecret)
		if err != nil {
			return nil, err
		}
		if ikm, err = base64.StdEncoding.DecodeString(stored); err != nil {
			return nil, fmt.Errorf("rate limits: the stored secret %q is malformed", rateLimitKeySecret)
		}
	}
	k, err := hkdf.Key(sha256.New, ikm, nil, rateLimitKeyInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("rate limits: %w", err)
	}
	d.rateKeys.secret, d.rateKeys.key = secret, k
	return k, nil
}

// operatorSecret is MENTORPULSE_SECRET_KEY as given to SetSumsSecret, or "".
func (d *DB) operatorSecret() string {
	d.sums.mu.Lock()
	defer d.sums.mu.Unlock()
	return d.sums.secret
}

// leastGreatest names the two-argument minimum and maximum: SQLite's
// scalar min and max are PostgreSQL's LEAST and GREATEST.
func (d *DB) leastGreatest() (string, string) {
	if d.Dialect == Postgres {
		return "LEAST", "GREATEST"
	}
	return "min", "max"
}

// TakeRateToken takes one token from key's bucket as of now, or says how
// long until one is available. A bucket starts full. The take is one
// statement: an insert of a new bucket, or an update of the stored one that
// refills it and takes a token only when a whole one is there, so parallel
// requests on any instance never take more tokens than the bucket holds.
func (d *DB) TakeRateToken(ctx context.Context, b RateBucket, key string, now time.Time) (ok bool, wait time.Duration, err error) {
	hash, err := d.rateKeyHash(ctx, b.Limiter, key)
	if err != nil {
		return false, 0, err
	}
	least, greatest := d.leastGreatest()
	refilled := fmt.Sprintf("%s(CAST(? AS DOUBLE PRECISION), r.tokens + %s(0, excluded.updated_at - r.updated_at) / CAST(? AS DOUBLE PRECISION))", least, greatest)
	q := `INSERT INTO rate_limits AS r (key_hash, tokens, updated_at, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key_hash) DO UPDATE SET
			tokens = ` + refilled + ` - 1,
			updated_at = ` + greatest + `(r.updated_at, excluded.updated_at),
			expires_at = excluded.expires_at
		WHERE ` + refilled + ` >= 1
		RETURNING tokens`
	at := now.UnixMicro()
	events, per := float64(b.Events), b.perTokenMicros()
	var left []float64
	err = d.db(ctx).Raw(q, hash, events-1, at, at+b.Per.Microseconds(), events, per, events, per).Scan(&left).Error
	if err != nil {
		return false, 0, fmt.Errorf("take rate token: %w", err)
	}
	if len(left) > 0 {
		return true, 0, nil
	}
	// Refused: the bucket was left as it was; say when a token is back.
	var row struct {
		Tokens    float64
		UpdatedAt int64
	}
	res := d.db(ctx).Raw("SELECT tokens, updated_at FROM rate_limits WHERE key_hash = ?", hash).Scan(&row)
	if res.Error != nil {
		return false, 0, fmt.Errorf("read rate limit: %w", res.Error)
	}
	tokens := row.Tokens + float64(max(0, at-row.UpdatedAt))/per
	if res.RowsAffected == 0 || tokens >= 1 {
		// Refilled or purged since: a token is as good as back.
		return false, time.Microsecond, nil
	}
	return false, time.Duration((1 - tokens) * per * float64(time.Microsecond)), nil
}

// ReturnRateToken gives back a token TakeRateToken took for key. A bucket
// purged meanwhile was full anyway.
func (d *DB) ReturnRateToken(ctx context.Context, b RateBucket, key string, now time.Time) error {
	hash, err := d.rateKeyHash(ctx, b.Limiter, key)
	if err != nil {
		return err
	}
	least, greatest := d.leastGreatest()
	q := `UPDATE rate_limits SET
			tokens = ` + least + `(CAST(? AS DOUBLE PRECISION), tokens + ` + greatest + `(0, ? - updated_at) / CAST(? AS DOUBLE PRECISION) + 1),
			updated_at = ` + greatest + `(updated_at, ?)
		WHERE key_hash = ?`
	at := now.UnixMicro()
	if err := d.db(ctx).Exec(q, float64(b.Events), at, b.perTokenMicros(), at, hash).Error; err != nil {
		return fmt.Errorf("return rate token: %w", err)
	}
	return nil
}

// PurgeRateLimits deletes the buckets that have been full again since
// before now: a missing bucket starts full, so nothing is lost.
func (d *DB) PurgeRateLimits(ctx context.Context, now time.Time) (int64, error) {
	res := d.db(ctx).Exec("DELETE FROM rate_limits WHERE expires_at < ?", now.UnixMicro())
	if res.Error != nil {
		return 0, fmt.Errorf("purge rate limits: %w", res.Error)
	}
	return res.RowsAffected, nil
}
