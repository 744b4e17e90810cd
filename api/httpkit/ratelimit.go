package httpkit

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// RateLimit allows bursts of up to Events requests, refilled at Events per
// Per. The zero value means no limit.
type RateLimit struct {
	Events int
	Per    time.Duration
}

// Enabled reports whether the limit applies.
func (r RateLimit) Enabled() bool { return r.Events > 0 && r.Per > 0 }

// String formats the limit the way ParseRateLimit reads it.
func (r RateLimit) String() string {
	if !r.Enabled() {
		return "off"
	}
	return fmt.Sprintf("%d/%s", r.Events, r.Per)
}

// ParseRateLimit reads "N/DURATION", e.g. "120/1m" (bursts of 120, refilled
// at 120 a minute), or "off" or "0" for no limit.
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || strings.EqualFold(s, "off") {
		return RateLimit{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	events, err := strconv.Atoi(n)
	if !ok || err != nil || events < 0 {
		return RateLimit{}, fmt.Errorf("%q is not a rate limit like 120/1m (or off)", s)
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return RateLimit{}, fmt.Errorf("%q is not a rate limit like 120/1m (or off)", s)
	}
	return RateLimit{Events: events, Per: d}, nil
}

// limiter takes and gives back tokens per key: in process (limiterSet) on
// SQLite, where one instance runs, or in the database (dbLimiter) on
// PostgreSQL, so that several instances enforce one limit between them.
type limiter interface {
	// allow takes one token for key, or says how long until one is
	// available.
	allow(ctx context.Context, key string, now time.Time) (bool, time.Duration, error)
	// giveBack returns a token allow took for key.
	giveBack(ctx context.Context, key string, now time.Time) error
}

// limiterSet keeps one token bucket per key (an IP address or an account) in
// process memory. Buckets idle long enough to have refilled are dropped.
// The buckets are written here rather than taken from x/time/rate because
// the sign-in limit gives a token back when an attempt succeeds, which that
// package cannot do exactly.
type limiterSet struct {
	limit     RateLimit
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

// bucket holds tokens as of last: up to limit.Events, refilled at
// limit.Events per limit.Per.
type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiterSet(l RateLimit) *limiterSet {
	return &limiterSet{limit: l, buckets: map[string]*bucket{}}
}

// refill brings b up to now.
func (ls *limiterSet) refill(b *bucket, now time.Time) {
	if now.After(b.last) {
		perToken := ls.limit.Per / time.Duration(ls.limit.Events)
		b.tokens = min(float64(ls.limit.Events), b.tokens+float64(now.Sub(b.last))/float64(perToken))
		b.last = now
	}
}

func (ls *limiterSet) allow(_ context.Context, key string, now time.Time) (bool, time.Duration, error) {
	if ls == nil || !ls.limit.Enabled() {
		return true, 0, nil
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if now.Sub(ls.lastSweep) >= time.Minute {
		for k, b := range ls.buckets {
			if now.Sub(b.last) > ls.limit.Per {
				delete(ls.buckets, k)
			}
		}
		ls.lastSweep = now
	}
	b := ls.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(ls.limit.Events), last: now}
		ls.buckets[key] = b
	}
	ls.refill(b, now)
	if b.tokens < 1 {
		perToken := ls.limit.Per / time.Duration(ls.limit.Events)
		return false, time.Duration((1 - b.tokens) * float64(perToken)), nil
	}
	b.tokens--
	return true, 0, nil
}

// giveBack returns a token; a bucket dropped meanwhile was full anyway.
func (ls *limiterSet) giveBack(_ context.Context, key string, now time.Time) error {
	if ls == nil || !ls.limit.Enabled() {
		return nil
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if b := ls.buckets[key]; b != nil {
		ls.refill(b, now)
		b.tokens = min(float64(ls.limit.Events), b.tokens+1)
	}
	return nil
}

// rateLimits are the server's limiters.
type rateLimits struct {
	loginIP, loginAccount, surveyIP limiter
	// resetIP and resetAccount bound forgotten-password requests with the
	// sign-in settings, in buckets of their own.
	resetIP, resetAccount limiter
	// requestIP and requestAddress bound QR link requests (/r/{code}) the
	// same way, in buckets of their own.
	requestIP, requestAddress limiter
	// codeIP and codeAccount bound second-factor codes with the sign-in
	// settings, in buckets of their own (keyed by user id, not email).
	codeIP, codeAccount limiter
	now                 func() time.Time
}

// newRateLimits builds the limiters, in the database on PostgreSQL and in
// process on SQLite. Each has a name of its own, which keeps its buckets
// apart from the others' in the database.
func newRateLimits(db *models.DB, cfg Config) *rateLimits {
	var sweep *dbSweep
	if db.Dialect == models.Postgres {
		sweep = &dbSweep{db: db, log: cfg.Logger}
	}
	pick := func(name string, l RateLimit) limiter {
		if sweep == nil {
			return newLimiterSet(l)
		}
		return &dbLimiter{db: db, bucket: models.RateBucket{Limiter: name, Events: l.Events, Per: l.Per}, sweep: sweep}
	}
	return &rateLimits{
		loginIP:        pick("login_ip", cfg.LoginIPLimit),
		loginAccount:   pick("login_account", cfg.LoginAccountLimit),
		surveyIP:       pick("survey_ip", cfg.SurveyIPLimit),
		resetIP:        pick("reset_ip", cfg.LoginIPLimit),
		resetAccount:   pick("reset_account", cfg.LoginAccountLimit),
		requestIP:      pick("request_ip", cfg.LoginIPLimit),
		requestAddress: pick("request_address", cfg.LoginAccountLimit),
		codeIP:         pick("code_ip", cfg.LoginIPLimit),
		codeAccount:    pick("code_account", cfg.LoginAccountLimit),
		now:            time.Now,
	}
}

// tooMany answers 429 with Retry-After in whole seconds.
func TooMany(c echo.Context, wait time.Duration, what string) error {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return surveys.Errorf(surveys.ERATELIMITED, "too many %s from here; try again in %d seconds", what, secs)
}

// take takes a token for key from l, answering 429 when there is none.
func (s *Kit) take(c echo.Context, l limiter, key, what string) error {
	ok, wait, err := l.allow(c.Request().Context(), key, s.limits.now())
	if err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	if !ok {
		return TooMany(c, wait, what)
	}
	return nil
}

// AllowSignIn applies the per-IP and the per-account sign-in limits before
// the password is checked. Every attempt takes a token from the IP's
// bucket, since each costs a password hash whatever its outcome; the
// account's token is taken now, so that parallel guesses cannot outrun the
// limit, and given back by the returned function when the attempt turns out
// not to be a failure: only failed sign-ins count against an account.
func (s *Kit) AllowSignIn(c echo.Context, email string) (notFailed func(), err error) {
	if err := s.take(c, s.limits.loginIP, c.RealIP(), "sign-in attempts"); err != nil {
		return nil, err
	}
	key := strings.ToLower(strings.TrimSpace(email))
	if err := s.take(c, s.limits.loginAccount, key, "sign-in attempts for this account"); err != nil {
		return nil, err
	}
	ctx := context.WithoutCancel(c.Request().Context())
	return func() {
		if err := s.limits.loginAccount.giveBack(ctx, key, s.limits.now()); err != nil {
			// The account keeps one token less until it refills.
			s.Log.Warn("give back a sign-in token", "err", err)
		}
	}, nil
}

// AllowSecondFactorCode applies the per-IP and per-account limits to a
// second-factor code, as AllowSignIn does to a password: six digits are
// guessable only by many tries, so only failed codes count against the
// account (the returned function gives the token back).
func (s *Kit) AllowSecondFactorCode(c echo.Context, userID int64) (notFailed func(), err error) {
	if err := s.take(c, s.limits.codeIP, c.RealIP(), "code attempts"); err != nil {
		return nil, err
	}
	key := strconv.FormatInt(userID, 10)
	if err := s.take(c, s.limits.codeAccount, key, "code attempts for this account"); err != nil {
		return nil, err
	}
	ctx := context.WithoutCancel(c.Request().Context())
	return func() {
		if err := s.limits.codeAccount.giveBack(ctx, key, s.limits.now()); err != nil {
			s.Log.Warn("give back a code token", "err", err)
		}
	}, nil
}

// LimitSurveys bounds requests per IP to the public survey endpoints, which
// anyone may call: enough for a clinic's mentees behind one NAT, not enough
// to hammer the database. The survey route groups (pages and JSON) take it.
func (s *Kit) LimitSurveys(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.take(c, s.limits.surveyIP, c.RealIP(), "requests"); err != nil {
			return err
		}
		return next(c)
	}
}

// AllowResetRequest applies the per-IP and per-address limits on reset
// requests (siblings of the sign-in limits, with the same settings, so
// requesting resets cannot lock anyone out of signing in).
func (s *Kit) AllowResetRequest(c echo.Context, email string) error {
	if err := s.take(c, s.limits.resetIP, c.RealIP(), "requests"); err != nil {
		return err
	}
	return s.take(c, s.limits.resetAccount, strings.ToLower(email), "requests for this address")
}

// AllowLinkRequest applies the per-IP and per-address limits on QR link
// requests, with the sign-in settings: a mentee asks once or twice, someone
// trying addresses to see what happens asks many times. The limit depends
// only on what was typed, never on whether it is a mentee's.
func (s *Kit) AllowLinkRequest(c echo.Context, email string) error {
	if err := s.take(c, s.limits.requestIP, c.RealIP(), "requests"); err != nil {
		return err
	}
	return s.take(c, s.limits.requestAddress, strings.ToLower(strings.TrimSpace(email)), "requests for this address")
}

// AllowPasswordForm applies the per-IP sign-in limit to set-password form
// posts, which guess at nothing but still cost a password hash each.
func (s *Kit) AllowPasswordForm(c echo.Context) error {
	return s.take(c, s.limits.loginIP, c.RealIP(), "attempts")
}
