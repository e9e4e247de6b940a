#!/usr/bin/env bash
# Load benchmark of the risk register (issue 4), against a release build on
# SQLite (synchronous=FULL) in a fresh data directory:
#   1. creating risks through the API with durable commits and the audit chain:
#      from one client, then from 8 concurrent clients, up to 20,000 risks;
#   2. GET one risk and GET a 10-row page, API and HTML, at concurrency 8 (wrk);
#   3. the register export of 1,000 risks as XLSX and PDF.
# Needs: cargo, node, wrk (Debian: apt-get install wrk), curl.
# Prints the figures BENCHMARKS.md reports.
# Usage: bash bench/load.sh            (TOTAL=20000 ONE=1000 DURATION=10s by default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOTAL=${TOTAL:-20000}
ONE=${ONE:-1000}
DURATION=${DURATION:-10s}
PORT=${PORT:-18181}
BIN=target/release/borgen
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
[ -x "$BIN" ] || cargo build --release
DATA=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
PWFILE="$DATA/pw"; echo "benchmark passphrase" > "$PWFILE"
$BIN org create --name "Bench B.V." --slug bench --data-dir "$DATA" >/dev/null
$BIN user create --email bench@example.org --name Bench --password-file "$PWFILE" --data-dir "$DATA" >/dev/null
$BIN member add --org bench --user bench@example.org --role isms_manager --data-dir "$DATA" >/dev/null
TOKEN=$($BIN token create --user bench@example.org --org bench --data-dir "$DATA" | tail -n 1)
BORGEN_LOG=warn $BIN serve --listen 127.0.0.1:$PORT --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 50); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
echo "== machine: $(nproc) cores; $(uname -r); SQLite in $DATA"
echo "== 1. creating $TOTAL risks"
node bench/load.mjs "$BASE" "$TOKEN" "$ONE" "$TOTAL"
ID=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/orgs/bench/risks?per_page=1&page=5000" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].id))')
# A session for the HTML pages.
JAR="$DATA/jar"
curl -sf -c "$JAR" -b "$JAR" "$BASE/login" >/dev/null
CSRF=$(awk '$6=="borgen_csrf"{print $7}' "$JAR")
curl -sf -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "email=bench@example.org" --data-urlencode "password=benchmark passphrase" --data-urlencode "_csrf=$CSRF" "$BASE/login"
SESSION=$(awk '$6=="borgen_session"{print $7}' "$JAR")
echo "== 2. reads at concurrency 8 for $DURATION each (p50 / p99 from wrk --latency)"
run() {
  local label=$1; shift
  local out
  out=$(wrk -t2 -c8 -d"$DURATION" --latency "$@")
  printf '%-34s %8s req/s   p50 %-9s p99 %-9s\n' "$label" \
    "$(echo "$out" | awk '/Requests\/sec/{print $2}')" \
    "$(echo "$out" | awk '$1=="50%"{print $2}')" \
    "$(echo "$out" | awk '$1=="99%"{print $2}')"
}
run "API  GET one risk" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/orgs/bench/risks/$ID"
run "API  GET 10-row page (page 900)" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/orgs/bench/risks?per_page=10&page=900"
run "HTML GET one risk" -H "Cookie: borgen_session=$SESSION" "$BASE/o/bench/risks/$ID"
run "HTML GET 10-row page (page 900)" -H "Cookie: borgen_session=$SESSION" "$BASE/o/bench/risks?per_page=10&page=900"
echo "== 3. export of the first $ONE risks (median of 5)"
for fmt in xlsx pdf; do
  times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/orgs/bench/risks/export/$fmt?q=bench-a")")
  done
  printf 'export %-4s %s s (runs: %s)\n' "$fmt" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" "${times[*]}"
done
