// Baseline verdicts (thresholds, minimum samples, ties) and their application to a summary:
// unusual time without double counting, folded rows, finding contexts, the keys asked for.
#include "nra/analysis/baseline_apply.hpp"

#include <catch2/catch.hpp>

#include "support/trace_builder.hpp"

namespace baseline_apply_test {

using namespace nra;
using nra::test::TraceBuilder;

namespace {

BaselineStats stats(std::string service, std::string name, double p50, double p99, int n = 100) {
    BaselineStats s;
    s.key = {std::move(service), std::move(name)};
    s.count = n;
    s.p50_ms = p50;
    s.p90_ms = (p50 + p99) / 2;
    s.p99_ms = p99;
    return s;
}

struct Analysed {
    TraceTree tree;
    Summary summary;
};

Analysed analyse(const TraceBuilder& b) {
    Analysed a{assemble(b.build()), {}};
    a.summary = summarize(a.tree);
    return a;
}

// GET /search 1,450 ms → search (HTTP server, 1,300 ms) → SELECT inventory 900 ms, plus a
// sequential cache call; the query is what is unusual.
TraceBuilder slow_query_trace() {
    TraceBuilder b;
    b.add("r", "", "gateway", "GET /search", 0, 1'450'000);
    b.add("h", "r", "search", "GET /items", 100'000, 1'300'000);
    b.add("c", "h", "search", "GET cache", 150'000, 50'000);
    b.add("q", "h", "search", "SELECT inventory", 250'000, 900'000);
    return b;
}

std::vector<BaselineStats> slow_query_stats() {
    return {
        stats("gateway", "GET /search", 520, 900),
        stats("search", "GET /items", 420, 800),
        stats("search", "GET cache", 45, 70),
        stats("search", "SELECT inventory", 35, 80),
    };
}

const Baseline& segment_of(const Summary& s, const std::string& id) {
    for (const auto& seg : s.critical_path) {
        if (seg.span_id == id) return *seg.baseline;
    }
    FAIL("no segment for " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a duration above p99 and well above p50 is slower", "[baseline]") {
    const auto s = stats("svc", "op", 35, 80);
    const BaselineOptions o;
    CHECK(judge_duration(900, &s, o) == BaselineVerdict::slower);
    CHECK(judge_duration(80, &s, o) == BaselineVerdict::normal);  // a tie with p99 is usual
    CHECK(judge_duration(80.01, &s, o) == BaselineVerdict::slower);
    CHECK(judge_duration(35, &s, o) == BaselineVerdict::normal);
}

TEST_CASE("a tight distribution needs the factor and the delta before it is slower", "[baseline]") {
    const auto tight = stats("svc", "op", 10, 11);
    const BaselineOptions o;                                          // factor 1.5, delta 5 ms
    CHECK(judge_duration(14, &tight, o) == BaselineVerdict::normal);  // > p99 but only 1.4×
    CHECK(judge_duration(15, &tight, o) == BaselineVerdict::slower);  // exactly 1.5× and 5 ms
    const auto tiny = stats("svc", "op", 0.2, 0.3);
    CHECK(judge_duration(3, &tiny, o) == BaselineVerdict::normal);  // 15× but under 5 ms apart
}

TEST_CASE("unusually fast needs a quarter of p50 and the delta", "[baseline]") {
    const auto s = stats("svc", "op", 40, 90);
    const BaselineOptions o;
    CHECK(judge_duration(10, &s, o) == BaselineVerdict::faster);  // tie with 0.25 × p50
    CHECK(judge_duration(10.5, &s, o) == BaselineVerdict::normal);
    const auto small = stats("svc", "op", 4, 9);
    CHECK(judge_duration(0.1, &small, o) == BaselineVerdict::normal);  // under 5 ms apart
}

TEST_CASE("too few samples or no p50 means no baseline", "[baseline]") {
    BaselineOptions o;
    o.min_samples = 20;
    auto s = stats("svc", "op", 35, 80, 19);
    CHECK(judge_duration(900, &s, o) == BaselineVerdict::no_baseline);
    s.count = 20;
    CHECK(judge_duration(900, &s, o) == BaselineVerdict::slower);
    s.p50_ms.reset();
    CHECK(judge_duration(900, &s, o) == BaselineVerdict::no_baseline);
    s.p50_ms = 0;
    CHECK(judge_duration(900, &s, o) == BaselineVerdict::no_baseline);
    CHECK(judge_duration(900, nullptr, o) == BaselineVerdict::no_baseline);
}

TEST_CASE("a missing p99 falls back to p90", "[baseline]") {
    auto s = stats("svc", "op", 35, 80);
    s.p99_ms.reset();
    s.p90_ms = 200;
    CHECK(judge_duration(150, &s, BaselineOptions{}) == BaselineVerdict::normal);
    CHECK(judge_duration(201, &s, BaselineOptions{}) == BaselineVerdict::slower);
}

TEST_CASE(
    "unusual time is the slow query's excess, not counted again in its parents", "[baseline]"
) {
    auto a = analyse(slow_query_trace());
    apply_baselines(a.summary, a.tree, slow_query_stats(), BaselineOptions{}, "last 24 h");
    const auto& o = a.summary.baseline;
    REQUIRE(o.state == BaselineOverview::State::applied);
    CHECK(o.window == "last 24 h");
    const auto& q = segment_of(a.summary, "q");
    CHECK(q.verdict == BaselineVerdict::slower);
    CHECK(q.unusual_ms == Approx(865));
    CHECK(q.ratio == Approx(900.0 / 35));
    // GET /items is 880 ms over its p50 and the query explains 865 of it: its share is the rest,
    // capped by its own time on the path (1,300 − 50 − 900 = 350 ms).
    CHECK(segment_of(a.summary, "h").unusual_ms == Approx(15));
    // The root is 930 ms over its p50; its child carries max(880, 865) = 880 → 50 ms.
    CHECK(segment_of(a.summary, "r").unusual_ms == Approx(50));
    CHECK(o.unusual_ms == Approx(930));
    CHECK(o.unusual_ms <= a.summary.duration_ms);
    REQUIRE_FALSE(o.unusual.empty());
    CHECK(o.unusual.front().name == "SELECT inventory");
    CHECK(o.slower_spans == 3);
    CHECK(o.judged_spans == 4);
    REQUIRE(o.request);
    CHECK(o.request->verdict == BaselineVerdict::slower);
    CHECK(segment_of(a.summary, "c").verdict == BaselineVerdict::normal);
}

TEST_CASE("a slower span off the critical path adds no unusual time", "[baseline]") {
    TraceBuilder b;
    b.add("r", "", "api", "GET /", 0, 1'000'000);
    b.add("long", "r", "api", "call long", 10'000, 980'000);
    b.add("side", "r", "api", "call side", 20'000, 300'000);  // parallel, ends first
    auto a = analyse(b);
    const std::vector<BaselineStats> s{
        stats("api", "GET /", 1000, 1100),
        stats("api", "call long", 980, 1000),
        stats("api", "call side", 20, 40),
    };
    apply_baselines(a.summary, a.tree, s, BaselineOptions{}, "last 24 h");
    const auto& o = a.summary.baseline;
    CHECK(o.unusual_ms == Approx(0));
    CHECK(o.unusual.empty());
    bool side_seen = false;
    for (const auto& slow : a.summary.slow_spans) {
        if (slow.span_id != "side") continue;
        side_seen = true;
        CHECK(slow.baseline->verdict == BaselineVerdict::slower);
        CHECK(slow.baseline->unusual_ms == Approx(0));
    }
    CHECK(side_seen);
}

TEST_CASE(
    "a folded row is slower when one of its calls is, with unusual time summed", "[baseline]"
) {
    TraceBuilder b;
    b.add("r", "", "orders", "GET /order", 0, 1'000'000);
    for (int i = 0; i < 10; ++i) {
        const auto dur = i == 4 ? 300'000 : 20'000;
        const auto start = 10'000 + std::int64_t{i} * 20'000 + (i > 4 ? 280'000 : 0);
        b.add("q" + std::to_string(i), "r", "orders", "SELECT item", start, dur);
    }
    auto a = analyse(b);
    const std::vector<BaselineStats> s{stats("orders", "SELECT item", 20, 30)};
    apply_baselines(a.summary, a.tree, s, BaselineOptions{}, "last 24 h");
    const PathRow* row = nullptr;
    for (const auto& r : a.summary.path_rows) {
        if (r.name == "SELECT item") row = &r;
    }
    REQUIRE(row != nullptr);
    CHECK(row->count == 10);
    REQUIRE(row->baseline);
    CHECK(row->baseline->verdict == BaselineVerdict::slower);
    CHECK(row->baseline->duration_ms == Approx(300));
    CHECK(row->baseline->unusual_ms == Approx(280));
}

TEST_CASE("an N+1 whose calls and parent take their usual time is a standing issue", "[baseline]") {
    TraceBuilder b;
    b.add("r", "", "orders", "GET /order", 0, 500'000);
    b.add("p", "r", "orders", "load items", 10'000, 450'000);
    for (int i = 0; i < 40; ++i) {
        b.add("q" + std::to_string(i), "p", "orders", "SELECT item", 12'000 + i * 11'000, 10'000)
            .db_statement = b.intern("SELECT * FROM item WHERE id = ?");
    }
    auto a = analyse(b);
    REQUIRE_FALSE(a.summary.findings.empty());
    const std::vector<BaselineStats> usual{
        stats("orders", "load items", 440, 520),
        stats("orders", "SELECT item", 10, 14),
    };
    auto standing = a.summary;
    apply_baselines(standing, a.tree, usual, BaselineOptions{}, "last 24 h");
    CHECK(standing.findings.front().kind == "n_plus_one_db");
    CHECK(standing.findings.front().context == FindingContext::standing);
    CHECK(standing.baseline.unusual_ms == Approx(0));

    // The same loop when the parent usually takes 60 ms: the loop is new, so it is unusual.
    const std::vector<BaselineStats> fresh{
        stats("orders", "load items", 60, 90),
        stats("orders", "SELECT item", 10, 14),
    };
    auto unusual = a.summary;
    apply_baselines(unusual, a.tree, fresh, BaselineOptions{}, "last 24 h");
    CHECK(unusual.findings.front().context == FindingContext::unusual);

    auto unknown = a.summary;
    apply_baselines(unknown, a.tree, {}, BaselineOptions{}, "last 24 h");
    CHECK(unknown.findings.front().context == FindingContext::unknown);
    CHECK(unknown.baseline.judged_spans == 0);
    CHECK(unknown.baseline.state == BaselineOverview::State::applied);
}

TEST_CASE("standing findings go after the unusual ones", "[baseline]") {
    TraceBuilder b;
    b.add("r", "", "svc", "GET /", 0, 3'000'000);
    b.add("a", "r", "svc", "SELECT a", 10'000, 1'200'000).db_statement = b.intern("SELECT a");
    b.add("z", "r", "svc", "SELECT z", 1'300'000, 1'100'000).db_statement = b.intern("SELECT z");
    auto a = analyse(b);
    std::size_t slow_db = 0;
    for (const auto& f : a.summary.findings) slow_db += f.kind == "slow_db" ? 1 : 0;
    REQUIRE(slow_db == 2);
    REQUIRE(a.summary.findings.front().span_ids.front() == "a");  // by saving: the longer one
    const std::vector<BaselineStats> s{
        stats("svc", "GET /", 2900, 3100),
        stats("svc", "SELECT a", 1150, 1300),  // always this slow
        stats("svc", "SELECT z", 40, 90),      // usually fast
    };
    apply_baselines(a.summary, a.tree, s, BaselineOptions{}, "last 24 h");
    CHECK(a.summary.findings.front().span_ids.front() == "z");
    CHECK(a.summary.findings.front().context == FindingContext::unusual);
    CHECK(a.summary.findings.back().context == FindingContext::standing);
}

TEST_CASE("error findings get no baseline context", "[baseline]") {
    TraceBuilder b;
    b.add("r", "", "svc", "GET /", 0, 100'000).error = true;
    b.add("c", "r", "svc", "call", 10'000, 50'000).error = true;
    auto a = analyse(b);
    const std::vector<BaselineStats> s{
        stats("svc", "GET /", 100, 120), stats("svc", "call", 50, 60)};
    apply_baselines(a.summary, a.tree, s, BaselineOptions{}, "last 24 h");
    REQUIRE_FALSE(a.summary.findings.empty());
    for (const auto& f : a.summary.findings) CHECK(f.context == FindingContext::unknown);
}

TEST_CASE(
    "baseline keys put the root first, then path time, then slow spans, capped", "[baseline]"
) {
    auto a = analyse(slow_query_trace());
    const auto keys = baseline_keys(a.summary, 10);
    REQUIRE(keys.size() == 4);
    CHECK(keys[0] == BaselineKey{"gateway", "GET /search"});
    CHECK(keys[1] == BaselineKey{"search", "SELECT inventory"});
    CHECK(baseline_keys(a.summary, 2).size() == 2);
    CHECK(baseline_keys(a.summary, 0).empty());
}

TEST_CASE("callee keys: databases, URLs by shape, peers, nothing for other spans", "[baseline]") {
    TraceBuilder b;
    Span& db = b.add("d", "", "svc", "SELECT items", 0, 1000);
    db.category = SpanCategory::datastore;
    db.db_system = b.intern("postgresql");
    db.attributes.emplace_back(b.intern("db.namespace"), b.intern("orders"));
    Span& url = b.add("u", "", "svc", "GET", 0, 1000);
    url.kind = SpanKind::client;
    url.http_url = b.intern("https://user:pw@api.example:8443/users/123/orders?id=9");
    Span& peer = b.add("p", "", "svc", "GET", 0, 1000);
    peer.kind = SpanKind::client;
    peer.http_url = b.intern("/users/7");
    peer.peer_host = b.intern("users-svc");
    Span& server = b.add("s", "", "svc", "GET /x", 0, 1000);
    server.kind = SpanKind::server;
    server.http_url = b.intern("http://svc/x");
    const auto trace = b.build();
    const std::string sep(1, kCalleeSeparator);
    CHECK(callee_key(trace.spans[0]) == "db" + sep + "postgresql" + sep + "orders");
    CHECK(callee_key(trace.spans[1]) == "url" + sep + "api.example:8443/users/*/orders");
    CHECK(callee_key(trace.spans[2]) == "peer" + sep + "users-svc");
    CHECK(callee_key(trace.spans[3]).empty());
    CHECK(callee_label(callee_key(trace.spans[0])) == "postgresql orders");
    CHECK(callee_parts("junk").empty());
}

TEST_CASE("a call is judged against calls to its own callee, else the bare pair", "[baseline]") {
    TraceBuilder b;
    b.add("r", "", "pay", "POST /pay", 0, 1'100'000).kind = SpanKind::server;
    Span& call = b.add("c", "r", "pay", "POST", 10'000, 1'000'000);
    call.kind = SpanKind::client;
    call.http_url = b.intern("http://fraud:8080/score");
    auto a = analyse(b);
    const auto keys = baseline_keys(a.summary, a.tree, 10);
    const std::string callee = "url" + std::string(1, kCalleeSeparator) + "fraud:8080/score";
    CHECK(std::find(keys.begin(), keys.end(), BaselineKey{"pay", "POST", callee}) != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), BaselineKey{"pay", "POST"}) != keys.end());
    auto mixed = stats("pay", "POST", 900, 1500);  // PSP and fraud calls together: normal
    apply_baselines(a.summary, a.tree, {mixed}, BaselineOptions{}, "last 24 h");
    CHECK(a.summary.baseline.slower_spans == 0);
    auto own = stats("pay", "POST", 95, 260);
    own.key.callee = callee;
    apply_baselines(a.summary, a.tree, {mixed, own}, BaselineOptions{}, "last 24 h");
    CHECK(a.summary.baseline.slower_spans == 1);  // against fraud's own calls: unusual
}

TEST_CASE("mark_no_baseline records why and clears verdict figures", "[baseline]") {
    auto a = analyse(slow_query_trace());
    apply_baselines(a.summary, a.tree, slow_query_stats(), BaselineOptions{}, "last 24 h");
    mark_no_baseline(
        a.summary, BaselineOverview::State::unavailable, "New Relic did not answer in time."
    );
    CHECK(a.summary.baseline.state == BaselineOverview::State::unavailable);
    CHECK(a.summary.baseline.note == "New Relic did not answer in time.");
    CHECK(a.summary.baseline.unusual_ms == 0);
    CHECK(a.summary.baseline.unusual.empty());
    for (const auto& seg : a.summary.critical_path) CHECK_FALSE(seg.baseline);
    for (const auto& row : a.summary.path_rows) CHECK_FALSE(row.baseline);
}

}  // namespace baseline_apply_test
