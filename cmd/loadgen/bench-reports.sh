#!/usr/bin/env bash
# Report benchmark (issue 4): load N responses over 200 residents with the
# demo loader on a fresh PostgreSQL database, then time reports over HTTP.
# Usage: cmd/loadgen/bench-reports.sh N [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:?number of responses, e.g. 1000000}
DB=mentorpulse_bench_reports_$N
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
URL="$PGURL/$DB?sslmode=disable"
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
go build -o /tmp/mentorpulse ./cmd/mentorpulse
go build -o /tmp/loadgen ./cmd/loadgen
export MENTORPULSE_DATABASE_URL="$URL"
start=$(date +%s)
/tmp/mentorpulse demo --residents 200 --responses "$N" >/dev/null
echo "demo load of $N responses: $(( $(date +%s) - start )) s"
MENTORPULSE_ADDR=127.0.0.1:8096 MENTORPULSE_SECRET_KEY=benchmark-secret-key-at-least-32-characters \
  /tmp/mentorpulse serve 2>/tmp/mentorpulse-bench-reports.log &
PID=$!
trap 'kill $PID' EXIT
until curl -sf http://127.0.0.1:8096/readyz >/dev/null; do sleep 0.2; done
/tmp/loadgen -mode reports -url http://127.0.0.1:8096 -links "${2:-1000}" -c 1 -pid "$PID"
