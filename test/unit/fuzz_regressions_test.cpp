// Replays, under the normal sanitizer build, every input in test/fixtures/fuzz/ (fuzzer findings,
// minimized, and hand-made hostile documents) plus generated ones too big to commit, through the
// whole pipeline and all renderers with the fuzzer's own invariants (test/fuzz/).
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/pipeline_invariants.hpp"
#include "support/fixtures.hpp"

namespace fuzz_regressions_test {

namespace {

// The same second terminal width the fuzzer derives from the input.
int narrow_width(const std::string& document) {
    return static_cast<int>(document.size() % 120) + 1;
}

// Analyzes a generated document once (they are large) and checks the fuzzer's invariants on it.
nra::Summary analyze_and_check(const std::string& document, bool with_json = true) {
    auto summary = nra::analyze_document(document);
    INFO((summary.ok() ? std::string() : summary.error()));
    REQUIRE(summary.ok());
    CHECK(nra::fuzz::check_summary(*summary, narrow_width(document), with_json).empty());
    return std::move(summary).value();
}

std::vector<std::string> saved_inputs() {
    std::vector<std::string> names;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(NRA_FIXTURES_DIR) + "/fuzz")) {
        if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

// One NRQL agent row (timestamps in ms, durations in s); `parent` empty for none.
std::string row(const std::string& id, const std::string& parent, double ms, double seconds) {
    return fmt::format(
        R"({{"traceId":"gen","guid":"{}",{}"name":"op","timestamp":{:.3f},"duration":{},)"
        R"("appName":"svc"}})",
        id,
        parent.empty() ? std::string() : fmt::format(R"("parentId":"{}",)", parent),
        ms,
        seconds
    );
}

std::string rows(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) {
        out += (out.size() > 1 ? "," : "") + item;
    }
    return out + "]";
}

constexpr double kStartMs = 1718153645000.0;

}  // namespace

TEST_CASE("every saved fuzz input keeps the pipeline invariants") {
    const auto names = saved_inputs();
    REQUIRE_FALSE(names.empty());
    for (const auto& name : names) {
        INFO(name);
        const std::string document = nra::test::read_fixture("fuzz/" + name);
        CHECK(nra::fuzz::check_document(document, narrow_width(document)).empty());
    }
}

TEST_CASE("a 200,000-deep parent chain is analyzed without recursion") {
    constexpr int kDepth = 200'000;
    std::vector<std::string> items;
    for (int i = 0; i < kDepth; ++i) {
        // Each span starts 1 µs after its parent and ends 1 µs before it: a perfect nesting.
        items.push_back(
            row(fmt::format("s{}", i),
                i == 0 ? "" : fmt::format("s{}", i - 1),
                kStartMs + i * 0.001,
                (kDepth - i) * 2e-6)
        );
    }
    // Every span is on the critical path: render_json would list 400,000 segments, a minute
    // under ASan at -O0 for a flat list the other cases cover; the depth-walking parts run.
    const auto summary = analyze_and_check(rows(items), false);
    CHECK(summary.span_count == kDepth);
    CHECK(summary.critical_path.size() >= kDepth);
    CHECK(summary.complete);
}

TEST_CASE("a 100,000-span parent ring (no root at all) is broken and analyzed") {
    constexpr int kSpans = 100'000;
    std::vector<std::string> items;
    for (int i = 0; i < kSpans; ++i) {
        items.push_back(
            row(fmt::format("r{}", i), fmt::format("r{}", (i + 1) % kSpans), kStartMs + i, 0.5)
        );
    }
    const auto summary = analyze_and_check(rows(items));
    CHECK(summary.span_count == kSpans);
    CHECK(summary.assembly.cycles_broken >= 1);
}

TEST_CASE("megabyte names, services, statements and messages stay inside every layout") {
    const std::string name(2 * 1024 * 1024, 'x');
    // JSON escapes: a bidi override and a terminal color sequence around a long service name.
    const std::string service = "\\u202e" + std::string(100'000, 's') + "\\u001b[31m";
    std::string accented;
    for (int i = 0; i < 300'000; ++i) accented += "\u00e9";
    const std::string statement = "SELECT " + std::string(1'000'000, ',') + " FROM t";
    const std::string document = fmt::format(
        R"([{{"traceId":"big","guid":"root","name":"{}","timestamp":{},"duration":1,)"
        R"("appName":"{}"}},)"
        R"({{"traceId":"big","guid":"c","parentId":"root","name":"{}","timestamp":{},)"
        R"("duration":0.5,"appName":"b","db.statement":"{}","error.message":"{}"}}])",
        name,
        kStartMs,
        service,
        accented,
        kStartMs,
        statement,
        std::string(50'000, '<') + "\\n\\n&amp;"
    );
    CHECK(analyze_and_check(document).span_count == 2);
}

TEST_CASE("wide fan-out: 20,000 identical sibling queries") {
    std::vector<std::string> items{row("root", "", kStartMs, 100)};
    for (int i = 0; i < 20'000; ++i) {
        items.push_back(fmt::format(
            R"({{"traceId":"gen","guid":"q{}","parentId":"root","name":"Datastore/select",)"
            R"("timestamp":{:.3f},"duration":0.0004,"appName":"svc","category":"datastore",)"
            R"("db.statement":"SELECT * FROM t WHERE id = {}"}})",
            i,
            kStartMs + i * 0.5,
            i
        ));
    }
    CHECK(analyze_and_check(rows(items)).span_count == 20'001);
}

TEST_CASE("100,000 copies of one span id are re-keyed in linear time") {
    // Each copy used to probe "<id>#2", "#3"… from the start: quadratic, minutes for this input.
    std::vector<std::string> items;
    for (int i = 0; i < 100'000; ++i) {
        items.push_back(row("same", "", kStartMs + i * 0.001, 0.000001));
    }
    const auto summary = analyze_and_check(rows(items));
    CHECK(summary.span_count == 100'000);
    CHECK(summary.assembly.duplicate_ids == 99'999);
}

TEST_CASE("20,000 Zipkin client/server pairs sharing one span id") {
    std::string document =
        R"([{"traceId":"z","id":"root","name":"root","kind":"SERVER","timestamp":1500000000000000,)"
        R"("duration":1000000,"localEndpoint":{"serviceName":"front"}})";
    for (int i = 0; i < 20'000; ++i) {
        for (const char* half : {R"("kind":"CLIENT")", R"("kind":"SERVER","shared":true)"}) {
            document += fmt::format(
                R"(,{{"traceId":"z","id":"dup","parentId":"root","name":"call",{},)"
                R"("timestamp":{},"duration":5,"localEndpoint":{{"serviceName":"s"}}}})",
                half,
                1500000000000000 + i * 10
            );
        }
    }
    CHECK(analyze_and_check(document + "]").span_count == 40'001);
}

}  // namespace fuzz_regressions_test
