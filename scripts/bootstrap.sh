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
  zlib1g-dev                     # gzip responses from New Relic (HTTP client)
  libyaml-cpp-dev                # nr-analyzer.yaml (/improve thresholds, SLOs, schedules)
  tzdata                         # schedules in local time zones
  libcairo2-dev fonts-dejavu-core pkg-config  # waterfall pictures (PNG), a readable font; CMake finds cairo via pkg-config
  libhiredis-dev                 # Redis protocol (command formatting, reply parsing) for shared state
  redis-server                   # tests start a real Redis on a free port
  catch2                         # tests
  clang-format                   # formatting check in CI (.clang-format)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
