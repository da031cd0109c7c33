#!/usr/bin/env python3
"""Scores nr-analyzer on the labelled fault benchmark (issue 23, part 6).

For every case of <data>/labels.json runs
    BINARY trace --file <case> --baseline <data>/baselines.json --typical <its typical request>
           --format json
(30 s timeout, 2 cases at a time) and finds the rank of the labelled service in two orderings
of the Summary JSON:

  after   distinct `service` values of `suspects`, in order. An absent or empty list is a miss at
          every rank; an empty list is also counted as "inconclusive", an absent field as "absent".
  before  what the output said until `suspects`: distinct services in the order of
          `baseline.unusual`, then the service of the error origin(s) (`errors[].origin`), then
          the remaining services by `self_ms` (from `services`), largest first.

Prints top-1/top-3 accuracy per fault type and overall, writes the same table as Markdown to
bench/faults/results.md and everything (per case ranks included) to <data>/results.json. Exit 0
(1 only when the data or the binary cannot be found). Python 3 standard library only:
    python3 bench/faults/eval_suspects.py --binary build/dev/nr-analyzer [--data bench/faults/data]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import pathlib
import subprocess

USE_TYPICAL = True  # --no-typical: the cases without their typical request (the "before")
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
FAULTS = ("network_delay", "cpu_contention", "slow_query", "exception", "retries",
          "missing_call", "dependency_down")
TIMEOUT_S = 30
WORKERS = 2


def distinct(services) -> list:
    out = []
    for s in services:
        if isinstance(s, str) and s and s not in out:
            out.append(s)
    return out


def before_order(summary: dict) -> list:
    order = []
    baseline = summary.get("baseline") or {}
    for u in baseline.get("unusual") or []:
        if isinstance(u, dict):
            order.append(u.get("service"))
    for e in summary.get("errors") or []:
        if isinstance(e, dict) and e.get("origin"):
            order.append(e.get("service"))
    services = [s for s in summary.get("services") or [] if isinstance(s, dict)]
    services.sort(key=lambda s: -(s.get("self_ms") or 0))
    order.extend(s.get("service") for s in services)
    return distinct(order)


def suspects_list(summary: dict):
    """The suspects array, or None when the output has no such field."""
    if "suspects" not in summary:
        return None
    s = summary["suspects"]
    if isinstance(s, dict):  # tolerate {"items": [...], "why_none": ...}-like shapes
        for key in ("items", "list", "suspects", "ranked"):
            if isinstance(s.get(key), list):
                return s[key]
        return []
    return s if isinstance(s, list) else []


def rank_of(label: str, order: list):
    return order.index(label) + 1 if label in order else None


def run_case(binary: str, data: pathlib.Path, case: dict) -> dict:
    cmd = [binary, "trace", "--file", str(data / case["file"]), "--baseline",
           str(data / "baselines.json"), "--format", "json"]
    if case.get("typical") and USE_TYPICAL:
        cmd += ["--typical", str(data / case["typical"])]
    began = time.monotonic()
    out = {"case": case["case"], "fault": case["fault"], "service": case["service"],
           "endpoint": case.get("endpoint")}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        out.update(error=f"timed out after {TIMEOUT_S} s", seconds=TIMEOUT_S)
        return out
    out["seconds"] = round(time.monotonic() - began, 3)
    if proc.returncode != 0:
        out["error"] = f"exit {proc.returncode}: {proc.stderr.strip()[:300]}"
        return out
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        out["error"] = f"not JSON: {e}"
        return out
    before = before_order(summary)
    suspects = suspects_list(summary)
    after = distinct(s.get("service") for s in suspects or [] if isinstance(s, dict))
    out.update(
        before=before[:5], before_rank=rank_of(case["service"], before),
        after=after, after_rank=rank_of(case["service"], after),
        suspects_field=suspects is not None,
        inconclusive=suspects is not None and not after,
        baseline_state=(summary.get("baseline") or {}).get("state"),
        spans=summary.get("span_count"),
        # Anything the assembly had to repair means the generator wrote an odd trace.
        assembly_issues={k: v for k, v in (summary.get("assembly") or {}).items()
                         if k not in ("complete", "notes") and v} or None,
    )
    if out["inconclusive"]:
        for key in ("why_none", "suspects_note", "inconclusive", "suspects_reason"):
            if isinstance(summary.get(key), str):
                out["why_none"] = summary[key]
    return out


def pct(n: int, d: int) -> float:
    return round(100.0 * n / d, 1) if d else 0.0


def table(results: list) -> list:
    rows = []
    for fault in list(FAULTS) + ["overall"]:
        rs = [r for r in results if fault == "overall" or r["fault"] == fault]
        if not rs:
            continue
        n = len(rs)

        def hits(key, k):
            return sum(1 for r in rs if r.get(key) is not None and r[key] <= k)
        rows.append({
            "fault": fault, "cases": n,
            "before_top1": pct(hits("before_rank", 1), n), "before_top3": pct(hits("before_rank", 3), n),
            "after_top1": pct(hits("after_rank", 1), n), "after_top3": pct(hits("after_rank", 3), n),
            "inconclusive": sum(1 for r in rs if r.get("inconclusive")),
            "no_suspects_field": sum(1 for r in rs if "error" not in r and not r.get("suspects_field")),
            "failed": sum(1 for r in rs if "error" in r),
        })
    return rows


def render_text(rows: list) -> str:
    head = (f"{'fault':<16} {'cases':>5}  {'before top-1':>12} {'top-3':>6}  "
            f"{'after top-1':>11} {'top-3':>6}  {'inconclusive':>12}  {'failed':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r["fault"] == "overall":
            lines.append("-" * len(head))
        lines.append(f"{r['fault']:<16} {r['cases']:>5}  {r['before_top1']:>11.1f}% "
                     f"{r['before_top3']:>5.1f}%  {r['after_top1']:>10.1f}% {r['after_top3']:>5.1f}%  "
                     f"{r['inconclusive']:>12}  {r['failed']:>6}")
    return "\n".join(lines)


def render_markdown(rows: list, meta: dict) -> str:
    out = [
        "# Fault benchmark results",
        "",
        f"Binary `{meta['binary']}` ({meta['binary_version']}), {meta['cases']} cases from "
        f"`{meta['data']}`, evaluated {meta['when']} in {meta['seconds']:.0f} s. Generated by "
        "`bench/faults/run.sh`; see `bench/faults/README.md`. "
        + ("Each case compared with its endpoint's typical request (`--typical`)."
           if meta.get("typical") else "Without the typical requests (`--no-typical`)."),
        "",
        "Rank of the labelled service: **before** = `baseline.unusual` services, then the error "
        "origin, then services by self time; **after** = the services of `suspects`, in order "
        "(absent or empty: a miss).",
        "",
        "| fault | cases | before top-1 | before top-3 | after top-1 | after top-3 | inconclusive |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        name = f"**{r['fault']}**" if r["fault"] == "overall" else r["fault"]
        out.append(f"| {name} | {r['cases']} | {r['before_top1']:.1f} % | {r['before_top3']:.1f} % | "
                   f"{r['after_top1']:.1f} % | {r['after_top3']:.1f} % | {r['inconclusive']} |")
    overall = rows[-1]
    notes = []
    if overall["no_suspects_field"]:
        notes.append(f"{overall['no_suspects_field']} answers had no `suspects` field (counted as "
                     "misses in the after columns).")
    if overall["failed"]:
        notes.append(f"{overall['failed']} cases could not be analysed (see `data/results.json`).")
    if notes:
        out += [""] + notes
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="the nr-analyzer binary")
    ap.add_argument("--data", default=str(HERE / "data"), help="data directory (default %(default)s)")
    ap.add_argument("--markdown", default=str(HERE / "results.md"),
                    help="where the Markdown table goes (default %(default)s)")
    ap.add_argument("--no-typical", action="store_true",
                    help="leave out each case's typical request (--typical)")
    args = ap.parse_args()
    global USE_TYPICAL
    USE_TYPICAL = not args.no_typical
    data = pathlib.Path(args.data)
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"error: {args.binary} is not an executable", file=sys.stderr)
        return 1
    try:
        labels = json.loads((data / "labels.json").read_text())
    except (OSError, json.JSONDecodeError) as e:
        print(f"error: cannot read {data / 'labels.json'}: {e} "
              "(generate it with python3 tools/faults/gen_faults.py)", file=sys.stderr)
        return 1
    try:
        version = subprocess.run([binary, "--version"], capture_output=True, text=True,
                                 timeout=10).stdout.strip() or "version unknown"
    except (OSError, subprocess.TimeoutExpired):
        version = "version unknown"

    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda c: run_case(binary, data, c), labels))
    seconds = time.monotonic() - began

    rows = table(results)
    print(render_text(rows))
    overall = rows[-1] if rows else {}
    failed = [r for r in results if "error" in r]
    for r in failed[:10]:
        print(f"  failed: {r['case']}: {r['error']}", file=sys.stderr)
    if overall.get("no_suspects_field"):
        print(f"note: {overall['no_suspects_field']} answers had no `suspects` field "
              "(after = miss)")
    print(f"{len(results)} cases in {seconds:.1f} s ({WORKERS} workers) with {binary}")

    meta = {"typical": USE_TYPICAL, "binary": args.binary, "binary_version": version, "data": str(args.data),
            "cases": len(results), "seconds": seconds,
            "when": time.strftime("%Y-%m-%d", time.gmtime())}
    pathlib.Path(args.markdown).write_text(render_markdown(rows, meta), encoding="utf-8")
    (data / "results.json").write_text(
        json.dumps({"meta": meta, "table": rows, "cases": results}, indent=1) + "\n",
        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
