#!/usr/bin/env bash
# Ack benchmark: signed `/trace` slash commands with a malformed trace id against
# `nr-analyzer serve` (demo mode, release build), driven by wrk on the same machine. Each request
# is verified (HMAC-SHA256), parsed and answered inside the ack, like a framework's bare ack.
# Prints wrk's req/s and latency percentiles and the server's peak RSS.
#   bench/ack_bench.sh [seconds] [connections]     (defaults: 15 s, 64 connections; WRK_THREADS=1)
# Needs: wrk and openssl (Debian packages `wrk`, `openssl`).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
connections="${2:-64}"
port="${ACK_BENCH_PORT:-3100}"
source bench/signed_serve.sh
rss_before="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
wrk -t"${WRK_THREADS:-1}" -c"$connections" -d"${duration}s" --latency -s "$work/ack.lua" \
  "http://127.0.0.1:$port/slack/events" | tee "$work/wrk.txt"
echo "server RSS: ${rss_before} kB at start, peak $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") kB"
