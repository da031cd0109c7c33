#include <catch2/catch.hpp>
#include <numeric>

#include "nra/analysis/summary.hpp"
#include "support/trace_builder.hpp"

namespace summarize_test {

using nra::test::TraceBuilder;

namespace {

nra::Summary summarize(const TraceBuilder& b) {
    return nra::summarize(nra::assemble(b.build()));
}

}  // namespace

TEST_CASE("the summary header names the request, its root and its extent", "[unit][summary]") {
    TraceBuilder b;
    auto& root = b.add("r", "", "web", "WebTransaction/Expressjs/GET//cart", 0, 2000);
    root.attributes.emplace_back(b.intern("request.uri"), b.intern("/cart"));
    root.attributes.emplace_back(b.intern("request.method"), b.intern("GET"));
    b.add("a", "r", "api", "GET /items", 100, 500);
    const auto s = summarize(b);
    CHECK(s.request == "GET /cart");
    CHECK(s.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(s.span_count == 2);
    CHECK(s.service_count == 2);
    CHECK(s.duration_ms == Approx(2.0));
    CHECK(s.root.span_id == "r");
    CHECK(s.complete);
}

TEST_CASE("services are ranked by self time with their error counts", "[unit][summary]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("a", "r", "api", "call", 100, 800);
    b.add("q", "a", "db", "query", 150, 100).error = true;
    const auto s = summarize(b);
    REQUIRE(s.services.size() == 3);
    CHECK(s.services[0].service == "api");
    CHECK(s.services[0].self_ms == Approx(0.7));
    CHECK(s.services[1].service == "web");
    CHECK(s.services[1].self_ms == Approx(0.2));
    CHECK(s.services[2].error_count == 1);
    const double total =
        std::accumulate(s.services.begin(), s.services.end(), 0.0, [](double acc, const auto& x) {
            return acc + x.self_ms;
        });
    CHECK(total == Approx(s.duration_ms));
}

TEST_CASE("errors list the deepest propagated failure first", "[unit][summary]") {
    TraceBuilder b;
    b.add("r", "", "gateway", "POST /orders", 0, 1000).error = true;
    b.add("o", "r", "orders", "POST /orders", 10, 900).error = true;
    b.add("c", "o", "orders", "load from cache", 15, 20);
    auto& handled = b.add("h", "c", "orders", "cache get", 20, 5);  // failed, its caller coped
    handled.error = true;
    handled.error_message = b.intern("cache miss");
    b.add("p", "o", "payments", "authorize", 100, 700).error = true;
    auto& origin = b.add("f", "p", "fraud", "score", 110, 600);
    origin.error = true;
    origin.error_message = b.intern("Read timed out");
    origin.error_class = b.intern("java.net.SocketTimeoutException");
    const auto s = summarize(b);
    REQUIRE(s.errors.size() == 5);  // r, o, h, p, f
    CHECK(s.errors[0].span_id == "f");
    CHECK(s.errors[0].origin);
    CHECK(s.errors[0].message == "Read timed out");
    CHECK_FALSE(s.errors[1].origin);
    CHECK(s.errors.back().span_id == "h");  // its parent did not fail: handled, listed last
    CHECK_FALSE(s.errors.back().origin);
}

TEST_CASE("the critical path adds up and folds an N+1 loop into one row", "[unit][summary]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /cart", 0, 1000);
    b.add("h", "r", "cart", "load cart", 50, 900);
    for (int i = 0; i < 30; ++i) {
        b.add("q" + std::to_string(i), "h", "cart", "SELECT item", 60 + i * 25, 20);
    }
    const auto s = summarize(b);
    const double sum = std::accumulate(
        s.critical_path.begin(),
        s.critical_path.end(),
        0.0,
        [](double acc, const auto& seg) { return acc + seg.duration_ms; }
    );
    CHECK(sum == Approx(s.duration_ms));
    REQUIRE(s.path_rows.size() == 3);
    CHECK(s.path_rows[2].name == "SELECT item");
    CHECK(s.path_rows[2].count == 30);
    CHECK(s.path_rows[2].path_ms == Approx(0.6));        // 30 × 20 µs on the path
    CHECK(s.path_rows[2].duration_ms == Approx(0.745));  // the loop: first start to last end
    CHECK(s.path_rows[2].path_parts.size() == 30);
    CHECK(s.path == std::vector<std::string>{"web", "cart"});
}

TEST_CASE("slow spans are ranked by self time", "[unit][summary]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("a", "r", "api", "fast", 0, 100);
    b.add("b", "r", "api", "slow", 100, 900);
    const auto s = summarize(b);
    REQUIRE(s.slow_spans.size() == 2);
    CHECK(s.slow_spans[0].span_id == "b");
    CHECK(s.slow_spans[0].self_ms == Approx(0.9));
    CHECK(s.slow_spans[1].span_id == "a");  // the root has no self time left
}

TEST_CASE("repairs show up as notes and mark the trace incomplete", "[unit][summary]") {
    TraceBuilder b;
    b.add("r", "", "web", "GET /", 0, 1000);
    b.add("o", "lost", "api", "orphan", 100, 100);
    const auto s = summarize(b);
    CHECK_FALSE(s.complete);
    REQUIRE_FALSE(s.notes.empty());
    CHECK(s.notes[0].find("orphan") != std::string::npos);
}

TEST_CASE("an empty trace summarizes to an empty, incomplete summary", "[unit][summary]") {
    const auto s = nra::summarize(nra::assemble(nra::Trace{}));
    CHECK_FALSE(s.complete);
    CHECK(s.span_count == 0);
    CHECK(s.critical_path.empty());
}

TEST_CASE("a synthetic root adds no span, service time or gap finding", "[unit][summary]") {
    TraceBuilder b;
    b.add("x", "gone", "svc-a", "op", 0, 100'000);
    b.add("y", "gone", "svc-a", "op", 600'000, 100'000);
    const auto s = summarize(b);
    CHECK(s.span_count == 2);
    REQUIRE(s.services.size() == 1);
    CHECK(s.services[0].self_ms == Approx(200));
    for (const auto& f : s.findings) CHECK(f.kind != "uninstrumented_gap");
    for (const auto& slow : s.slow_spans) CHECK(slow.span_id != "missing-root");
}

}  // namespace summarize_test
