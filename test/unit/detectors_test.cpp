// uninstrumented_gap, error_origin and detect_all (ranking, cap, large and empty traces).
#include <catch2/catch.hpp>
#include <string>

#include "detector_builder.hpp"

namespace detectors_test {

using nra::test::cat;
using nra::test::contains;
using nra::test::DetectorTraceBuilder;
using nra::test::of_kind;

TEST_CASE("uninstrumented_gap: most of a span outside its children", "[detectors]") {
    DetectorTraceBuilder b;
    b.service("api");
    b.add("root", "", "GET /report", 0, 1000);
    b.add("load", "root", "loadData", 0, 100);
    b.add("render", "root", "render", 700, 100);
    const auto found = of_kind(b.run(), "uninstrumented_gap");
    REQUIRE(found.size() == 1);
    const auto& f = found[0];
    CHECK(f.span_ids == std::vector<std::string>{"root"});
    CHECK(f.total_ms == Approx(800));
    CHECK(f.saving_ms == 0);  // unexplained time: no saving claimed
    CHECK(contains(
        f.summary, "`GET /report` in api spent 800 ms (80% of 1.0 s) outside its 2 child spans"
    ));
    CHECK(contains(f.summary, "largest gap 600 ms between `loadData` and `render`"));
}

TEST_CASE(
    "call_gap: a client span waiting on its callee is time lost between them, not a gap in "
    "the caller",
    "[detectors]"
) {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /a", 0, 1000);
    b.http("call", "root", "GET", "http://b/x", 0, 900);
    b.service("b");
    b.add("srv", "call", "GET /x", 100, 300).kind = nra::SpanKind::server;
    const auto findings = b.run();
    CHECK(of_kind(findings, "uninstrumented_gap").empty());  // root: 100 ms self = 10%
    const auto found = of_kind(findings, "call_gap");
    REQUIRE(found.size() == 1);
    CHECK(found[0].service == "b");  // credited to the callee's side
    CHECK(found[0].span_ids == std::vector<std::string>{"call", "srv"});
    CHECK(found[0].total_ms == 600.0);
    CHECK(found[0].statement == "GET /x");
    CHECK(contains(found[0].summary, "600 ms lost between"));
    CHECK(contains(found[0].summary, "network, or queueing before its handler"));
    CHECK(contains(found[0].suggestion, "inbound"));
}

TEST_CASE("uninstrumented_gap: below the time or share threshold, or a leaf", "[detectors]") {
    DetectorTraceBuilder small;  // 90 ms outside the child
    small.add("root", "", "GET /a", 0, 200);
    small.add("c", "root", "child", 0, 110);
    CHECK(of_kind(small.run(), "uninstrumented_gap").empty());

    DetectorTraceBuilder share;  // 150 ms, but only 15% of the span
    share.add("root", "", "GET /a", 0, 1000);
    share.add("c", "root", "child", 100, 850);
    CHECK(of_kind(share.run(), "uninstrumented_gap").empty());

    DetectorTraceBuilder leaf;  // a slow leaf is slow, not uninstrumented
    leaf.add("root", "", "GET /a", 0, 1000);
    CHECK(of_kind(leaf.run(), "uninstrumented_gap").empty());
}

TEST_CASE("error_origin: the deepest failing span whose failure propagated", "[detectors]") {
    DetectorTraceBuilder b;
    b.service("gateway");
    b.add("root", "", "GET /checkout", 0, 500).error = true;
    b.service("payment-service");
    b.add("pay", "root", "POST /charge", 10, 400).error = true;
    auto& db = b.db("db", "pay", "INSERT INTO charges VALUES (1, 2)", 20, 30);
    db.error = true;
    db.error_message = b.str("connection refused");
    const auto found = of_kind(b.run(), "error_origin");
    REQUIRE(found.size() == 1);
    const auto& f = found[0];
    CHECK(f.span_ids == std::vector<std::string>{"db"});
    CHECK(f.service == "payment-service");
    CHECK(f.statement == "INSERT INTO charges VALUES (?, ?)");
    CHECK(contains(f.summary, "in payment-service failed (\"connection refused\")"));
    CHECK(contains(f.summary, "propagated up 2 levels to `GET /checkout` in gateway"));
}

TEST_CASE("error_origin: a handled failure is not an origin", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /a", 0, 500);
    b.add("cache", "root", "cache.get", 10, 5).error = true;
    CHECK(of_kind(b.run(), "error_origin").empty());
}

TEST_CASE(
    "error_origin: identical origins make one finding, the root failing alone counts", "[detectors]"
) {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /a", 0, 500).error = true;
    for (int i = 0; i < 3; ++i) {
        auto& s = b.add(cat("w", i), "root", "work", 10 + i * 50, 40);
        s.error = true;
        s.error_message = b.str("boom");
    }
    auto found = of_kind(b.run(), "error_origin");
    REQUIRE(found.size() == 1);
    CHECK(found[0].count == 3);
    CHECK(contains(found[0].summary, "3 × `work`"));

    DetectorTraceBuilder alone;
    alone.add("root", "", "GET /a", 0, 500).error = true;
    alone.add("ok", "root", "work", 10, 40);
    found = of_kind(alone.run(), "error_origin");
    REQUIRE(found.size() == 1);
    CHECK(found[0].span_ids == std::vector<std::string>{"root"});
    CHECK(contains(found[0].summary, "the request fails here"));
}

TEST_CASE("detect_all: ranked by saving, capped, deterministic", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /page", 0, 5000).error = true;
    b.db("slow", "root", "SELECT * FROM big", 0, 2000);  // saving 1900
    for (int i = 0; i < 10; ++i) {                       // N+1: 10 × 20 ms, saving 180
        b.db(cat("q", i), "root", cat("SELECT * FROM t WHERE id = ", i), 2100 + i * 25, 20);
    }
    b.add("fail", "root", "work", 2500, 10).error = true;  // error origin, saving 0
    const auto all = b.run();
    REQUIRE(all.size() >= 3);
    CHECK(all[0].kind == "slow_db");
    CHECK(all[1].kind == "n_plus_one_db");
    for (std::size_t i = 1; i < all.size(); ++i) {
        CHECK(all[i - 1].saving_ms >= all[i].saving_ms);
    }
    CHECK(!of_kind(all, "error_origin").empty());

    DetectorTraceBuilder again;  // same input, one finding allowed
    again.add("root", "", "GET /page", 0, 5000);
    again.db("slow", "root", "SELECT * FROM big", 0, 2000);
    nra::DetectorThresholds limits;
    limits.max_findings = 1;
    const auto capped = again.run(limits);
    REQUIRE(capped.size() == 1);
    CHECK(capped[0].kind == "slow_db");
}

TEST_CASE("detect_all: empty trace and mismatched self times give nothing", "[detectors]") {
    const nra::TraceTree empty = nra::assemble(nra::Trace{});
    CHECK(nra::detect_all(empty, {}).empty());
    DetectorTraceBuilder b;
    b.add("root", "", "GET /a", 0, 500);
    const nra::TraceTree tree = b.build();
    CHECK(nra::detect_all(tree, {1, 2, 3}).empty());
}

TEST_CASE("detect_all: 100k spans, wide and deep, without recursion", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /batch", 0, 200'000);
    // A 50k-deep chain of internal spans (recursion on depth would overflow the stack) …
    std::string parent = "root";
    for (int i = 0; i < 50'000; ++i) {
        const std::string id = cat("d", i);
        b.add(id, parent, "step", 0.001 * i, 100'000 - 0.001 * i);
        parent = id;
    }
    // … and a 50k-wide fan-out of one query shape: one N+1 finding.
    for (int i = 0; i < 50'000; ++i) {
        b.db(cat("w", i), "root", cat("SELECT v FROM kv WHERE k = ", i), 100'000 + i * 2.0, 1.5);
    }
    const auto found = b.run();
    const auto n1 = of_kind(found, "n_plus_one_db");
    REQUIRE(n1.size() == 1);
    CHECK(n1[0].count == 50'000);
    CHECK(n1[0].total_ms == Approx(75'000));
}

TEST_CASE("uninstrumented_gap: the same operation in a loop is one finding", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /batch", 0, 3000);
    for (int i = 0; i < 3; ++i) {
        const std::string id = cat("h", i);
        b.add(id, "root", "handle", i * 1000, 900);
        b.add(cat(id, "c"), id, "query", i * 1000, 100 + i * 100);  // self 800, 700, 600 ms
    }
    const auto found = of_kind(b.run(), "uninstrumented_gap");
    REQUIRE(found.size() == 1);
    CHECK(found[0].count == 3);
    CHECK(found[0].total_ms == Approx(2100));
    CHECK(contains(found[0].summary, "3 × `handle` in svc spent up to 800 ms (89% of 900 ms)"));
}

TEST_CASE("detect_all: zero thresholds never produce empty findings", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /a", 0, 1000).error = true;
    b.db("q1", "root", "SELECT 1", 0, 10).error = true;
    b.db("q2", "root", "SELECT 1", 20, 10);
    b.http("h", "root", "GET", "http://x/1", 40, 10);
    b.add("leaf", "root", "work", 60, 0);
    nra::DetectorThresholds zero;
    zero.n_plus_one_db_min_count = 0;
    zero.n_plus_one_db_min_total_ms = 0;
    zero.n_plus_one_http_min_count = 0;
    zero.n_plus_one_http_min_total_ms = 0;
    zero.sequential_min_count = 0;
    zero.sequential_min_span_ms = 0;
    zero.sequential_min_saving_ms = 0;
    zero.slow_db_ms = 0;
    zero.retries_min_attempts = 0;
    zero.gap_min_ms = 0;
    zero.gap_min_share = 0;
    zero.max_findings = 100;
    const auto all = b.run(zero);
    CHECK(!all.empty());
    for (const auto& f : all) {
        INFO(f.kind << ": " << f.summary);
        CHECK(f.count >= 1);
        CHECK(f.span_ids.size() == static_cast<std::size_t>(f.count));
        CHECK(!f.summary.empty());
        CHECK(!f.suggestion.empty());
    }
}

}  // namespace detectors_test
