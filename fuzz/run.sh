#!/usr/bin/env bash
# Fuzzes Borgen's input parsers for a bounded time each and fails on a crash.
#
#     bash fuzz/run.sh                     # every target, 60 s each
#     FUZZ_SECONDS=300 bash fuzz/run.sh read_table
#
# Targets (fuzz/fuzz_targets/): read_table (the CSV/XLSX reader of imports),
# import_resolve (column mapping, rows, asset and risk forms against a fixed
# organisation), form_parse (urlencoded and JSON bodies into the core forms).
# Builds the targets the way cargo-fuzz does (libFuzzer's coverage
# instrumentation through RUSTFLAGS, for the host target only so that build
# scripts and proc macros stay plain), with plain cargo: nothing to install.
# Stable toolchain, no sanitizer (Rust code is memory-safe; panics, aborts,
# timeouts and out-of-memory are what is looked for); FUZZ_NIGHTLY=1 uses
# nightly with AddressSanitizer (FUZZ_SANITIZER=none turns it off). Starts from the
# seed corpus in fuzz/corpus/<target>/ (kept small: new inputs go to the
# untracked fuzz/corpus-work/), crashes go to fuzz/artifacts/<target>/.
# Prints the number of executions per target.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(read_table import_resolve form_parse)

say() { echo "[fuzz] $*"; }

HOST="$(rustc -vV | sed -n 's/^host: //p')"
# cargo-fuzz's defaults (src/project.rs): coverage with comparisons and stack
# depth, no branch folding, dead code kept, one codegen unit, debug assertions.
FLAGS="${RUSTFLAGS:-} -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
FLAGS+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table"
FLAGS+=" -Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth"
FLAGS+=" -Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Clink-dead-code -Ccodegen-units=1"
FLAGS+=" --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
if [ "${FUZZ_NIGHTLY:-0}" = 1 ] && rustup run nightly rustc --version >/dev/null 2>&1; then
    CARGO=(cargo +nightly)
    SANITIZER="${FUZZ_SANITIZER:-address}"
    say "toolchain: $(rustup run nightly rustc --version), sanitizer $SANITIZER"
else
    CARGO=(cargo)
    SANITIZER=none
    say "toolchain: $(rustc --version), no sanitizer (a sanitizer needs FUZZ_NIGHTLY=1)"
fi
case "$SANITIZER" in
    none | "") ;;
    address) FLAGS+=" -Zsanitizer=address"; export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}" ;;
    *) say "sanitizer $SANITIZER is not supported here (address or none)"; exit 2 ;;
esac

say "building ${TARGETS[*]} for $HOST"
# Its own target directory: other RUSTFLAGS than the workspace's.
export CARGO_TARGET_DIR="$PWD/target"
RUSTFLAGS="$FLAGS" "${CARGO[@]}" build --release --target "$HOST" $(printf -- '--bin %s ' "${TARGETS[@]}")
BIN_DIR="target/$HOST/release"

declare -A RUNS
failed=0
for t in "${TARGETS[@]}"; do
    work="corpus-work/$t"
    mkdir -p "$work" "artifacts/$t"
    cp -n corpus/"$t"/* "$work"/ 2>/dev/null || true
    log="$(mktemp)"
    say "running $t for $FUZZ_SECONDS s"
    set +e
    "$BIN_DIR/$t" "$work" \
        -max_total_time="$FUZZ_SECONDS" -timeout=10 -max_len=16384 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="artifacts/$t/" 2>&1 | tee "$log" | grep -E '^(#[0-9]+\s+(INITED|DONE|pulse))|ERROR|panicked|SUMMARY'
    rc=${PIPESTATUS[0]}
    set -e
    runs="$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1)"
    RUNS[$t]="${runs:-?}"
    if [ "$rc" -ne 0 ]; then
        say "$t FAILED (exit $rc); the crashing input is in fuzz/artifacts/$t/; last lines:"
        tail -n 40 "$log"
        failed=1
    fi
    rm -f "$log"
done

say "executions in $FUZZ_SECONDS s per target:"
for t in "${TARGETS[@]}"; do
    say "  $t: ${RUNS[$t]}"
done
if [ "$failed" -ne 0 ]; then
    say "FAILED: a target crashed"
    exit 1
fi
say "no crashes"
