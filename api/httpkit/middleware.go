package httpkit

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
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

// LogRequests writes one line per request: method, route pattern (never the
// raw path: tokens live in paths), status, duration and request id; and
// counts it, by the same route pattern, method and status, in the metrics.
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
		method, route, status, took := methodForLog(c.Request().Method), routeForLog(c), c.Response().Status, time.Since(start)
		s.Metrics.ObserveRequest(route, method, status, took)
		s.Log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Duration("duration", took),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		)
		return nil
	}
}

// unmatchedRoute is logged for a request no route took. Its path is never
// logged: tokens live in paths, and a link mangled by a mail client
// ("/s/<token>." or "//s/<token>") matches no route yet still carries one.
// Redacting by the route, not by the shape of a segment, leaves nothing for
// punctuation to slip past.
const unmatchedRoute = "(unmatched)"

// routeForLog returns the pattern of the route that took the request, which
// holds no request text, or unmatchedRoute. The router gives a request it
// could not place the pattern of the nearest node, so a 404 or 405 counts as
// matched only when that pattern is a registered route (a 405 is: the path
// matched, the method did not; a handler's own 404 is too).
func routeForLog(c echo.Context) string {
	p := c.Path()
	if p == "" {
		return unmatchedRoute
	}
	if st := c.Response().Status; st != http.StatusNotFound && st != http.StatusMethodNotAllowed {
		return p
	}
	for _, r := range c.Echo().Routes() {
		if r.Path == p {
			return p
		}
	}
	return unmatchedRoute
}

// methodForLog returns the request method, or OTHER for one HTTP does not
// define: a method is request text too.
func methodForLog(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "OTHER"
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
