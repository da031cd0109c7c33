#!/usr/bin/env bash
# Builds the libFuzzer harness for the whole trace pipeline with clang (ASan + UBSan) and runs it
# for a bounded time. Not part of CI: it needs clang's fuzzer runtime (libclang-rt-14-dev).
#
#   test/fuzz/run.sh [seconds] [extra libFuzzer args...]     default 300 s
#   FUZZ_BUILD=dir  JOBS=n  CXX=clang++-14  test/fuzz/run.sh
#
# Crashes, timeouts and invariant violations land in $FUZZ_BUILD/artifacts/; minimize one with
#   $FUZZ_BUILD/fuzz_pipeline -minimize_crash=1 -runs=20000 <artifact>
# and keep the result under test/fixtures/fuzz/ (replayed by nra_test_fuzz_regressions in CI).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${FUZZ_BUILD:-$root/build/fuzz}"
seconds="${1:-300}"
shift || true
cxx="${CXX:-$(command -v clang++-14 || command -v clang++)}"
flags="-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined"
flags+=" -fno-sanitize-recover=undefined -I$root/include -I$root/src"

mkdir -p "$build/corpus" "$build/artifacts"

# A generated ninja file gives incremental rebuilds with header dependencies for free.
{
    echo "rule cxx"
    echo "  command = $cxx $flags -MMD -MF \$out.d -c \$in -o \$out"
    echo "  depfile = \$out.d"
    echo "  deps = gcc"
    echo "  description = CXX \$in"
    echo "rule link"
    echo "  command = $cxx $flags \$in -o \$out -lfmt -lsimdjson"
    echo "  description = LINK \$out"
    objs=""
    while IFS= read -r src; do
        obj="obj/${src#"$root"/}.o"
        echo "build $obj: cxx $src"
        objs+=" $obj"
    done < <(find "$root/src/core" "$root/test/fuzz" -name '*.cpp' | sort)
    echo "build fuzz_pipeline: link$objs"
} > "$build/build.ninja"
ninja -C "$build" -j "${JOBS:-2}" fuzz_pipeline

# Seed corpus: every real trace fixture, the demo traces and earlier fuzz findings.
find "$root/test/fixtures" "$root/demo/traces" -type f \( -name '*.json' -o -name '*.bin' \) \
    -not -path '*/arch_violation/*' -exec cp -n {} "$build/corpus/" \;

cd "$build"
exec ./fuzz_pipeline corpus \
    -dict="$root/test/fuzz/trace_keys.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=262144 \
    -artifact_prefix=artifacts/ -print_final_stats=1 "$@"
