#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (ASan + UBSan) and runs each for a bounded time.
#
#   test/fuzz/run.sh [seconds] [harness...]       default: 300 s, every harness, one at a time
#   FUZZ_BUILD=dir JOBS=n CXX=clang++-14 FUZZ_PARALLEL=n FUZZ_ARGS="-fork=2" test/fuzz/run.sh
#   FUZZ_BUILD_ONLY=1 test/fuzz/run.sh             build, do not run
#
# Each harness compiles only the sources it needs (objects are shared between harnesses through
# one generated ninja file); the trace harnesses share the core, compiled as one unity source per
# folder. Per harness: corpus in $FUZZ_BUILD/corpus/<harness>/ (seeded from the
# fixtures below), log in $FUZZ_BUILD/logs/<harness>.log, crashes in $FUZZ_BUILD/artifacts/.
# Prints one line per harness ("fuzz_nrql: 1234567 runs in 20 s, 0 crashes") and exits non-zero
# when any harness crashed, leaked, timed out or broke an invariant. See test/fuzz/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${FUZZ_BUILD:-$root/build/fuzz}"
mkdir -p "$build"
build="$(cd "$build" && pwd)"
seconds="${1:-300}"
shift || true
cxx="${CXX:-$(command -v clang++-14 || command -v clang++)}"
fuzz="$root/test/fuzz"
all=(fuzz_signature fuzz_inbound fuzz_trace_argument fuzz_nrql fuzz_baseline fuzz_context
    fuzz_newrelic fuzz_otlp fuzz_zipkin fuzz_jaeger fuzz_pipeline)
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=("${all[@]}")

# What each harness compiles besides its own fuzz_<name>.cpp. The trace harnesses link the core
# objects the pipeline needs through an archive, so each binary takes only what it references.
# Not needed by analyze_document and its four renderers: baseline verdicts, the Home tab,
# unfurls, the full report and the PNG waterfall (found with -Wl,-Map against all of src/core).
core=$(cd "$root" && ls src/core/formats/*.cpp src/core/assemble/*.cpp src/core/analysis/*.cpp \
    src/core/detectors/*.cpp src/core/render/*.cpp src/core/span.cpp src/core/string_pool.cpp \
    src/core/statement.cpp src/core/url_shape.cpp src/core/report/report_format.cpp src/core/report/judge.cpp |
    grep -Ev '/(baseline_apply|render_full|render_home|render_unfurl|waterfall_picture[a-z_]*)\.cpp$')
# Baseline keys name callees (callee_key, callee_parts): the queries and the reader need them.
callee_key="src/core/analysis/baseline.cpp src/core/span.cpp src/core/url_shape.cpp src/core/statement.cpp"
declare -A sources=(
    [fuzz_signature]="src/slack/signature.cpp"
    [fuzz_inbound]="src/slack/inbound.cpp src/slack/socket_frames.cpp src/slack/message_text.cpp"
    [fuzz_trace_argument]="src/core/trace_argument.cpp src/core/span.cpp"
    [fuzz_nrql]="src/newrelic/nrql_quote.cpp src/newrelic/trace_queries.cpp src/newrelic/baseline_queries.cpp
        src/newrelic/metrics_queries.cpp $callee_key"
    [fuzz_baseline]="src/newrelic/baseline_results.cpp src/newrelic/nrql_rows.cpp $callee_key"
    [fuzz_context]="src/newrelic/context_results.cpp src/newrelic/nrql_rows.cpp
        src/core/analysis/incident_context.cpp src/core/report/report_format.cpp src/core/report/judge.cpp
        src/core/span.cpp"
)
declare -A libs=([fuzz_signature]="-lcrypto")

flags="-std=c++20 -O1 -gline-tables-only -fno-omit-frame-pointer"
flags+=" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
flags+=" -I$root/include -I$root/src -I$root/test"

obj_of() { echo "obj/${1%.cpp}.o"; }

mkdir -p "$build/artifacts" "$build/logs"
# A generated ninja file gives incremental rebuilds with header dependencies for free.
{
    echo "rule cxx"
    echo "  command = $cxx $flags -MMD -MF \$out.d -c \$in -o \$out"
    echo "  depfile = \$out.d"
    echo "  deps = gcc"
    echo "  description = CXX \$in"
    echo "rule ar"
    echo "  command = rm -f \$out && ar crs \$out \$in"
    echo "  description = AR \$out"
    echo "rule link"
    echo "  command = $cxx $flags \$in -o \$out \$libs -lfmt -lsimdjson"
    echo "  description = LINK \$out"
    declare -A seen=()
    need_core=""
    for h in "${harnesses[@]}"; do
        [[ -f "$fuzz/$h.cpp" ]] || { echo "unknown harness $h" >&2; exit 2; }
        [[ -n "${sources[$h]+x}" ]] || need_core=1
        for src in test/fuzz/$h.cpp ${sources[$h]-}; do
            [[ -n "${seen[$src]-}" ]] && continue
            seen[$src]=1
            echo "build $(obj_of "$src"): cxx $root/$src"
        done
    done
    # The core, folder by folder in one unity source each (as CMake batches it, see
    # cmake/build_speed.cmake): a third of the time of one object per file.
    if [[ -n "$need_core" ]]; then
        mkdir -p "$build/unity"
        unity_objs=""
        for folder in $(for src in $core; do dirname "$src"; done | sort -u); do
            name="${folder//\//_}"
            for src in $core; do
                [[ "$(dirname "$src")" == "$folder" ]] && echo "#include \"$root/$src\""
            done > "$build/unity/$name.cpp.new"
            # Rewritten only when it changes, so ninja rebuilds only what changed.
            if cmp -s "$build/unity/$name.cpp.new" "$build/unity/$name.cpp"; then
                rm "$build/unity/$name.cpp.new"
            else
                mv "$build/unity/$name.cpp.new" "$build/unity/$name.cpp"
            fi
            echo "build obj/unity/$name.o: cxx $build/unity/$name.cpp"
            unity_objs+=" obj/unity/$name.o"
        done
        echo "build libcore.a: ar$unity_objs"
    fi
    for h in "${harnesses[@]}"; do
        objs=""
        if [[ -n "${sources[$h]+x}" ]]; then
            for src in ${sources[$h]}; do objs+=" $(obj_of "$src")"; done
        else
            objs=" libcore.a"
        fi
        echo "build $h: link $(obj_of "test/fuzz/$h.cpp")$objs"
        echo "  libs = ${libs[$h]-}"
    done
} > "$build/build.ninja"
ninja -C "$build" -j "${JOBS:-2}" "${harnesses[@]}"
[[ -z "${FUZZ_BUILD_ONLY:-}" ]] || exit 0

# Seeds: fixtures of the harness's input kind, its hand-written seeds and earlier findings.
shared="$root/../shared/fixtures"
seed_dirs() {
    local h="$1" format="${1#fuzz_}"
    echo "$fuzz/seeds/$format $root/test/fixtures/fuzz/$h"
    case "$h" in
        fuzz_newrelic) echo "$root/test/fixtures/newrelic $root/demo/traces" ;;
        fuzz_otlp | fuzz_zipkin | fuzz_jaeger) echo "$root/test/fixtures/$format $shared/$format" ;;
        fuzz_pipeline) echo "$root/test/fixtures/newrelic $root/test/fixtures/otlp" \
            "$root/test/fixtures/zipkin $root/test/fixtures/jaeger $root/test/fixtures/fuzz" \
            "$root/demo/traces $shared" ;;
        fuzz_baseline) echo "$root/test/fixtures/newrelic" ;;
    esac
}
case_dict() {
    case "$1" in
        fuzz_newrelic | fuzz_otlp | fuzz_zipkin | fuzz_jaeger | fuzz_pipeline)
            echo "$fuzz/trace_keys.dict" ;;
        *) [[ -f "$fuzz/${1#fuzz_}.dict" ]] && echo "$fuzz/${1#fuzz_}.dict" || true ;;
    esac
}

# Trace documents need room; the Slack and NRQL inputs are short by nature.
max_len() {
    case "$1" in
        fuzz_newrelic | fuzz_otlp | fuzz_zipkin | fuzz_jaeger | fuzz_pipeline) echo 262144 ;;
        *) echo 16384 ;;
    esac
}

# Runs one harness; prints its summary line; non-zero on a crash, leak, timeout or violation.
run_one() {
    local h="$1" corpus="$build/corpus/$1" log="$build/logs/$1.log" dict status=0
    mkdir -p "$corpus"
    for dir in $(seed_dirs "$h"); do
        [[ -d "$dir" ]] && find "$dir" -type f -not -name '*.md' -exec cp -n {} "$corpus/" \;
    done
    dict="$(case_dict "$h")"
    local start=$SECONDS
    (cd "$build" && "./$h" "$corpus" ${dict:+-dict="$dict"} -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$h")" -artifact_prefix="artifacts/$h-" \
        -print_final_stats=1 ${FUZZ_ARGS:-} > "$log" 2>&1) || status=$?
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [[ $status -eq 0 ]]; then
        echo "$h: ${runs:-?} runs in $((SECONDS - start)) s, 0 crashes, corpus $(ls "$corpus" | wc -l)"
    else
        local artifact
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        echo "$h: ${runs:-?} runs in $((SECONDS - start)) s, 1 crash (exit $status):" \
            "$build/${artifact:-?} log $log"
        grep -m3 -E 'invariant violated|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$log" | sed 's/^/    /' || true
    fi
    echo "$status" > "$build/logs/$h.status"
}

# FUZZ_PARALLEL harnesses at a time (default 1): each run is one process on one core.
for h in "${harnesses[@]}"; do
    rm -f "$build/logs/$h.status"
    run_one "$h" &
    while [[ $(jobs -rp | wc -l) -ge ${FUZZ_PARALLEL:-1} ]]; do wait -n || true; done
done
wait
failed=0
for h in "${harnesses[@]}"; do
    [[ "$(cat "$build/logs/$h.status" 2>/dev/null)" == 0 ]] || failed=$((failed + 1))
done
echo "fuzz: ${#harnesses[@]} harnesses, $failed failed"
[[ $failed -eq 0 ]]
