#!/usr/bin/env bash
# CI's fuzzing step (after the tests): installs clang 14 and its fuzzer runtime when missing,
# builds every libFuzzer harness and runs each for ${FUZZ_SECONDS:-20} s, two at a time.
# Prints one line per harness and a final line; exits non-zero on any crash, leak, timeout or
# invariant violation, naming the saved input. Works from a fresh clone (paths from this file).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
start=$SECONDS

# Same pattern as scripts/bootstrap.sh: apt only for what is missing, sudo when not root.
needed=()
command -v clang++-14 > /dev/null || needed+=(clang-14)
[[ -n "$(find /usr/lib/llvm-14/lib/clang -name 'libclang_rt.fuzzer-*.a' 2> /dev/null | head -1)" ]] ||
    needed+=(libclang-rt-14-dev)
command -v ninja > /dev/null || needed+=(ninja-build)
if [[ ${#needed[@]} -gt 0 ]]; then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "fuzz: installing ${needed[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${needed[@]}" > /dev/null
fi

export FUZZ_BUILD="${FUZZ_BUILD:-build/fuzz-ci}"
export CXX=clang++-14
export JOBS="${JOBS:-$(nproc)}"
export FUZZ_PARALLEL="${FUZZ_PARALLEL:-$(nproc)}"
status=0
test/fuzz/run.sh "${FUZZ_SECONDS:-20}" || status=$?
echo "fuzz: done in $((SECONDS - start)) s (build + runs), exit $status"
exit $status
