#!/usr/bin/env bash
# Whole-process benchmark (release preset): `nr-analyzer trace --file F --format json` on synthetic
# traces against Python's json.load of the same file, in the same run. Arguments go to
# bench/process_bench.py, e.g. bench/process.sh --spans 1000 --spans 100000 --reps 15 [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target nr-analyzer nra_gen_trace --parallel "${JOBS:-2}" >/dev/null
exec python3 bench/process_bench.py build/release/nr-analyzer build/release/nra_gen_trace "$@"
