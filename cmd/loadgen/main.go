// Command loadgen measures the submission path over HTTP: it creates N survey
// links directly in the database, then submits them from C concurrent
// clients against a running server and prints throughput, latency
// percentiles and the server's peak RSS.
//
//	MENTORPULSE_DATABASE_URL=postgres://… go run ./cmd/loadgen -url http://127.0.0.1:8080 -links 20000 -c 16 -pid $(pgrep -n mentorpulse)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
}

type options struct {
	url         string
	databaseURL string
	links       int
	concurrency int
	pid         int
	residents   int
	warmup      int
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "base URL of the running server")
	fs.StringVar(&o.databaseURL, "database-url", getenv("MENTORPULSE_DATABASE_URL"), "database the server uses (links are created there)")
	fs.IntVar(&o.links, "links", 20000, "number of links to create and submit")
	fs.IntVar(&o.concurrency, "c", 16, "concurrent clients")
	fs.IntVar(&o.pid, "pid", 0, "server process id, to report its peak RSS (Linux)")
	fs.IntVar(&o.residents, "residents", 200, "residents the links are spread over (created if missing)")
	fs.IntVar(&o.warmup, "warmup", 500, "submissions before measuring (connections, prepared statements)")
	script := fs.Bool("pgbench-script", false, "print the pgbench script of the submission statement and exit")
	pgSetup := fs.Int("pgbench-setup", 0, "create N pending links for the pgbench script and exit")
	mode := fs.String("mode", "submit", "submit: measure submissions; reports: measure report reads")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *script {
		_, err := io.WriteString(out, pgbenchScript())
		return err
	}
	if o.databaseURL == "" {
		return errors.New("set -database-url or MENTORPULSE_DATABASE_URL to the server's database")
	}
	if o.links < 1 || o.concurrency < 1 || o.residents < 1 {
		return errors.New("-links, -c and -residents must be positive")
	}
	if *pgSetup > 0 {
		return setupPgbench(ctx, o, *pgSetup, out)
	}
	if *mode == "reports" {
		return measureReports(ctx, o, out)
	}
	if *mode != "submit" {
		return fmt.Errorf("-mode %q: use submit or reports", *mode)
	}
	tokens, err := createLinks(ctx, o)
	if err != nil {
		return err
	}
	res, err := submitAll(ctx, o, tokens)
	if err != nil {
		return err
	}
	res.print(out, o)
	return nil
}
