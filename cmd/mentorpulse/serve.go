package main

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "serve\n\nRuns the web service on MENTORPULSE_ADDR, migrating the database first.")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := bootstrapAdmin(ctx, e, db); err != nil {
		return err
	}
	srv, err := api.New(db, apiConfig(e))
	if err != nil {
		return err
	}
	// Background sweeps stop with ctx; wait for them before the deferred
	// db.Close so none runs against a closed pool.
	bgCtx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer background.Wait()
	defer stopBackground()
	background.Go(func() { expireLinks(bgCtx, e, db) })
	background.Go(func() { sweepSessions(bgCtx, e, db) })
	err = srv.Serve(ctx, e.cfg.Addr, e.cfg.ShutdownTimeout, func(a net.Addr) {
		e.log.Info("serving", "addr", a.String(), "base_url", e.cfg.BaseURL)
	})
	if err == nil {
		e.log.Info("stopped")
	}
	return err
}

// expireLinks marks overdue links expired once a minute. Status is also
// derived at read time, so this only keeps stored statuses tidy.
func expireLinks(ctx context.Context, e *env, db interface {
	ExpireLinks(context.Context) (int64, error)
}) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if n, err := db.ExpireLinks(ctx); err != nil && !errors.Is(err, context.Canceled) {
			e.log.Warn("expire links", "err", err)
		} else if n > 0 {
			e.log.Info("expired links", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
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
