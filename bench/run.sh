#!/usr/bin/env bash
# Builds the optimized benchmark (release preset) and runs it. Extra arguments go to nra_bench:
#   bench/run.sh            full run (median of 41 / 21 / 7 / 3 repetitions for 1k / 10k / 100k / 1M spans)
#   bench/run.sh --quick    a few repetitions, for a smoke test
#   bench/run.sh --check    exit 1 when a target (10k ≤ 20 ms, 100k ≤ 300 ms end to end) is missed
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target nra_bench --parallel "${JOBS:-2}"
exec build/release/nra_bench "$@"
