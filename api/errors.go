package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// statusOf maps application error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	surveys.EINVALID:      http.StatusUnprocessableEntity,
	surveys.ENOTFOUND:     http.StatusNotFound,
	surveys.EGONE:         http.StatusGone,
	surveys.ECONFLICT:     http.StatusConflict,
	surveys.EFORBIDDEN:    http.StatusForbidden,
	surveys.EUNAUTHORIZED: http.StatusUnauthorized,
	surveys.ERATELIMITED:  http.StatusTooManyRequests,
	surveys.EINTERNAL:     http.StatusInternalServerError,
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
func problemFor(err error) Problem {
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

// errorHandler is Echo's HTTPErrorHandler: problem+json for the API, an HTML
// page for browsers, and a log line for every internal error.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := problemFor(err)
	if p.Status >= 500 {
		s.log.Error("request failed", "route", c.Path(), "method", c.Request().Method,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
	}
	if p.Status == http.StatusTooManyRequests && c.Response().Header().Get("Retry-After") == "" {
		c.Response().Header().Set("Retry-After", strconv.Itoa(60))
	}
	if wantsHTML(c) {
		if rerr := s.renderError(c, p, err); rerr != nil {
			s.log.Error("render error page", "err", rerr)
		}
		return
	}
	body, _ := json.Marshal(p)
	if err := c.Blob(p.Status, "application/problem+json", body); err != nil {
		s.log.Error("write problem", "err", err)
	}
}

// wantsHTML reports whether a request came from a page rather than the API.
func wantsHTML(c echo.Context) bool {
	path := c.Request().URL.Path
	return len(path) < 5 || path[:5] != "/api/" && path != "/healthz" && path != "/readyz"
}
