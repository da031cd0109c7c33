// Critical path and self time, on hand-built trees and on Jaeger UI's edge-case fixtures with
// expectations worked out by hand (times in µs relative to the root's start).
#include <catch2/catch.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "nra/analysis/analysis.hpp"
#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"
#include "support/trace_builder.hpp"

namespace critical_path_test {

using nra::test::TraceBuilder;

namespace {

struct Section {
    std::string id;
    std::int64_t start;
    std::int64_t end;
    bool operator==(const Section& o) const {
        return id == o.id && start == o.start && end == o.end;
    }
};

std::ostream& operator<<(std::ostream& os, const Section& s) {
    return os << s.id << "[" << s.start << "," << s.end << "]";
}

std::vector<Section> path_of(const nra::TraceTree& tree) {
    std::vector<Section> out;
    const auto t0 = tree.span(tree.root).start_us;
    for (const auto& s : nra::critical_path(tree)) {
        out.push_back({std::string(tree.span(s.span).span_id), s.start_us - t0, s.end_us - t0});
    }
    return out;
}

std::int64_t self_of(const nra::TraceTree& tree, std::string_view id) {
    const auto self = nra::self_times(tree);
    for (std::size_t i = 0; i < tree.size(); ++i) {
        if (tree.trace.spans[i].span_id == id) return self[i];
    }
    FAIL("no span " << id);
    return -1;
}

// Jaeger UI computes these without clock-skew adjustment; so do we here.
nra::TraceTree jaeger_fixture(const std::string& name) {
    auto trace = nra::read_trace(nra::test::read_fixture("jaeger/" + name));
    REQUIRE(trace.ok());
    nra::AssemblyOptions options;
    options.adjust_clock_skew = false;
    return nra::assemble(std::move(trace).value(), options);
}

std::int64_t total(const std::vector<Section>& path) {
    return std::accumulate(
        path.begin(),
        path.end(),
        std::int64_t{0},
        [](std::int64_t acc, const Section& s) { return acc + (s.end - s.start); }
    );
}

}  // namespace

TEST_CASE("sequential children: the path walks through each", "[unit][critical_path]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 100);
    b.add("a", "r", "web", "a", 10, 20);
    b.add("b", "r", "web", "b", 40, 50);
    const auto tree = nra::assemble(b.build());
    const std::vector<Section> expected{
        {"r", 0, 10}, {"a", 10, 30}, {"r", 30, 40}, {"b", 40, 90}, {"r", 90, 100}};
    CHECK(path_of(tree) == expected);
    CHECK(self_of(tree, "r") == 30);
}

TEST_CASE(
    "FOLLOWS_FROM and producer->consumer branches stay off the path", "[unit][critical_path]"
) {
    TraceBuilder b;
    b.add("r", "", "web", "POST", 0, 100);
    b.add("f", "r", "web", "async", 10, 80).follows_from = true;
    b.add("p", "r", "web", "publish", 20, 60).kind = nra::SpanKind::producer;
    b.add("c", "p", "worker", "consume", 30, 40).kind = nra::SpanKind::consumer;
    const auto tree = nra::assemble(b.build());
    const std::vector<Section> expected{{"r", 0, 20}, {"p", 20, 80}, {"r", 80, 100}};
    CHECK(path_of(tree) == expected);
}

TEST_CASE("a wide fan-out keeps the walk linear", "[unit][critical_path]") {
    TraceBuilder b;
    constexpr int kChildren = 50'000;
    b.add("r", "", "web", "GET", 0, kChildren * 10 + 10);
    for (int i = 0; i < kChildren; ++i)
        b.add("c" + std::to_string(i), "r", "db", "q", 5 + i * 10, 8);
    const auto tree = nra::assemble(b.build());
    const auto path = path_of(tree);
    CHECK(path.size() == 2 * kChildren + 1);
    CHECK(total(path) == kChildren * 10 + 10);
}

TEST_CASE("Jaeger fixture: overlapping children", "[unit][critical_path][fixture]") {
    const auto tree = jaeger_fixture("traceWithOverlappingChildren.json");
    // The producer `send`'s task runs on after it (to 43 µs): on the path to its end.
    const std::vector<Section> expected{{"006c3cf93508f205", 0, 3}, {"5d423585b4c63d48", 3, 43}};
    CHECK(path_of(tree) == expected);
    CHECK(self_of(tree, "006c3cf93508f205") == 3);
    CHECK(self_of(tree, "5d423585b4c63d48") == 40);
}

TEST_CASE(
    "Jaeger fixture: overlapping children longer than the parent", "[unit][critical_path][fixture]"
) {
    // The root `send` is a producer: its `async task` children outlive it. Jaeger
    // stops at the root's end (40 µs); we follow the task that ends last, from the root's end.
    const auto tree = jaeger_fixture("traceWithOverlappingChildrenLongerThanParent.json");
    const auto path = path_of(tree);
    REQUIRE(path.size() == 4);
    CHECK(path[0].start == 0);
    CHECK(path[0].end == 15);
    CHECK(path[1].end - path[1].start == 10);
    CHECK(path[2] == Section{"006c3cf93508f205", 25, 40});
    CHECK(path[3] == Section{"2dc4b796e2127e32", 40, 400});
    CHECK(self_of(tree, "006c3cf93508f205") == 30);
}

TEST_CASE("Jaeger fixture: single child after the parent ends", "[unit][critical_path][fixture]") {
    const auto tree =
        jaeger_fixture("traceWithSingleChildLongerThanParentAndStartsAfterParent.json");
    // A producer's task that starts after it returned: on the path from the producer's end.
    CHECK(
        path_of(tree) ==
        std::vector<Section>{{"006c3cf93508f205", 0, 40}, {"2dc4b796e2127e32", 40, 400}}
    );
    CHECK(self_of(tree, "006c3cf93508f205") == 40);
}

TEST_CASE("Jaeger fixture: three short children", "[unit][critical_path][fixture]") {
    const auto tree = jaeger_fixture("traceWithThreeShortChildren.json");
    const auto path = path_of(tree);
    REQUIRE(path.size() == 5);
    const std::vector<std::pair<std::int64_t, std::int64_t>> spans{
        {0, 3}, {3, 13}, {13, 16}, {16, 34}, {34, 36}};
    for (std::size_t i = 0; i < path.size(); ++i) {
        CHECK(path[i].start == spans[i].first);
        CHECK(path[i].end == spans[i].second);
    }
    CHECK(path[0].id == "006c3cf93508f205");
    CHECK(path[2].id == "006c3cf93508f205");
    CHECK(self_of(tree, "006c3cf93508f205") == 5);
}

TEST_CASE("Jaeger fixture: three short overlapping children", "[unit][critical_path][fixture]") {
    const auto tree = jaeger_fixture("traceWithThreeShortOverlappingChildren.json");
    const auto path = path_of(tree);
    REQUIRE(path.size() == 3);
    CHECK(path[0] == Section{"006c3cf93508f205", 0, 13});
    CHECK(path[1].start == 13);
    CHECK(path[1].end == 19);
    CHECK(path[2] == Section{"006c3cf93508f205", 19, 36});
    CHECK(self_of(tree, "006c3cf93508f205") == 20);
}

TEST_CASE("Jaeger fixture: two children started at trace start", "[unit][critical_path][fixture]") {
    const auto tree = jaeger_fixture("traceWithTwoChildrenStartedAtTraceStart.json");
    // The producer's 79 ms task outlives it: on the path to its end.
    CHECK(path_of(tree) == std::vector<Section>{{"2dc4b796e2127e32", 0, 79182}});
    CHECK(self_of(tree, "006c3cf93508f205") == 0);
}

TEST_CASE("Jaeger fixture: two non-overlapping children", "[unit][critical_path][fixture]") {
    const auto tree = jaeger_fixture("traceWithTwoNonOverlappingChildren.json");
    const auto path = path_of(tree);
    REQUIRE(path.size() == 4);  // the producer's async task after it: see above
    CHECK(path[0] == Section{"006c3cf93508f205", 0, 10});
    CHECK(path[1].end - path[1].start == 10);
    CHECK(path[2] == Section{"006c3cf93508f205", 20, 40});
    CHECK(path[3] == Section{"5d423585b4c63d48", 40, 500});
    CHECK(self_of(tree, "006c3cf93508f205") == 30);
}

TEST_CASE("Jaeger fixture: children longer than their parent", "[unit][critical_path][fixture]") {
    const auto tree = jaeger_fixture("spanLongerAsParent.json");
    CHECK(self_of(tree, "6745965d0b964193") == 1215);  // 9521 - (7229 + 1077)
    CHECK(total(path_of(tree)) == 12887);
}

TEST_CASE("Jaeger fixture: TraceGraph test trace", "[unit][critical_path][fixture]") {
    // span-7 FOLLOWS_FROM span-6 and runs from 800 ms to 1 s, after the root (390 ms) returned.
    // Jaeger's walk stops at the root's end and leaves it out; ours explains the trace's whole
    // extent: from span-6's end the time is span-7's, 480 ms waiting and 200 ms
    // running, so the root's last 70 ms (span-12, span-13) are off the path. Up to 320 ms the
    // path is Jaeger's.
    const auto tree = jaeger_fixture("testTrace.json");
    const std::vector<Section> expected{
        {"span-1", 0, 125000},
        {"span-2", 125000, 158000},
        {"span-1", 158000, 180000},
        {"span-3", 180000, 200000},
        {"span-4", 200000, 201000},
        {"span-5", 201000, 219000},
        {"span-4", 219000, 220000},
        {"span-3", 220000, 246000},
        {"span-1", 246000, 250000},
        {"span-2_1", 250000, 287000},
        {"span-1", 287000, 300000},
        {"span-6", 300000, 320000},
        {"span-7", 320000, 1000000},
    };
    CHECK(path_of(tree) == expected);
    CHECK(self_of(tree, "span-1") == 224000);
    CHECK(self_of(tree, "span-3") == 46000);
    CHECK(self_of(tree, "span-12") == 1000);
    CHECK(self_of(tree, "span-6") == 20000);  // its FOLLOWS_FROM child starts after it ends
}

TEST_CASE("Jaeger fixture: several roots and a duplicate id", "[unit][critical_path][fixture]") {
    const auto tree = jaeger_fixture("traceWithMultipleSpansWithTheSameValueInDifferentTags.json");
    CHECK(tree.report.duplicate_ids == 1);
    CHECK(tree.report.extra_roots == 3);
    CHECK(tree.span(tree.root).duration_us == 100);
    CHECK(total(path_of(tree)) == 100);
}

TEST_CASE("back-to-back children that touch are all on the path", "[unit][critical_path]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET", 0, 60);
    for (int i = 0; i < 5; ++i) b.add("q" + std::to_string(i), "r", "db", "q", 5 + i * 10, 10);
    const auto tree = nra::assemble(b.build());
    const auto path = path_of(tree);
    REQUIRE(path.size() == 7);
    for (int i = 0; i < 5; ++i)
        CHECK(path[static_cast<std::size_t>(i) + 1].id == "q" + std::to_string(i));
}

TEST_CASE(
    "millisecond timestamps: a sub-millisecond overlap still counts as sequential",
    "[unit][critical_path]"
) {
    TraceBuilder b;  // New Relic style: starts on whole milliseconds, durations in µs
    b.add("r", "", "web", "GET", 0, 30'000);
    b.add("a", "r", "db", "q", 1'000, 10'400);  // ends 0.4 ms after b starts
    b.add("b", "r", "db", "q", 11'000, 9'000);
    const auto tree = nra::assemble(b.build());
    const auto path = path_of(tree);
    REQUIRE(path.size() == 4);
    CHECK(path[1] == Section{"a", 1'000, 11'000});  // clamped to where b begins
    CHECK(path[2] == Section{"b", 11'000, 20'000});
    CHECK(total(path) == 30'000);
}

TEST_CASE("zero-length children do not stall the walk", "[unit][critical_path]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET", 0, 100);
    b.add("z1", "r", "web", "mark", 50, 0);
    b.add("z2", "r", "web", "mark", 50, 0);
    b.add("z3", "r", "web", "mark", 100, 0);
    const auto tree = nra::assemble(b.build());
    CHECK(total(path_of(tree)) == 100);
}

}  // namespace critical_path_test
