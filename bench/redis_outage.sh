#!/usr/bin/env bash
# Redis killed and restarted during a load run: `serve` (release, demo data) shares its
# state in a local redis-server while wrk sends signed `/trace` commands for a real trace id.
# Every command queues a job, and every job counts against the user's rate limit in Redis
# (NR_ANALYZER_USER_LIMIT=1: after the first, each job is one Redis INCR and ends), so Redis is in
# the path of the work the whole time; a full queue answers "busy" inside the ack. Redis is SIGKILLed after a third of the run and
# started again (same port, empty) after two thirds. The server must answer every request with
# 200 throughout (non-2xx and socket errors are reported), say once that Redis is unreachable,
# and say that it is back.
#   bench/redis_outage.sh [seconds] [connections]   (defaults: 30 s, 100)
# Needs wrk, openssl, redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30}"
connections="${2:-100}"
port="${OUTAGE_PORT:-3102}"
redis_port="${OUTAGE_REDIS_PORT:-6391}"
command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 1; }

start_redis() {
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize no > /dev/null &
  redis_pid=$!
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "redis-server did not start" >&2
  exit 1
}
start_redis

export REDIS_URL="redis://127.0.0.1:$redis_port"
export BENCH_BODY='token=x&team_id=T0DEMO&channel_id=C0DEMO&user_id=U0DEMO&command=%2Ftrace&text=4bf92f3577b34da6a3ce929d0e0e4736&api_app_id=A0DEMO&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fresponse%2F1'
export BENCH_EXPECT="Analysing trace"
export BENCH_LOG_LEVEL=warn
export NR_ANALYZER_USER_LIMIT=1
source bench/signed_serve.sh
trap 'kill -KILL "$pid" "$redis_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$work/ack.lua" \
  "http://127.0.0.1:$port/slack/events" > "$work/wrk.txt" &
wrk_pid=$!
sleep $(( duration / 3 ))
kill -KILL "$redis_pid"
wait "$redis_pid" 2>/dev/null || true
echo "t=$(( duration / 3 )) s: Redis killed"
sleep $(( duration / 3 ))
start_redis
echo "t=$(( 2 * duration / 3 )) s: Redis started again"
wait "$wrk_pid"
redis_ops="$(redis-cli -p "$redis_port" info stats | awk -F: '/total_commands_processed/ {print $2}' | tr -d '\r')"
cat "$work/wrk.txt"
requests="$(awk '/requests in/ {print $1}' "$work/wrk.txt")"
non2xx="$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")"
errors="$(awk '/Socket errors/ {print}' "$work/wrk.txt")"
p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
unreachable="$(grep -c "is unreachable" "$work/serve.out" || true)"
back="$(grep -c "Redis is back" "$work/serve.out" || true)"
echo "summary: ${requests} requests in ${duration} s, non-2xx: ${non2xx:-0}, ${errors:-socket errors: none}, p99 ${p99}; 'unreachable' logged ${unreachable}x, 'Redis is back' ${back}x; restarted Redis served ${redis_ops} commands by the end"
[ -z "${non2xx:-}" ] && [ -z "${errors:-}" ] && [ "$unreachable" -ge 1 ] && [ "$back" -ge 1 ]
