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
	resident    string
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
	fs.StringVar(&o.resident, "resident", "loadgen-resident@example.test", "resident the links belong to (created if missing)")
	fs.IntVar(&o.warmup, "warmup", 500, "submissions before measuring (connections, prepared statements)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.databaseURL == "" {
		return errors.New("set -database-url or MENTORPULSE_DATABASE_URL to the server's database")
	}
	if o.links < 1 || o.concurrency < 1 {
		return errors.New("-links and -c must be positive")
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
