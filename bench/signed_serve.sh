# Sourced by the load scripts: builds the release binary, starts `nr-analyzer serve` in demo mode
# on $port and writes a wrk script ($work/ack.lua) that sends one signed `/trace` slash command
# with a malformed id (verified, parsed and answered inside the ack). Sets pid, work, ts, sig,
# body. The signature is valid for 300 s: keep each run shorter, or call sign_again.
# BENCH_BODY / BENCH_EXPECT replace the command and the text its ack must contain;
# BENCH_LOG_LEVEL the server's log level (error); other variables (REDIS_URL) pass through.
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cmake --preset release >/dev/null
cmake --build --preset release --target nr-analyzer --parallel "${JOBS:-2}" >/dev/null

secret="nr-analyzer-demo-signing-secret"  # demo mode's secret (src/app/serve_command.hpp)
body="${BENCH_BODY:-token=x&team_id=T0DEMO&channel_id=C0DEMO&user_id=U0DEMO&command=%2Ftrace&text=not-a-trace-id&api_app_id=A0DEMO&response_url=http%3A%2F%2F127.0.0.1%3A3001%2Fresponse%2F1}"
work="$(mktemp -d)"
trap 'kill -KILL "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

sign_again() {
  ts="$(date +%s)"
  sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')"
  cat > "$work/ack.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "$ts"
wrk.headers["X-Slack-Signature"] = "$sig"
LUA
}
sign_again

PORT="$port" NR_ANALYZER_LOG_LEVEL="${BENCH_LOG_LEVEL:-error}" build/release/nr-analyzer serve > "$work/serve.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
# One request first: the answer must be the expected ack, or the figures mean nothing.
curl -s -X POST -H "Content-Type: application/x-www-form-urlencoded" \
  -H "X-Slack-Request-Timestamp: $ts" -H "X-Slack-Signature: $sig" --data "$body" \
  "http://127.0.0.1:$port/slack/events" | grep -q "${BENCH_EXPECT:-not a trace id}" \
  || { echo "the server did not answer the signed command as expected" >&2; exit 1; }

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
