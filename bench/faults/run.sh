#!/usr/bin/env bash
# The labelled fault benchmark (issue 23, part 6): generates bench/faults/data/ when it is missing
# (or with --regen), then scores a binary's Summary JSON on it (see bench/faults/README.md).
#   bench/faults/run.sh [--regen] [path/to/nr-analyzer]
# Default binary: build/release/nr-analyzer, else build/dev/nr-analyzer. Python 3 stdlib only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$here/data"

regen=0
binary=""
for arg in "$@"; do
    case "$arg" in
        --regen) regen=1 ;;
        -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option: $arg" >&2; exit 2 ;;
        *) binary="$arg" ;;
    esac
done

if [[ -z "$binary" ]]; then
    for candidate in "$root/build/release/nr-analyzer" "$root/build/dev/nr-analyzer"; do
        if [[ -x "$candidate" ]]; then binary="$candidate"; break; fi
    done
fi
if [[ -z "$binary" || ! -x "$binary" ]]; then
    echo "no nr-analyzer binary found (build it, or pass its path)" >&2
    exit 1
fi

if [[ $regen -eq 1 || ! -f "$data/labels.json" || ! -f "$data/baselines.json" ]]; then
    python3 "$root/tools/faults/gen_faults.py" --out "$data"
fi
exec python3 "$here/eval_suspects.py" --binary "$binary" --data "$data"
