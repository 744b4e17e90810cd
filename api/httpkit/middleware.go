package httpkit

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func NewRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// AssignRequestID gives every request a fresh id. Echo's RequestID middleware
// keeps a client's X-Request-Id whatever its Generator, and a client's id
// could carry anything into our logs.
func AssignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderXRequestID, NewRequestID())
		return next(c)
	}
}

// logRequests writes one line per request: method, route pattern (never the
// raw path: tokens live in paths), status, duration and request id.
func (s *Kit) LogRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			// Write the error response here rather than after we return, so
			// the status logged is the one sent and the error becomes a
			// problem once. The response is then committed and Echo has
			// nothing left to handle.
			c.Error(err)
		}
		s.Log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request().Method),
			slog.String("route", routeForLog(c)),
			slog.Int("status", c.Response().Status),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		)
		return nil
	}
}

// tokenPrefixes are the paths whose next segment is a secret.
var tokenPrefixes = []string{"/s/", "/api/v1/surveys/", "/set-password/"}

// routeForLog returns the matched route pattern, or for an unmatched request
// its path with any secret segment replaced.
func routeForLog(c echo.Context) string {
	if p := c.Path(); p != "" && (strings.Contains(p, ":") || !hasTokenPrefix(p)) {
		return p
	}
	return RedactPath(c.Request().URL.Path)
}

func hasTokenPrefix(p string) bool {
	for _, pre := range tokenPrefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// RedactPath replaces the secret segment of a token-bearing path with
// :token. Any other segment that looks like a token is replaced too, so a
// mangled link (//s/…, a mistyped prefix) cannot carry one into the logs.
func RedactPath(p string) string {
	for _, pre := range tokenPrefixes {
		if rest, ok := strings.CutPrefix(p, pre); ok {
			if _, tail, found := strings.Cut(rest, "/"); found {
				p = pre + ":token/" + tail
			} else {
				p = pre + ":token"
			}
			break
		}
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if looksLikeToken(seg) {
			segs[i] = ":token"
		}
	}
	return strings.Join(segs, "/")
}

// looksLikeToken reports whether a path segment is a long run of URL-safe
// base64 characters, the shape of every secret we put in a URL.
func looksLikeToken(seg string) bool {
	return len(seg) >= 16 && surveys.URLSafe(seg)
}

// RecoverPanics turns a panic into a 500 and a log line with the stack.
func RecoverPanics(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					log.Error("panic", "route", routeForLog(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

// contentSecurityPolicy allows no inline script and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func SecurityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		return next(c)
	}
}
