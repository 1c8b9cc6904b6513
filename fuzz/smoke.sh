#!/usr/bin/env bash
# A short run of every fuzz target on its checked-in seeds (README,
# "Fuzzing"): SECONDS_PER_TARGET each (default 10). Needs a nightly
# toolchain and cargo-fuzz; `.ci/run` calls it. A crash fails the run and
# leaves its reproducer in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${SECONDS_PER_TARGET:-10}"
targets=(decode verify_bound evaluate value_literal front_end format)
# With debug assertions: an arithmetic overflow is a finding too.
cargo +nightly fuzz build --debug-assertions
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$corpus/$target"
  echo "fuzz smoke: $target for ${seconds}s"
  # New inputs go to the scratch corpus; the seeds stay as they are.
  status=0
  cargo +nightly fuzz run --debug-assertions "$target" "$corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$corpus/$target.log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$corpus/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$corpus/$target.log" >&2
    echo "fuzz smoke: $target failed (reproducer in fuzz/artifacts/$target/)" >&2
    exit 1
  fi
done
