package httpkit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
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

// allow takes one token for key, or says how long until one is available.
func (ls *limiterSet) allow(key string, now time.Time) (bool, time.Duration) {
	if ls == nil || !ls.limit.Enabled() {
		return true, 0
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
		return false, time.Duration((1 - b.tokens) * float64(perToken))
	}
	b.tokens--
	return true, 0
}

// giveBack returns a token allow took for key. A bucket dropped meanwhile
// was full anyway.
func (ls *limiterSet) giveBack(key string, now time.Time) {
	if ls == nil || !ls.limit.Enabled() {
		return
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if b := ls.buckets[key]; b != nil {
		ls.refill(b, now)
		b.tokens = min(float64(ls.limit.Events), b.tokens+1)
	}
}

// rateLimits are the server's limiters.
type rateLimits struct {
	loginIP, loginAccount, surveyIP *limiterSet
	// resetIP and resetAccount bound forgotten-password requests with the
	// sign-in settings, in buckets of their own.
	resetIP, resetAccount *limiterSet
	// requestIP and requestAddress bound QR link requests (/r/{code}) the
	// same way, in buckets of their own.
	requestIP, requestAddress *limiterSet
	now                       func() time.Time
}

func newRateLimits(cfg Config) *rateLimits {
	return &rateLimits{
		loginIP:        newLimiterSet(cfg.LoginIPLimit),
		loginAccount:   newLimiterSet(cfg.LoginAccountLimit),
		surveyIP:       newLimiterSet(cfg.SurveyIPLimit),
		resetIP:        newLimiterSet(cfg.LoginIPLimit),
		resetAccount:   newLimiterSet(cfg.LoginAccountLimit),
		requestIP:      newLimiterSet(cfg.LoginIPLimit),
		requestAddress: newLimiterSet(cfg.LoginAccountLimit),
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

// AllowSignIn applies the per-IP and the per-account sign-in limits before
// the password is checked. Every attempt takes a token from the IP's
// bucket, since each costs a password hash whatever its outcome; the
// account's token is taken now, so that parallel guesses cannot outrun the
// limit, and given back by the returned function when the attempt turns out
// not to be a failure: only failed sign-ins count against an account.
func (s *Kit) AllowSignIn(c echo.Context, email string) (notFailed func(), err error) {
	now := s.limits.now()
	if ok, wait := s.limits.loginIP.allow(c.RealIP(), now); !ok {
		return nil, TooMany(c, wait, "sign-in attempts")
	}
	key := strings.ToLower(strings.TrimSpace(email))
	if ok, wait := s.limits.loginAccount.allow(key, now); !ok {
		return nil, TooMany(c, wait, "sign-in attempts for this account")
	}
	return func() { s.limits.loginAccount.giveBack(key, s.limits.now()) }, nil
}

// LimitSurveys bounds requests per IP to the public survey endpoints, which
// anyone may call: enough for a clinic's mentees behind one NAT, not enough
// to hammer the database. The survey route groups (pages and JSON) take it.
func (s *Kit) LimitSurveys(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ok, wait := s.limits.surveyIP.allow(c.RealIP(), s.limits.now()); !ok {
			return TooMany(c, wait, "requests")
		}
		return next(c)
	}
}

// AllowResetRequest applies the per-IP and per-address limits on reset
// requests (siblings of the sign-in limits, with the same settings, so
// requesting resets cannot lock anyone out of signing in).
func (s *Kit) AllowResetRequest(c echo.Context, email string) error {
	now := s.limits.now()
	if ok, wait := s.limits.resetIP.allow(c.RealIP(), now); !ok {
		return TooMany(c, wait, "requests")
	}
	if ok, wait := s.limits.resetAccount.allow(strings.ToLower(email), now); !ok {
		return TooMany(c, wait, "requests for this address")
	}
	return nil
}

// AllowLinkRequest applies the per-IP and per-address limits on QR link
// requests, with the sign-in settings: a mentee asks once or twice, someone
// trying addresses to see what happens asks many times. The limit depends
// only on what was typed, never on whether it is a mentee's.
func (s *Kit) AllowLinkRequest(c echo.Context, email string) error {
	now := s.limits.now()
	if ok, wait := s.limits.requestIP.allow(c.RealIP(), now); !ok {
		return TooMany(c, wait, "requests")
	}
	if ok, wait := s.limits.requestAddress.allow(strings.ToLower(strings.TrimSpace(email)), now); !ok {
		return TooMany(c, wait, "requests for this address")
	}
	return nil
}

// AllowPasswordForm applies the per-IP sign-in limit to set-password form
// posts, which guess at nothing but still cost a password hash each.
func (s *Kit) AllowPasswordForm(c echo.Context) error {
	if ok, wait := s.limits.loginIP.allow(c.RealIP(), s.limits.now()); !ok {
		return TooMany(c, wait, "attempts")
	}
	return nil
}
