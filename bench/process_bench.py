#!/usr/bin/env python3
"""Whole-process benchmark: `nr-analyzer trace --file F --format json` on synthetic New Relic traces,
against Python's json.load of the same file measured in the same run (the reference: merely parsing
the document in a widely used runtime). Prints medians, the ratio and each process's peak RSS.

Usage: bench/process_bench.py NR_ANALYZER GEN_TRACE [--spans N ...] [--reps K] [--check]
(bench/process.sh builds both binaries in the release preset and calls this.)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_RATIO = 0.35        # whole process / json.load, 100k spans
TARGET_RSS_MB = 150        # peak RSS of the process, 100k spans


def run_process(argv):
    """Wall seconds and peak RSS (MB) of one child process; its output is discarded."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({child.returncode}): {err.strip()[:300]}")
    return seconds, usage.ru_maxrss / 1024.0


# In a child process: loaded here, the parsed document would stay in this process, and every
# fork of it for our binary would start with its hundreds of MB (counted in the child's peak RSS).
LOAD = ("import json, sys, time\n"
        "start = time.perf_counter()\n"
        "with open(sys.argv[1], 'rb') as f:\n"
        "    json.load(f)\n"
        "print(time.perf_counter() - start)\n")


def json_load_seconds(path):
    out = subprocess.run([sys.executable, "-c", LOAD, path], check=True, capture_output=True)
    return float(out.stdout)


def measure(binary, path, reps):
    ours, rss, ref = [], [], []
    run_process([binary, "trace", "--file", path, "--format", "json"])  # warm the page cache
    json_load_seconds(path)
    for _ in range(reps):  # alternate, so a noisy neighbour hits both sides alike
        seconds, peak = run_process([binary, "trace", "--file", path, "--format", "json"])
        ours.append(seconds)
        rss.append(peak)
        ref.append(json_load_seconds(path))
    return statistics.median(ours), max(rss), statistics.median(ref)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("generator")
    parser.add_argument("--spans", type=int, action="append")
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sizes = args.spans or [100_000]
    met = True
    print(f"whole process (trace --file F --format json) vs Python {sys.version.split()[0]} "
          f"json.load of the same file; medians of {args.reps}")
    print(f"  {'spans':>9} {'file MB':>8} {'ours ms':>9} {'json.load ms':>13} {'ratio':>7} "
          f"{'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = os.path.join(tmp, f"trace-{n}.json")
            subprocess.run([args.generator, str(n), path], check=True, stdout=subprocess.DEVNULL)
            ours, rss, ref = measure(args.binary, path, args.reps)
            ratio = ours / ref
            print(f"  {n:>9} {os.path.getsize(path) / 1e6:>8.1f} {ours * 1e3:>9.1f} "
                  f"{ref * 1e3:>13.1f} {ratio:>7.2f} {rss:>12.0f}")
            if n == 100_000:
                ok_ratio = ratio <= TARGET_RATIO
                ok_rss = rss <= TARGET_RSS_MB
                met = met and ok_ratio and ok_rss
                print(f"  target 100k: ratio ≤ {TARGET_RATIO} {'met' if ok_ratio else 'MISSED'}; "
                      f"peak RSS ≤ {TARGET_RSS_MB} MB {'met' if ok_rss else 'MISSED'}")
            os.remove(path)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
