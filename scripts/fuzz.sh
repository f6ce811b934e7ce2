#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a bounded time (make fuzz, part of make test): SECONDS each
# (default 45), starting from the committed seeds (fuzz/seeds/TARGET) and the corpus earlier runs
# grew (target/fuzz/corpus/TARGET, outside the repository). Stable toolchain: RUSTC_BOOTSTRAP=1
# lets rustc take the flags cargo-fuzz passes, and `-s none` leaves out the sanitizer (nightly
# only). A crash, a timeout or an out-of-memory input fails the run; its input is kept in
# target/fuzz/artifacts/TARGET/ (docs/fuzzing.md says how to replay it).
set -euo pipefail
secs=${1:-45}
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
out=$PWD/target/fuzz
failed=()
for t in $(cargo fuzz list --fuzz-dir fuzz); do
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
  echo "fuzz: $t for ${secs}s"
  if ! cargo fuzz run "$t" --fuzz-dir fuzz -s none --target-dir "$out/build" \
      "$out/corpus/$t" "fuzz/seeds/$t" -- \
      -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$out/artifacts/$t/"; then
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]} (inputs in $out/artifacts/)" >&2
  exit 1
fi
echo "fuzz: every target ran ${secs}s without a failure"
