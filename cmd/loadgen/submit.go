package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

type results struct {
	latencies []time.Duration
	statuses  map[int]int
	errors    int
	elapsed   time.Duration
	peakRSS   string
}

// submitAll sends one valid submission per token from o.concurrency workers.
// The first o.warmup tokens warm the server up and are not measured.
func submitAll(ctx context.Context, o options, tokens []string) (*results, error) {
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: o.concurrency * 2, MaxIdleConnsPerHost: o.concurrency * 2,
	}, Timeout: 30 * time.Second}
	base := strings.TrimRight(o.url, "/")
	if _, err := fire(ctx, client, base, tokens[:o.warmup], o.concurrency); err != nil {
		return nil, err
	}
	start := time.Now()
	r, err := fire(ctx, client, base, tokens[o.warmup:], o.concurrency)
	if err != nil {
		return nil, err
	}
	r.elapsed = time.Since(start)
	if o.pid > 0 {
		r.peakRSS = peakRSS(o.pid)
	}
	return r, nil
}

func fire(ctx context.Context, client *http.Client, base string, tokens []string, workers int) (*results, error) {
	r := &results{statuses: map[int]int{}}
	var mu sync.Mutex
	next := make(chan string)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var lat []time.Duration
			statuses := map[int]int{}
			errs := 0
			for tok := range next {
				body := submissionBody(rng)
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/surveys/"+tok, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					errs++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
				statuses[resp.StatusCode]++
			}
			mu.Lock()
			r.latencies = append(r.latencies, lat...)
			for k, v := range statuses {
				r.statuses[k] += v
			}
			r.errors += errs
			mu.Unlock()
		}()
	}
	for _, t := range tokens {
		select {
		case next <- t:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	return r, ctx.Err()
}

var comments = []string{"Clear next steps.", "Made time for me.", "Asked how I was doing.", ""}

func submissionBody(rng *rand.Rand) []byte {
	var b strings.Builder
	b.WriteString(`{"answers":{`)
	for i, k := range []string{"A1", "A2", "C1", "C2", "C3", "S1", "S2", "S3", "G"} {
		if i > 0 {
			b.WriteByte(',')
		}
		if rng.IntN(10) == 0 {
			fmt.Fprintf(&b, "%q:null", k)
		} else {
			fmt.Fprintf(&b, "%q:%d", k, 2+rng.IntN(4))
		}
	}
	fmt.Fprintf(&b, `},"comments":{"keep_doing":%q,"next_time":%q}}`, comments[rng.IntN(len(comments))], comments[rng.IntN(len(comments))])
	return []byte(b.String())
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// peakRSS reads VmHWM (the peak resident set) of a Linux process.
func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func (r *results) print(w io.Writer, o options) {
	slices.Sort(r.latencies)
	ok := r.statuses[http.StatusCreated]
	fmt.Fprintf(w, "submissions: %d sent, %d created (201), other statuses %v, transport errors %d\n",
		len(r.latencies)+r.errors, ok, otherStatuses(r.statuses), r.errors)
	fmt.Fprintf(w, "concurrency: %d clients, elapsed %s\n", o.concurrency, r.elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "throughput: %.0f completed submissions/s\n", float64(ok)/r.elapsed.Seconds())
	fmt.Fprintf(w, "latency: p50 %s  p95 %s  p99 %s  max %s\n",
		percentile(r.latencies, .50).Round(10*time.Microsecond), percentile(r.latencies, .95).Round(10*time.Microsecond),
		percentile(r.latencies, .99).Round(10*time.Microsecond), percentile(r.latencies, 1).Round(10*time.Microsecond))
	if r.peakRSS != "" {
		fmt.Fprintf(w, "server peak RSS: %s\n", r.peakRSS)
	}
}

func otherStatuses(m map[int]int) map[int]int {
	out := map[int]int{}
	for k, v := range m {
		if k != http.StatusCreated {
			out[k] = v
		}
	}
	return out
}
