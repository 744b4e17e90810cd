package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/api/metrics"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "serve\n\nRuns the web service on MENTORPULSE_ADDR, migrating the database first, and the Prometheus metrics on MENTORPULSE_METRICS_ADDR when set.")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if e.cfg.ClockOffset != 0 {
		e.log.Warn("MENTORPULSE_CLOCK_OFFSET is set: every time-based rule runs on a shifted clock; never set it in production",
			"offset", e.cfg.ClockOffset.String())
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := bootstrapAdmin(ctx, e, db); err != nil {
		return err
	}
	// One registry for the server and its job queue, served on a listener
	// of its own when MENTORPULSE_METRICS_ADDR is set.
	reg := metrics.New(db)
	mail, mailer, err := newDelivery(ctx, e, db, reg)
	if err != nil {
		return err
	}
	// The job queue sends email, sweeps expired links, mixes held answers
	// and releases closed windows (once a minute, on whichever instance
	// leads). It stops after the HTTP server, so that
	// requests still in flight can enqueue.
	if err := mail.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	cfg := apiConfig(e)
	cfg.Delivery = mail
	cfg.Metrics = reg
	srv, err := api.New(db, cfg)
	if err != nil {
		mail.Stop(context.WithoutCancel(ctx))
		return err
	}
	var metricsLn net.Listener
	if addr := e.cfg.MetricsAddr; addr != "" {
		if metricsLn, err = net.Listen("tcp", addr); err != nil {
			mail.Stop(context.WithoutCancel(ctx))
			return fmt.Errorf("MENTORPULSE_METRICS_ADDR: %w", err)
		}
		e.log.Info("serving metrics", "addr", metricsLn.Addr().String())
	}
	// The session sweep and the mail check stop with ctx; wait for them
	// before the deferred db.Close so they never run against a closed pool.
	bgCtx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer background.Wait()
	defer stopBackground()
	background.Go(func() { sweepSessions(bgCtx, e, db) })
	background.Go(func() { checkMail(bgCtx, e, mailer) })
	if metricsLn != nil {
		// It stops with the HTTP server. Should it fail meanwhile,
		// monitoring is not the service: say so and keep serving.
		background.Go(func() {
			if err := reg.Serve(bgCtx, metricsLn, e.log); err != nil {
				e.log.Error("metrics listener failed", "addr", e.cfg.MetricsAddr, "err", err)
			}
		})
	}
	err = srv.Serve(ctx, e.cfg.Addr, e.cfg.ShutdownTimeout, func(a net.Addr) {
		e.log.Info("serving", "addr", a.String(), "base_url", e.cfg.BaseURL)
	})
	stopCtx, cancel := context.WithTimeout(context.Background(), e.cfg.ShutdownTimeout)
	defer cancel()
	if serr := mail.Stop(stopCtx); serr != nil && err == nil {
		err = fmt.Errorf("stop job queue: %w", serr)
	}
	if err == nil {
		e.log.Info("stopped")
	}
	return err
}

// helpOK turns "help was printed" into success.
func helpOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "migrate\n\nApplies database migrations that have not been applied yet.")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	return db.Close()
}
