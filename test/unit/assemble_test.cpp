#include "nra/assemble/assemble.hpp"

#include <catch2/catch.hpp>

#include "support/trace_builder.hpp"

namespace assemble_test {

using nra::assemble;
using nra::test::TraceBuilder;

namespace {

std::int32_t index_of(const nra::TraceTree& tree, std::string_view id) {
    for (std::size_t i = 0; i < tree.size(); ++i) {
        if (tree.trace.spans[i].span_id == id) return static_cast<std::int32_t>(i);
    }
    return -1;
}

std::string_view parent_id_of(const nra::TraceTree& tree, std::string_view id) {
    const auto p = tree.parent[static_cast<std::size_t>(index_of(tree, id))];
    return p < 0 ? std::string_view{} : tree.span(p).span_id;
}

}  // namespace

TEST_CASE("a well-formed trace becomes a tree with children in start order", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("b", "r", "web", "second", 500, 100);
    b.add("a", "r", "web", "first", 100, 100);
    b.add("c", "a", "db", "query", 110, 50);
    const auto tree = assemble(b.build());
    REQUIRE(tree.span(tree.root).span_id == "r");
    auto kids = tree.children(tree.root);
    REQUIRE(kids.size() == 2);
    CHECK(tree.span(*kids.begin()).span_id == "a");
    CHECK(tree.depth[static_cast<std::size_t>(index_of(tree, "c"))] == 2);
    CHECK(tree.order.size() == 4);
    CHECK(tree.report.complete());
    CHECK(tree.report.notes.empty());
}

TEST_CASE(
    "orphans are attached to the root and the trace is reported incomplete", "[unit][assemble]"
) {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    for (int i = 0; i < 12; ++i) b.add("o" + std::to_string(i), "missing", "svc", "op", 10 + i, 5);
    const auto tree = assemble(b.build());
    CHECK(tree.report.orphans == 12);
    CHECK_FALSE(tree.report.complete());
    CHECK(parent_id_of(tree, "o3") == "r");
    REQUIRE(tree.report.notes.size() == 1);
    CHECK(tree.report.notes[0] == "12 orphan spans (parent not in the trace) attached to the root");
}

TEST_CASE(
    "several roots: the longest is the request, the others hang under it", "[unit][assemble]"
) {
    TraceBuilder b;
    b.add("short", "", "browser", "load", 0, 100);
    b.add("long", "", "web", "GET /", 10, 900);
    const auto tree = assemble(b.build());
    CHECK(tree.span(tree.root).span_id == "long");
    CHECK(tree.report.extra_roots == 1);
    CHECK(parent_id_of(tree, "short") == "long");
    CHECK(tree.report.complete());
}

TEST_CASE(
    "a missing root is replaced by a synthetic span covering every orphan", "[unit][assemble]"
) {
    TraceBuilder b;
    b.add("x", "gone", "svc-a", "op", 100, 50);
    b.add("y", "gone", "svc-b", "op", 400, 200);
    const auto tree = assemble(b.build());
    CHECK(tree.report.missing_root);
    CHECK_FALSE(tree.report.complete());
    const auto& root = tree.span(tree.root);
    CHECK(root.name == "(missing root span)");
    CHECK(root.start_us == TraceBuilder::kBase + 100);
    CHECK(root.duration_us == 500);
    CHECK(tree.size() == 3);
}

TEST_CASE("duplicate ids: exact copies dropped, different spans re-keyed", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("d", "r", "web", "one", 10, 10);
    b.add("d", "r", "web", "one", 10, 10);      // exact copy
    b.add("d", "r", "web", "another", 10, 10);  // same id, different span
    const auto tree = assemble(b.build());
    CHECK(tree.report.duplicate_ids == 2);
    CHECK(tree.size() == 3);
    CHECK(index_of(tree, "d#2") >= 0);
}

TEST_CASE("Zipkin shared client/server ids become client -> server", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "frontend", "GET /", 0, 1000);
    b.add("s", "r", "frontend", "get", 100, 500).kind = nra::SpanKind::client;
    auto& server = b.add("s", "r", "backend", "get", 110, 480);
    server.kind = nra::SpanKind::server;
    server.shared = true;
    b.add("q", "s", "backend", "query", 120, 50);
    const auto tree = assemble(b.build());
    CHECK(tree.report.duplicate_ids == 0);
    CHECK(parent_id_of(tree, "s~server") == "s");
    CHECK(parent_id_of(tree, "q") == "s~server");
}

TEST_CASE("cycles are broken without recursion and reported", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("a", "c", "svc", "a", 10, 10);
    b.add("b", "a", "svc", "b", 20, 10);
    b.add("c", "b", "svc", "c", 30, 10);
    b.add("self", "self", "svc", "self", 40, 10);
    const auto tree = assemble(b.build());
    CHECK(tree.report.cycles_broken == 2);
    CHECK(parent_id_of(tree, "a") == "r");  // the earliest span of the cycle lost its parent
    CHECK(parent_id_of(tree, "self") == "r");
    CHECK(tree.order.size() == tree.size());
}

TEST_CASE("a million-deep parent chain assembles without stack overflow", "[unit][assemble]") {
    TraceBuilder b;
    constexpr int kDepth = 1'000'000;
    b.add("s0", "", "svc", "op", 0, kDepth * 2);
    for (int i = 1; i < kDepth; ++i) {
        b.add(
            "s" + std::to_string(i), "s" + std::to_string(i - 1), "svc", "op", i, kDepth * 2 - 2 * i
        );
    }
    const auto tree = assemble(b.build());
    CHECK(tree.depth[static_cast<std::size_t>(index_of(tree, "s999999"))] == kDepth - 1);
    CHECK(tree.report.complete());
}

TEST_CASE("clock skew: a child outside its parent on another host is centred", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("c", "r", "web", "call api", 100, 400).kind = nra::SpanKind::client;
    b.add("s", "c", "api", "GET /api", 450, 300).kind = nra::SpanKind::server;  // api clock +400 µs
    b.add("q", "s", "api", "query", 500, 100);  // same host as s: shifted with it
    const auto tree = assemble(b.build());
    const auto& s = tree.span(index_of(tree, "s"));
    const auto& q = tree.span(index_of(tree, "q"));
    CHECK(s.start_us == TraceBuilder::kBase + 150);  // 100 + (400 - 300) / 2
    CHECK(q.start_us == TraceBuilder::kBase + 200);  // the same delta (-300)
    CHECK(tree.report.skew_adjusted == 2);
    CHECK(tree.report.children_outside_parent == 0);
}

TEST_CASE("clock skew: async children and long children are not centred", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "POST /order", 0, 1000);
    b.add("p", "r", "web", "publish", 100, 10).kind = nra::SpanKind::producer;
    b.add("c", "p", "worker", "consume", 5000, 300).kind = nra::SpanKind::consumer;
    b.add("t", "r", "web", "call", 200, 100);
    b.add("slow", "t", "api", "handler", 250, 400);  // longer than its caller (caller timed out)
    const auto tree = assemble(b.build());
    CHECK(tree.span(index_of(tree, "c")).start_us == TraceBuilder::kBase + 5000);
    CHECK(tree.span(index_of(tree, "slow")).start_us == TraceBuilder::kBase + 250);
    CHECK_FALSE(tree.is_blocking(index_of(tree, "c")));
    CHECK(tree.report.children_outside_parent == 1);
}

TEST_CASE("clock skew beyond the limit is reported, not applied", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("s", "r", "api", "GET /api", 5'000'000, 100);
    const auto tree = assemble(b.build());
    CHECK(tree.span(index_of(tree, "s")).start_us == TraceBuilder::kBase + 5'000'000);
    CHECK(tree.report.skew_adjusted == 0);
    REQUIRE_FALSE(tree.report.notes.empty());
}

TEST_CASE("spans without ids are dropped and negative durations clamped", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("", "r", "web", "nameless", 10, 10);
    b.add("neg", "r", "web", "negative", 10, -50);
    const auto tree = assemble(b.build());
    CHECK(tree.report.invalid_spans == 1);
    CHECK(tree.size() == 2);
    CHECK(tree.span(index_of(tree, "neg")).duration_us == 0);
}

TEST_CASE("an empty trace assembles to an empty tree", "[unit][assemble]") {
    const auto tree = assemble(nra::Trace{});
    CHECK(tree.root == -1);
    CHECK(tree.size() == 0);
}

TEST_CASE("orphans and extra roots are not shifted as clock skew", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 100'000);
    b.add("cron", "", "jobs", "tick", 500'000, 10'000);       // an unrelated extra root
    b.add("o", "gone", "worker", "consume", 900'000, 5'000);  // an orphan
    const auto tree = assemble(b.build());
    CHECK(tree.span(index_of(tree, "cron")).start_us == TraceBuilder::kBase + 500'000);
    CHECK(tree.span(index_of(tree, "o")).start_us == TraceBuilder::kBase + 900'000);
    CHECK(tree.report.skew_adjusted == 0);
    CHECK(tree.attached[static_cast<std::size_t>(index_of(tree, "o"))] == 1);
    CHECK(tree.attached[static_cast<std::size_t>(index_of(tree, "r"))] == 0);
}

TEST_CASE("children stay in start order after a clock-skew shift", "[unit][assemble]") {
    TraceBuilder b;
    b.add("p", "", "web", "GET /", 0, 100'000);
    b.add("c1", "p", "api", "early by skew", -50'000, 20'000);  // shifted to +40 ms
    b.add("c2", "p", "web", "local", 10'000, 45'000);
    const auto tree = assemble(b.build());
    auto kids = tree.children(tree.root);
    REQUIRE(kids.size() == 2);
    CHECK(tree.span(*kids.begin()).span_id == "c2");
    CHECK(tree.span(index_of(tree, "c1")).start_us == TraceBuilder::kBase + 40'000);
}

TEST_CASE("a re-keyed duplicate never takes an id the trace already uses", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("e", "r", "web", "one", 10, 10);
    b.add("e", "r", "web", "two", 20, 10);      // would become e#2…
    b.add("e#2", "r", "web", "three", 30, 10);  // …which exists
    b.add("f", "e#2", "web", "child of three", 31, 5);
    const auto tree = assemble(b.build());
    CHECK(tree.report.orphans == 0);
    CHECK(parent_id_of(tree, "f") == "e#2");
    CHECK(tree.span(index_of(tree, "e#2")).name == "three");
    CHECK(index_of(tree, "e#3") >= 0);
}

TEST_CASE("Zipkin halves sharing an id without the shared flag are split", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "frontend", "GET /", 0, 1000);
    b.add("c", "r", "frontend", "get", 100, 500).kind = nra::SpanKind::client;
    b.add("c", "r", "backend", "get", 110, 480).kind = nra::SpanKind::server;
    b.add("q", "c", "backend", "query", 120, 50);
    const auto tree = assemble(b.build());
    CHECK(tree.report.duplicate_ids == 0);
    CHECK(parent_id_of(tree, "c~server") == "c");
    CHECK(parent_id_of(tree, "q") == "c~server");
}

TEST_CASE("a root without a duration is stretched over its children", "[unit][assemble]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 0);
    b.add("a", "r", "api", "call", 10, 300);
    const auto tree = assemble(b.build());
    CHECK(tree.span(tree.root).duration_us == 310);
    CHECK(tree.report.root_extended);
}

TEST_CASE("the synthetic root is marked as such", "[unit][assemble]") {
    TraceBuilder b;
    b.add("x", "gone", "svc", "op", 0, 10);
    const auto tree = assemble(b.build());
    CHECK(tree.span(tree.root).synthetic);
}

}  // namespace assemble_test
