#!/usr/bin/env bash
# Regenerates the README pictures from the bundled demo data, so they never go stale:
#   docs/images/waterfall.png              a waterfall exactly as `nr-analyzer trace --png` writes it
#   docs/images/slack-summary.blocks.json  the bot's Block Kit JSON for a trace, pretty-printed
#   docs/images/slack-summary.png          its "summary" message drawn Slack-style by
#                                          docs/tools/slack_preview.py, captured with headless Chromium
#
# Usage: scripts/docs_images.sh [NRA_BIN]     (default build/release/nr-analyzer; built when missing)
# Needs python3 and chromium (apt-get install chromium); fonts-lato and fonts-noto-color-emoji give
# the Slack look (without them the page falls back to other fonts).
#
# The blocks JSON is, byte for byte (a CI check can rerun this and cmp):
#   env -u NEW_RELIC_API_KEY -u NEW_RELIC_API_KEY_FILE -u NEW_RELIC_ACCOUNT_ID \
#       -u NEW_RELIC_ACCOUNT_ID_FILE -u NR_ANALYZER_CONFIG -u NR_ANALYZER_CONFIG_FILE TZ=UTC \
#     NRA_BIN trace 7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d --format blocks \
#     | PYTHONUTF8=1 python3 -m json.tool --indent 2 --no-ensure-ascii
# (key order as the binary prints it, UTF-8 kept, 2-space indent, trailing newline).
set -euo pipefail

# The demo traces pictured (`nr-analyzer demo` lists them all).
# Waterfall: POST /api/orders with a failing vendor call, retries and 13 error spans, 7-12x slower
# than usual: the picture shows error marks, ×2 retry rows, "slower than usual" badges, the critical
# path and the full legend.
WATERFALL_TRACE=a1b2c3d4e5f60718293a4b5c6d7e8f90
# Slack: GET /api/search, one query 30x slower after a deployment: a suspect, the unusual time, the
# typical request, the deployment, the blast radius and a finding. Not the trace above: the demo
# blast radius of failing calls says "since HH:MM UTC" counted back from the wall clock, so its
# blocks change every minute; this trace's do not.
SLACK_TRACE=7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d
WIDTH=760 # CSS px of the Slack picture; captured at scale factor 2

die() { echo "docs_images.sh: $*" >&2; exit 1; }

if [[ $# -gt 1 ]]; then die "usage: scripts/docs_images.sh [NRA_BIN]"; fi
BIN=${1:-}
if [[ -n $BIN ]]; then # resolve before leaving the caller's directory
    if [[ $BIN == */* ]]; then BIN=$(realpath -m "$BIN"); else BIN=$(command -v "$BIN") || die "$1 not found"; fi
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z $CHROMIUM ]] || ! command -v "$CHROMIUM" >/dev/null; then
    die "chromium not found: apt-get install chromium (or set CHROMIUM=/path/to/chrome)"
fi
command -v python3 >/dev/null || die "python3 not found"
for font in "Lato:fonts-lato" "Noto Color Emoji:fonts-noto-color-emoji"; do
    if command -v fc-list >/dev/null && ! fc-list : family | grep -i "^${font%%:*}" >/dev/null; then
        echo "docs_images.sh: warning: no ${font%%:*} font (apt-get install ${font#*:})" >&2
    fi
done

if [[ -z $BIN ]]; then
    BIN=build/release/nr-analyzer
    if [[ ! -x $BIN ]]; then
        echo "building $BIN …" >&2
        cmake --preset release >/dev/null && cmake --build --preset release --target nr-analyzer
    fi
fi
[[ -x $BIN ]] || die "$BIN is not an executable"

# The demo dataset, whatever the caller's environment says about New Relic.
nra() {
    env -u NEW_RELIC_API_KEY -u NEW_RELIC_API_KEY_FILE -u NEW_RELIC_ACCOUNT_ID \
        -u NEW_RELIC_ACCOUNT_ID_FILE -u NR_ANALYZER_CONFIG -u NR_ANALYZER_CONFIG_FILE TZ=UTC \
        "$BIN" "$@"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=docs/images
mkdir -p "$OUT"

# 1. The waterfall, as the binary writes it.
nra trace "$WATERFALL_TRACE" --png "$TMP/waterfall.png" >/dev/null

# 2. The Block Kit JSON (see the header for the exact command).
nra trace "$SLACK_TRACE" --format blocks |
    PYTHONUTF8=1 python3 -m json.tool --indent 2 --no-ensure-ascii >"$TMP/blocks.json"

# The time next to the bot's name: when the trace ended (UTC), as Slack prints it ("10:13 AM").
POSTED=$(nra trace "$SLACK_TRACE" --format json | PYTHONUTF8=1 python3 -c '
import datetime, json, sys
t = json.load(sys.stdin)
end = datetime.datetime.fromtimestamp(t["start_us"] / 1e6 + t["duration_ms"] / 1e3, datetime.timezone.utc)
print(end.strftime("%I:%M %p").lstrip("0"))')

# 3. The Slack look-alike page, measured once (the page writes its height into <html data-height>),
#    then captured at exactly that height: --screenshot only captures the window.
python3 docs/tools/slack_preview.py "$TMP/blocks.json" --message summary --time "$POSTED" \
    --measure >"$TMP/slack.html"
chrome() {
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$TMP/profile" "$@" 2>>"$TMP/chromium.log" ||
        { cat "$TMP/chromium.log" >&2; die "chromium failed"; }
}
HEIGHT=$(chrome --window-size="$WIDTH,2000" --dump-dom "file://$TMP/slack.html" |
    sed -n 's/.*data-height="\([0-9]*\)".*/\1/p')
[[ $HEIGHT =~ ^[0-9]+$ ]] || { cat "$TMP/chromium.log" >&2; die "could not measure the Slack page"; }
chrome --force-device-scale-factor=2 --window-size="$WIDTH,$HEIGHT" \
    --screenshot="$TMP/slack.png" "file://$TMP/slack.html" >/dev/null
[[ -s $TMP/slack.png ]] || { cat "$TMP/chromium.log" >&2; die "chromium wrote no screenshot"; }

mv "$TMP/waterfall.png" "$OUT/waterfall.png"
mv "$TMP/blocks.json" "$OUT/slack-summary.blocks.json"
mv "$TMP/slack.png" "$OUT/slack-summary.png"
echo "wrote $OUT/waterfall.png, $OUT/slack-summary.blocks.json, $OUT/slack-summary.png (traces $WATERFALL_TRACE, $SLACK_TRACE)"
