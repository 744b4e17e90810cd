#!/usr/bin/env bash
# Submission benchmark (issue 2): a fresh PostgreSQL database, the service,
# the HTTP load generator, then pgbench running the same statement.
# Usage: cmd/loadgen/bench-submit.sh [LINKS]   (PostgreSQL at 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/../.."
LINKS=${1:-20000}
DB=mentorpulse_bench_submit
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
URL="$PGURL/$DB?sslmode=disable"
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
go build -o /tmp/mentorpulse ./cmd/mentorpulse
go build -o /tmp/loadgen ./cmd/loadgen
export MENTORPULSE_DATABASE_URL="$URL"
/tmp/mentorpulse migrate 2>/dev/null
# Request logs stay on (info), written to a file as in production.
MENTORPULSE_ADDR=127.0.0.1:8097 MENTORPULSE_SURVEY_RATE_LIMIT=off \
  MENTORPULSE_SECRET_KEY=benchmark-secret-key-at-least-32-characters \
  /tmp/mentorpulse serve 2>/tmp/mentorpulse-bench.log &
PID=$!
trap 'kill $PID' EXIT
until curl -sf http://127.0.0.1:8097/readyz >/dev/null; do sleep 0.2; done
echo "== load generator over HTTP, 16 clients"
/tmp/loadgen -url http://127.0.0.1:8097 -links "$LINKS" -c 16 -pid "$PID"
echo "== pgbench, the same statement, 16 clients"
/tmp/loadgen -pgbench-setup "$LINKS" >/dev/null
pgbench -n -M prepared -f cmd/loadgen/pgbench/submit.sql -c 16 -j 2 -t $((LINKS / 16)) "$URL" 2>&1 |
  grep -E "failed|latency average|tps"
