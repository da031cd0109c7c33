#!/usr/bin/env python3
"""Scores `nr-analyzer incident` on the labelled incident windows (issue 24).

For every window of <data>/windows.json runs
    BINARY incident --dir <window> --baseline <data>/baselines.json --format json
(60 s timeout, 2 at a time) and finds the rank of the labelled service among the distinct
`suspects[].service` of the Incident JSON (absent or empty: a miss). Prints top-1/top-3 per fault
type, for windows whose faulty endpoint is common and rare, and writes the table as Markdown to
bench/faults/results_incident.md. Python 3 standard library only:
    python3 bench/faults/eval_incident.py --binary build/dev/nr-analyzer [--data bench/faults/data]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
TIMEOUT_S = 60
WORKERS = 2


def run_window(binary: str, data: pathlib.Path, w: dict) -> dict:
    cmd = [binary, "incident", "--dir", str(data / w["dir"]), "--baseline",
           str(data / "baselines.json"), "--format", "json"]
    out = {"case": w["case"], "fault": w["fault"], "service": w["service"], "rare": w["rare"]}
    began = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        out["error"] = "timed out"
        return out
    out["seconds"] = round(time.monotonic() - began, 3)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        out["error"] = f"exit {proc.returncode}, not JSON: {e}: {proc.stderr.strip()[:200]}"
        return out
    order = []
    for s in report.get("suspects") or []:
        if s.get("service") not in order:
            order.append(s.get("service"))
    out["order"] = order[:5]
    out["rank"] = order.index(w["service"]) + 1 if w["service"] in order else None
    return out


def pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:.1f}%" if d else "-"


def rows_of(results: list) -> list:
    groups = {}
    for r in results:
        groups.setdefault(r["fault"], []).append(r)
    rows = []
    for name, rs in list(groups.items()) + [("overall", results)]:
        def top(k, subset):
            return sum(1 for r in subset if r.get("rank") and r["rank"] <= k)
        rare = [r for r in rs if r["rare"]]
        rows.append({"fault": name, "windows": len(rs), "top1": pct(top(1, rs), len(rs)),
                     "top3": pct(top(3, rs), len(rs)), "rare_top1": pct(top(1, rare), len(rare)),
                     "failed": sum(1 for r in rs if "error" in r)})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--data", default=str(HERE / "data"))
    ap.add_argument("--markdown", default=str(HERE / "results_incident.md"))
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    try:
        windows = json.loads((data / "windows.json").read_text())
    except (OSError, json.JSONDecodeError) as e:
        print(f"error: {e} (python3 tools/faults/gen_faults.py)", file=sys.stderr)
        return 1
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda w: run_window(args.binary, data, w), windows))
    seconds = time.monotonic() - began
    rows = rows_of(results)
    head = f"{'fault':16} {'windows':>7} {'top-1':>7} {'top-3':>7} {'rare top-1':>10} {'failed':>6}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['fault']:16} {r['windows']:>7} {r['top1']:>7} {r['top3']:>7} "
              f"{r['rare_top1']:>10} {r['failed']:>6}")
    for r in [r for r in results if "error" in r][:5]:
        print(f"  failed: {r['case']}: {r['error']}", file=sys.stderr)
    print(f"{len(results)} windows in {seconds:.1f} s with {args.binary}")
    md = ["# Incident window benchmark results", "",
          f"{len(results)} windows of 20 traces from `{args.data}`, evaluated "
          f"{time.strftime('%Y-%m-%d', time.gmtime())} with `{args.binary}`: rank of the labelled "
          "service among `suspects[].service` of `incident --dir W --baseline B --format json`.",
          "", "| fault | windows | top-1 | top-3 | rare endpoint top-1 |", "|---|---:|---:|---:|---:|"]
    md += [f"| {r['fault']} | {r['windows']} | {r['top1']} | {r['top3']} | {r['rare_top1']} |"
           for r in rows]
    pathlib.Path(args.markdown).write_text("\n".join(md) + "\n", encoding="utf-8")
    (data / "results_incident.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
