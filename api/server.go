// Package api is the JSON API under /api/v1 and the HTTP server that also
// mounts the pages (api/web). Both sides share authentication, access
// checks, rate limits and the mapping of application errors to RFC 9457
// problems through api/httpkit. Only api and its subpackages import Echo.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/api/web"
	"github.com/mentorpulse/mentorpulse/models"
)

// Config is what the HTTP layer needs to know about its deployment.
type Config = httpkit.Config

// OIDCConfig is the single sign-on provider's configuration.
type OIDCConfig = httpkit.OIDCConfig

// Who must sign in through the provider (OIDCConfig.Only).
const (
	OIDCOnlyNone  = httpkit.OIDCOnlyNone
	OIDCOnlyStaff = httpkit.OIDCOnlyStaff
	OIDCOnlyAll   = httpkit.OIDCOnlyAll
)

// RateLimit is a token-bucket limit, "N/duration" in the environment.
type RateLimit = httpkit.RateLimit

// ParseRateLimit reads "N/duration" or "off".
var ParseRateLimit = httpkit.ParseRateLimit

// Problem is an RFC 9457 problem document.
type Problem = httpkit.Problem

// Server is the whole HTTP surface: the JSON API's handlers here, the pages
// registered by web.Register, both over one httpkit.Kit.
type Server struct {
	*httpkit.Kit
	e *echo.Echo
}

// New builds the Echo instance with every route and middleware.
func New(db *models.DB, cfg Config) (*Server, error) {
	kit := httpkit.NewKit(db, cfg)
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Validator = httpkit.NewValidator()
	e.IPExtractor = echo.ExtractIPDirect()
	if kit.Cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s := &Server{Kit: kit, e: e}
	e.HTTPErrorHandler = kit.ErrorHandler
	e.Use(httpkit.AssignRequestID)
	e.Use(kit.LogRequests)
	e.Use(httpkit.RecoverPanics(kit.Log))
	e.Use(httpkit.SecurityHeaders)
	s.routes()
	if err := web.Register(e, kit); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return s.e }

// Echo returns the Echo instance, for tests that walk its routes.
func (s *Server) Echo() *echo.Echo { return s.e }

// Serve listens on addr until ctx ends, then shuts down gracefully: requests
// in flight get up to grace to finish. ready, if not nil, receives the bound
// address once listening (useful with ":0").
func (s *Server) Serve(ctx context.Context, addr string, grace time.Duration, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           s.e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // CSV exports stream.
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Requests are done; what they left to do after answering (a reset
	// email to queue) finishes before the job queue and database close.
	return s.WaitAfterResponse(shutdownCtx)
}

// The session cookie and the CSRF header, for clients and tests.
const (
	SessionCookie = httpkit.SessionCookie
	CSRFHeader    = httpkit.CSRFHeader
)
