// Command vulnfilter reads govulncheck's JSON output on stdin and fails when
// the code reaches a vulnerability that .ci/govulncheck-accepted does not
// list with a reason. govulncheck has no way to accept a finding, and a
// module-wide report with no fixed version (no symbols to trace) would
// otherwise fail every run until the module is replaced.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type message struct {
	Finding *struct {
		OSV   string `json:"osv"`
		Trace []struct {
			Module   string `json:"module"`
			Package  string `json:"package"`
			Function string `json:"function"`
		} `json:"trace"`
	} `json:"finding"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: govulncheck -format json ./... | vulnfilter ACCEPTED_FILE")
		os.Exit(2)
	}
	accepted, err := readAccepted(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulnfilter:", err)
		os.Exit(2)
	}
	reached := map[string]string{}
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	for {
		var m message
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "vulnfilter: reading govulncheck output:", err)
			os.Exit(2)
		}
		// A finding whose trace names a function of the module is reached
		// by our code (govulncheck's "affected"); package and module level
		// findings are imported or required but not called.
		if f := m.Finding; f != nil && len(f.Trace) > 0 && f.Trace[0].Function != "" {
			reached[f.OSV] = f.Trace[0].Module
		}
	}
	var failed []string
	ids := make([]string, 0, len(reached))
	for id := range reached {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if reason, ok := accepted[id]; ok {
			fmt.Printf("accepted %s (%s): %s\n", id, reached[id], reason)
			continue
		}
		failed = append(failed, id)
		fmt.Printf("REACHED %s in %s: see https://pkg.go.dev/vuln/%s\n", id, reached[id], id)
	}
	if len(failed) > 0 {
		fmt.Printf("%d vulnerabilities reached by our code; fix them or accept them with a reason in %s\n", len(failed), os.Args[1])
		os.Exit(1)
	}
	fmt.Printf("no vulnerability reached beyond the %d accepted\n", len(accepted))
}

// readAccepted reads "ID reason…" lines; # starts a comment. An entry
// without a reason is refused: accepting a risk needs one.
func readAccepted(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: %s needs a reason", path, i+1, id)
		}
		out[id] = strings.TrimSpace(reason)
	}
	return out, nil
}
