#!/usr/bin/env bash
# Installs the Debian 12 packages nr-analyzer builds with (nothing is downloaded at build time).
# Idempotent: does nothing when every package is already installed.
set -euo pipefail
packages=(
  g++ cmake ninja-build          # toolchain (g++ 12, CMake 3.25)
  mold                           # fast linker (CMake picks it when found: cmake/build_speed.cmake)
  libboost1.81-dev libboost-url1.81-dev libssl-dev  # Beast/Asio/URL + OpenSSL 3 (network adapters)
  nlohmann-json3-dev libfmt-dev  # JSON for small documents, formatting
  libsimdjson-dev                # fast span ingestion (100k-span traces)
  libmimalloc-dev                # the allocator of optimized builds (src/app/allocator.hpp)
  zlib1g-dev                     # gzip responses from New Relic (HTTP client)
  libyaml-cpp-dev                # nr-analyzer.yaml (/improve thresholds, SLOs, schedules)
  tzdata                         # schedules in local time zones
  libcairo2-dev fonts-dejavu-core pkg-config  # waterfall pictures (PNG), a readable font; CMake finds cairo via pkg-config
  libhiredis-dev                 # Redis protocol (command formatting, reply parsing) for shared state
  redis-server                   # tests start a real Redis on a free port
  catch2                         # tests
  python3                        # documentation checks (scripts/check_docs.py), benchmark drivers
  clang-format                   # formatting check in CI (.clang-format)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The official MCP TypeScript SDK client for the e2e.mcp_sdk test (test/mcp_client, pinned by its
# package-lock.json), from npm when Node is there; without it that one test is skipped.
client="$(dirname "$0")/../test/mcp_client"
if command -v npm > /dev/null && [ ! -d "$client/node_modules/@modelcontextprotocol/sdk" ]; then
  npm ci --prefix "$client" --no-audit --no-fund --loglevel=error ||
    echo "bootstrap: npm ci failed; e2e.mcp_sdk will be skipped" >&2
fi
