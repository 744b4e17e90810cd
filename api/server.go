// Package api is the HTTP adapter: Echo routes, handlers, middleware and the
// mapping of application errors to RFC 9457 problems. It is the only package
// that imports Echo.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/frontend"
	"github.com/mentorpulse/mentorpulse/models"
)

// Config is what the HTTP layer needs to know about its deployment.
type Config struct {
	// BaseURL is the public origin survey links are built on, without a
	// trailing slash, e.g. https://feedback.example.org.
	BaseURL string
	// Logger receives one line per request and every internal error.
	Logger *slog.Logger

	// SessionIdleTimeout and SessionMaxAge end a session after this long
	// without a request, or this long after sign-in. Zero means 8 h and 7 days.
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration
	// LoginIPLimit and LoginAccountLimit bound sign-in attempts per client IP
	// and per account; SurveyIPLimit bounds requests per client IP to the
	// public survey endpoints (/s/… and /api/v1/surveys/…). The zero value
	// is no limit; cmd/mentorpulse sets the documented defaults.
	LoginIPLimit      RateLimit
	LoginAccountLimit RateLimit
	SurveyIPLimit     RateLimit
	// TrustProxy takes the client IP from X-Forwarded-For. Set it only behind
	// a reverse proxy that sets that header, or clients could pick their IP.
	TrustProxy bool
	// Delivery records meetings and emails their links. The meeting routes
	// are registered only when it is set.
	Delivery *delivery.Service
}

// Server holds the handlers' dependencies.
type Server struct {
	db     *models.DB
	cfg    Config
	log    *slog.Logger
	e      *echo.Echo
	pages  *frontend.Pages
	limits *rateLimits
}

// New builds the Echo instance with every route and middleware.
func New(db *models.DB, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	pages, err := frontend.Load()
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Validator = newValidator()
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s := &Server{db: db, cfg: cfg, log: cfg.Logger, e: e, pages: pages, limits: newRateLimits(cfg)}
	e.HTTPErrorHandler = s.errorHandler
	e.Use(assignRequestID)
	e.Use(s.logRequests)
	e.Use(recoverPanics(s.log))
	e.Use(securityHeaders)
	e.Use(s.limitSurveys)
	s.routes()
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
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
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
	return nil
}
