#!/usr/bin/env bash
# Import benchmark (issue 9), against a release build on SQLite
# (synchronous=FULL) in a fresh data directory: a 50,000-row asset import and
# a 50,000-row risk import while another organisation writes, then two PDF
# exports at once while /healthz is asked; then the crafted files of the
# hardening issue, with the server's peak memory.
# Needs: cargo, node, curl. Prints the figures BENCHMARKS.md reports.
# Usage: bash bench/import.sh            (ROWS=50000 by default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROWS=${ROWS:-50000}
PORT=${PORT:-18182}
BIN=${BIN:-target/release/borgen}
[ -x "$BIN" ] || cargo build --release
DATA=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
PWFILE="$DATA/pw"; echo "benchmark passphrase" > "$PWFILE"
$BIN user create --email bench@example.org --name Bench --password-file "$PWFILE" --data-dir "$DATA" >/dev/null
for org in bench other; do
  $BIN org create --name "$org B.V." --slug $org --data-dir "$DATA" >/dev/null
  $BIN member add --org $org --user bench@example.org --role isms_manager --data-dir "$DATA" >/dev/null
done
TOKEN=$($BIN token create --user bench@example.org --org bench --data-dir "$DATA" | tail -n 1)
OTHER=$($BIN token create --user bench@example.org --org other --data-dir "$DATA" | tail -n 1)
BORGEN_LOG=info $BIN serve --listen 127.0.0.1:$PORT --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 50); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
echo "== machine: $(nproc) cores; $(uname -r); SQLite in $DATA"
node bench/import.mjs "$BASE" "$TOKEN" "$OTHER" "$ROWS"
echo "== write lock held by each import (server log)"
grep -o '"message":"[a-z]* import written".*' "$DATA/server.log" | sed 's/"target".*//' || grep "import written" "$DATA/server.log"
echo "== server memory so far: peak $(awk '/VmHWM/{print $2, $3}' /proc/$SERVER/status)"
