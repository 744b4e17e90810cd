package main

import (
	"os"
	"testing"
)

// TestPgbenchScriptIsCurrent fails when the submission statement changed but
// the committed pgbench script was not regenerated: the comparison in
// docs/benchmarks.md must run the statement the server runs.
func TestPgbenchScriptIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("pgbench/submit.sql")
	if err != nil {
		t.Fatal(err)
	}
	if got := pgbenchScript(); string(committed) != got {
		t.Errorf("cmd/loadgen/pgbench/submit.sql is stale: regenerate it with\n  go run ./cmd/loadgen -pgbench-script > cmd/loadgen/pgbench/submit.sql")
	}
}
