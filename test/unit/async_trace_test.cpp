// Asynchronous traces (a short `poll` root whose consumers run on) and whole-millisecond
// timestamps: the headline is the trace's extent, no offset is negative, a failing consumer is an
// origin, and rounding never moves a span.
#include <catch2/catch.hpp>
#include <numeric>

#include "nra/analysis/summary.hpp"
#include "nra/render/render.hpp"
#include "support/trace_builder.hpp"

namespace async_trace_test {

using nra::test::TraceBuilder;

namespace {

// A Kafka consumer trace: `poll` returns after 26 µs; the record is processed for 649 ms after it
// and fails; `commit` was stamped 21 µs before `poll` by another clock.
TraceBuilder kafka_trace() {
    TraceBuilder b;
    auto& poll = b.add("p", "", "orders-consumer", "orders poll", 0, 26);
    poll.kind = nra::SpanKind::consumer;
    b.add("k", "p", "orders-consumer", "commit", -21, 10);
    auto& process = b.add("c", "p", "orders-consumer", "orders process", 100, 648'900);
    process.kind = nra::SpanKind::consumer;
    process.error = true;
    process.error_message = b.intern("PaymentDeclined");
    b.add("d", "c", "orders-db", "INSERT orders", 200, 300'000);
    return b;
}

double path_total(const nra::Summary& s) {
    return std::accumulate(
        s.critical_path.begin(),
        s.critical_path.end(),
        0.0,
        [](double acc, const auto& seg) { return acc + seg.duration_ms; }
    );
}

}  // namespace

TEST_CASE("a 26 µs poll root: the headline is the trace's extent, the root's own beside it") {
    const auto s = nra::summarize(nra::assemble(kafka_trace().build()));
    CHECK(s.duration_ms == Approx(649.021));
    CHECK(s.root.duration_ms == Approx(0.026));
    CHECK(path_total(s) == Approx(649.0));  // from the root's start to the last end
    REQUIRE_FALSE(s.critical_path.empty());
    CHECK(s.critical_path.back().span_id == "c");
    for (const auto& seg : s.critical_path) CHECK(seg.start_ms >= 0);
    for (const auto& row : s.path_rows) CHECK(row.start_ms >= 0);
    const auto text = nra::render_text(s);
    CHECK(text.find("649 ms (root span 26 µs)") != std::string::npos);
    CHECK(text.find("+-") == std::string::npos);
    const auto blocks = nra::render_blocks_summary(s).dump();
    CHECK(blocks.find("649 ms (root span 26 µs)") != std::string::npos);
}

TEST_CASE("a failing consumer under a poll that succeeded is the origin, in every output") {
    const auto s = nra::summarize(nra::assemble(kafka_trace().build()));
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].span_id == "c");
    CHECK(s.errors[0].origin);
    bool finding = false;
    for (const auto& f : s.findings) finding = finding || f.kind == "error_origin";
    CHECK(finding);
    CHECK(nra::render_json(s).find("\"origin\": true") != std::string::npos);
    CHECK(nra::render_blocks_summary(s).dump().find("orders process") != std::string::npos);
}

TEST_CASE("a failure under a parent that waited for it and did not fail was handled") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1'000);
    b.add("c", "r", "cache", "get", 100, 50).error = true;
    const auto s = nra::summarize(nra::assemble(b.build()));
    REQUIRE(s.errors.size() == 1);
    CHECK_FALSE(s.errors[0].origin);
    CHECK(nra::render_blocks_summary(s).dump().find("Error origin") == std::string::npos);
}

TEST_CASE("whole milliseconds: an overflow within the rounding moves no span, drops no branch") {
    // New Relic stores milliseconds: the second call ends 1 ms after its parent and overlaps the
    // first by 1 ms. Centring it in the parent (skew) used to move it by ~450 ms.
    TraceBuilder b;
    b.add("r", "", "web", "POST /orders", 0, 2'000'000).host = b.intern("h1");
    b.add("a", "r", "orders", "reserve", 10'000, 891'000).host = b.intern("h2");
    b.add("b", "r", "orders", "charge", 900'000, 1'101'000).host = b.intern("h2");
    const auto tree = nra::assemble(b.build());
    CHECK(tree.resolution_us == 1'000);
    CHECK(tree.report.skew_adjusted == 0);
    CHECK(tree.report.children_outside_parent == 0);
    const auto s = nra::summarize(tree);
    double charge = 0;
    double reserve = 0;
    for (const auto& seg : s.critical_path) {
        if (seg.span_id == "b") charge += seg.duration_ms;
        if (seg.span_id == "a") reserve += seg.duration_ms;
    }
    CHECK(charge == Approx(1'100.0));  // clamped to the parent's end, not dropped
    CHECK(reserve == Approx(890.0));   // up to where the next call started (1 ms slack)
}

TEST_CASE("exact timestamps: a child outside its parent on another host is still skew") {
    TraceBuilder b;
    b.add("r", "", "web", "POST /orders", 0, 2'000'003).host = b.intern("h1");
    b.add("b", "r", "orders", "charge", 900'001, 1'101'003).host = b.intern("h2");
    const auto tree = nra::assemble(b.build());
    CHECK(tree.resolution_us == 0);
    CHECK(tree.report.skew_adjusted == 1);
}

}  // namespace async_trace_test
