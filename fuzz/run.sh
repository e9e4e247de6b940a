#!/usr/bin/env bash
# Fuzzes Borgen's input parsers for a bounded time each and fails on a crash.
#
#     bash fuzz/run.sh                     # every target, 60 s each
#     FUZZ_SECONDS=300 bash fuzz/run.sh read_table
#
# Targets (fuzz/fuzz_targets/): read_table (the CSV/XLSX reader of imports),
# import_resolve (column mapping, rows, asset and risk forms against a fixed
# organisation), form_parse (urlencoded and JSON bodies into the core forms).
# Installs cargo-fuzz when missing. Uses the stable toolchain with
# RUSTC_BOOTSTRAP=1 and no sanitizer (Rust code is memory-safe; panics,
# aborts, timeouts and out-of-memory are what is looked for); FUZZ_NIGHTLY=1
# uses nightly with AddressSanitizer (FUZZ_SANITIZER overrides either). Starts from the
# seed corpus in fuzz/corpus/<target>/ (kept small: new inputs go to the
# untracked fuzz/corpus-work/), crashes go to fuzz/artifacts/<target>/.
# Prints the number of executions per target.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(read_table import_resolve form_parse)

say() { echo "[fuzz] $*"; }

if ! cargo fuzz --version >/dev/null 2>&1; then
    say "cargo-fuzz is not installed: cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked
fi

# Stable by default, so that a fresh machine (one toolchain) fuzzes the same
# way CI does; FUZZ_NIGHTLY=1 uses a nightly toolchain with AddressSanitizer.
if [ "${FUZZ_NIGHTLY:-0}" = 1 ] && rustup run nightly rustc --version >/dev/null 2>&1; then
    CARGO=(cargo +nightly)
    SANITIZER="${FUZZ_SANITIZER:-address}"
    say "toolchain: $(rustup run nightly rustc --version), sanitizer $SANITIZER"
else
    export RUSTC_BOOTSTRAP=1
    CARGO=(cargo +stable)
    SANITIZER="${FUZZ_SANITIZER:-none}"
    say "toolchain: $(rustc +stable --version) with RUSTC_BOOTSTRAP=1, sanitizer $SANITIZER"
fi

declare -A RUNS
failed=0
for t in "${TARGETS[@]}"; do
    say "building $t"
    "${CARGO[@]}" fuzz build -s "$SANITIZER" "$t"
    work="corpus-work/$t"
    mkdir -p "$work" "artifacts/$t"
    cp -n corpus/"$t"/* "$work"/ 2>/dev/null || true
    log="$(mktemp)"
    say "running $t for $FUZZ_SECONDS s"
    set +e
    "${CARGO[@]}" fuzz run -s "$SANITIZER" "$t" "$work" -- \
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
