#!/usr/bin/env bash
# API fuzzing: starts the debug binary with the demo organisation on a free
# port, makes an API token, and runs schemathesis against the served OpenAPI
# document for a bounded time. Fails on any 5xx, on a response that does not
# match its schema, and on a wrong content type.
#
#     bash tests/api-fuzz/run.sh            # FUZZ_API_SECONDS=120 by default
#
# Needs target/debug/borgen (or $BORGEN_BIN) and python3; installs schemathesis
# into a virtual environment under target/ the first time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO="$PWD"
BIN="${BORGEN_BIN:-$REPO/target/debug/borgen}"
SECONDS_BUDGET="${FUZZ_API_SECONDS:-120}"
VENV="$REPO/target/schemathesis-venv"
mkdir -p "$REPO/target"
if [ ! -x "$VENV/bin/st" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "schemathesis>=4,<5"
fi
echo "schemathesis $("$VENV/bin/st" --version | awk '{print $NF}')"

DATA="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$BIN" demo --listen "127.0.0.1:$PORT" --data-dir "$DATA" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null
BORGEN_TOKEN="$("$BIN" token create --user isms@voorbeeld.nl --org voorbeeld --name fuzz --data-dir "$DATA" \
    | grep -o 'borgen_[A-Za-z0-9_]*' | head -n 1)"
export BORGEN_TOKEN
[ -n "$BORGEN_TOKEN" ] || { echo "no token"; exit 1; }

# From target/, so that schemathesis keeps its cache (.schemathesis/) there. One
# worker: with two threads, hypothesis parses its own source concurrently and
# CPython 3.11's parser can fail ("AST constructor recursion depth mismatch"),
# a runtime error of the tool, not a finding.
cd "$REPO/target"
"$VENV/bin/st" --config-file "$REPO/tests/api-fuzz/schemathesis.toml" run \
    "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance \
    --max-time "$SECONDS_BUDGET" --workers 1 --seed 1 --no-color \
    --generation-database none \
    --report junit --report-dir "$REPO/target/schemathesis-report"
echo "server log: $(grep -c ' ERROR ' "$DATA/server.log" || true) errors logged"
if grep -q ' ERROR ' "$DATA/server.log"; then
    grep ' ERROR ' "$DATA/server.log" | head -n 20
    exit 1
fi
