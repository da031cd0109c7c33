#!/usr/bin/env bash
# Soak: signed slash commands at a steady rate against `nr-analyzer serve` (demo mode, release
# build) for a long time, with idle "slow clients" holding sockets open, sampling the server's RSS
# every interval; it must stay flat. Ends with SIGTERM under load: the server must exit 0.
#   bench/soak.sh [seconds] [connections] [slow clients]   (defaults: 600 s, 200, 200)
# Prints one line per sample (seconds, RSS kB, requests so far) and a summary. Needs wrk, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-600}"
connections="${2:-200}"
slow="${3:-200}"
port="${SOAK_PORT:-3101}"
source bench/signed_serve.sh

# Slow clients: sockets that connect and never send a byte (the server's header deadline closes
# them; they must not pile up or cost memory).
for _ in $(seq "$slow"); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port"; sleep "$duration") 2>/dev/null &
done

rss_start="$(rss_kb)"
echo "t_s rss_kB"
echo "0 $rss_start"
step=30
elapsed=0
total_requests=0
while [ "$elapsed" -lt "$duration" ]; do
  chunk=$(( duration - elapsed < step ? duration - elapsed : step ))
  sign_again  # a fresh timestamp per chunk: signatures are valid for 300 s
  out="$(wrk -t1 -c"$connections" -d"${chunk}s" -s "$work/ack.lua" "http://127.0.0.1:$port/slack/events")"
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  total_requests=$(( total_requests + n ))
  elapsed=$(( elapsed + chunk ))
  echo "$elapsed $(rss_kb) $total_requests"
done
rss_end="$(rss_kb)"

# SIGTERM while wrk is still sending: every accepted request is answered, then exit 0.
wrk -t1 -c"$connections" -d5s -s "$work/ack.lua" "http://127.0.0.1:$port/slack/events" > "$work/last.txt" &
wrk_pid=$!
sleep 2
kill -TERM "$pid"
set +e
wait "$pid"
code=$?
set -e
wait "$wrk_pid" || true
echo "summary: ${total_requests} requests in ${duration} s; RSS ${rss_start} kB at start, ${rss_end} kB at the end; exit after SIGTERM under load: ${code}"
pkill -P $$ sleep 2>/dev/null || true
