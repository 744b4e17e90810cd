package httpkit

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// statusOf maps application error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	surveys.EINVALID:      http.StatusUnprocessableEntity,
	surveys.EMALFORMED:    http.StatusBadRequest,
	surveys.ENOTFOUND:     http.StatusNotFound,
	surveys.EGONE:         http.StatusGone,
	surveys.ECONFLICT:     http.StatusConflict,
	surveys.EFORBIDDEN:    http.StatusForbidden,
	surveys.EUNAUTHORIZED: http.StatusUnauthorized,
	surveys.ERATELIMITED:  http.StatusTooManyRequests,
	surveys.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	surveys.EUNAVAILABLE:  http.StatusServiceUnavailable,
	surveys.EINTERNAL:     http.StatusInternalServerError,
}

// unavailableRetrySeconds is the Retry-After of a 503: long enough for a
// database restart or failover, short enough that a mentee waits it out.
const unavailableRetrySeconds = 30

// StatusOf is the HTTP status of an application error code.
func StatusOf(code string) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Errors []surveys.FieldError `json:"errors,omitempty"`
}

// problemFor turns any error into a problem and its status. Internal errors
// show clients only "internal error".
func ProblemFor(err error) Problem {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok {
			msg = s
		}
		return Problem{Type: "about:blank", Title: http.StatusText(he.Code), Status: he.Code, Detail: msg}
	}
	code := surveys.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: surveys.ErrorMessage(err)}
	var ae *surveys.Error
	if errors.As(err, &ae) {
		p.Errors = ae.Fields
	}
	return p
}

// PageRenderer shows a problem as an HTML page.
type PageRenderer func(c echo.Context, p Problem, err error) error

const rendererKey = "mentorpulse.renderer"

// RenderErrorsWith is the middleware of a route group whose errors are
// pages: the error handler then calls r instead of writing problem+json.
func RenderErrorsWith(r PageRenderer) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(rendererKey, r)
			return next(c)
		}
	}
}

// ErrorHandler is Echo's HTTPErrorHandler: a page for routes of a group
// that renders its errors (RenderErrorsWith), problem+json for every other
// route, and a log line for every internal error.
func (s *Kit) ErrorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	// A database out of reach is a 503 to retry, not an internal error;
	// models decides which errors say so, once.
	err = models.Classify(err)
	p := ProblemFor(err)
	if p.Status >= 500 {
		s.Log.Error("request failed", "route", c.Path(), "method", c.Request().Method,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
	}
	if p.Status == http.StatusTooManyRequests && c.Response().Header().Get("Retry-After") == "" {
		c.Response().Header().Set("Retry-After", strconv.Itoa(60))
	}
	if p.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", strconv.Itoa(unavailableRetrySeconds))
	}
	render, ok := c.Get(rendererKey).(PageRenderer)
	if !ok && s.routingPage != nil && isRoutingError(err) && acceptsHTML(c) {
		render, ok = s.routingPage, true
	}
	if ok {
		if rerr := render(c, p, err); rerr != nil {
			s.Log.Error("render error page", "err", rerr)
		}
		return
	}
	body, _ := json.Marshal(p)
	if err := c.Blob(p.Status, "application/problem+json", body); err != nil {
		s.Log.Error("write problem", "err", err)
	}
}

// isRoutingError reports whether the router, not a handler, refused the
// request: no route for the path, or not for this method.
func isRoutingError(err error) bool {
	return errors.Is(err, echo.ErrNotFound) || errors.Is(err, echo.ErrMethodNotAllowed)
}

// acceptsHTML reports whether the client asks for HTML, as browsers do.
func acceptsHTML(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMETextHTML)
}

// rendersPages reports whether the route's errors are shown as pages.
func rendersPages(c echo.Context) bool {
	_, ok := c.Get(rendererKey).(PageRenderer)
	return ok
}
