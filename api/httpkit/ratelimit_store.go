package httpkit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
)

// dbLimiter keeps one limiter's buckets in the database (models.TakeRateToken),
// so that every instance on one PostgreSQL database draws from the same
// bucket per key: N instances enforce one limit, not N.
type dbLimiter struct {
	db     *models.DB
	bucket models.RateBucket
	sweep  *dbSweep
}

func (l *dbLimiter) enabled() bool { return l.bucket.Events > 0 && l.bucket.Per > 0 }

func (l *dbLimiter) allow(ctx context.Context, key string, now time.Time) (bool, time.Duration, error) {
	if !l.enabled() {
		return true, 0, nil
	}
	l.sweep.maybe(ctx, now)
	return l.db.TakeRateToken(ctx, l.bucket, key, now)
}

func (l *dbLimiter) giveBack(ctx context.Context, key string, now time.Time) error {
	if !l.enabled() {
		return nil
	}
	return l.db.ReturnRateToken(ctx, l.bucket, key, now)
}

// dbSweep purges full buckets from the database at most once a minute per
// instance, as the in-process limiter drops its own: a cheap delete by
// index, which any instance may run.
type dbSweep struct {
	db   *models.DB
	log  *slog.Logger
	mu   sync.Mutex
	last time.Time
}

func (s *dbSweep) maybe(ctx context.Context, now time.Time) {
	s.mu.Lock()
	due := now.Sub(s.last) >= time.Minute
	if due {
		s.last = now
	}
	s.mu.Unlock()
	if !due {
		return
	}
	if _, err := s.db.PurgeRateLimits(ctx, now); err != nil && ctx.Err() == nil {
		s.log.Warn("purge rate limits", "err", err)
	}
}
