package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// cmdHealthcheck asks the local server's /readyz, for container health checks
// on images without curl.
func cmdHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "healthcheck", "healthcheck\n\nExits 0 when the service on MENTORPULSE_ADDR answers /readyz with 200.")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	host, port, err := net.SplitHostPort(e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("MENTORPULSE_ADDR %q: %w", e.cfg.Addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("service not reachable: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("service not ready: /readyz answered %d", resp.StatusCode)
	}
	fmt.Fprintln(e.stdout, "ready")
	return nil
}
