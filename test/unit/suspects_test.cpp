// Suspects: time lost between a caller and its callee credited to the callee (or to a starved
// caller), a call that never reached its callee naming the callee, retries credited to the
// service that failed them, "inconclusive" when nothing stands out; and how outputs show them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nra/analysis/summary.hpp"
#include "nra/render/render.hpp"
#include "support/trace_builder.hpp"

namespace suspects_test {

using namespace nra;
using nra::test::TraceBuilder;

namespace {

constexpr std::int64_t kMs = 1000;

Span& client(
    TraceBuilder& b,
    std::string_view id,
    std::string_view parent,
    std::string_view svc,
    std::int64_t start_ms,
    std::int64_t ms
) {
    Span& s = b.add(id, parent, svc, "HTTP GET", start_ms * kMs, ms * kMs);
    s.kind = SpanKind::client;
    s.category = SpanCategory::http;
    return s;
}

Span& server(
    TraceBuilder& b,
    std::string_view id,
    std::string_view parent,
    std::string_view svc,
    std::string_view name,
    std::int64_t start_ms,
    std::int64_t ms
) {
    Span& s = b.add(id, parent, svc, name, start_ms * kMs, ms * kMs);
    s.kind = SpanKind::server;
    return s;
}

Summary summary_of(const TraceBuilder& b) {
    return summarize(assemble(b.build()));
}

}  // namespace

TEST_CASE("time lost between caller and callee is the callee's") {
    TraceBuilder b;
    server(b, "root", "", "frontend", "GET /cart", 0, 1000);
    client(b, "c1", "root", "frontend", 10, 900);
    server(b, "s1", "c1", "cart", "GET /items", 12, 60);  // the callee worked 60 of 900 ms
    client(b, "c2", "root", "frontend", 920, 40);
    server(b, "s2", "c2", "pricing", "GET /price", 921, 38);  // a normal call
    const Summary s = summary_of(b);
    REQUIRE_FALSE(s.suspects.empty());
    const Suspect& top = s.suspects.front();
    CHECK(top.service == "cart");
    CHECK(top.kind == SuspectKind::gap);
    CHECK(top.operation == "GET /items");
    CHECK(top.excess_ms == Approx(840));
    CHECK(top.confidence == Confidence::high);
    REQUIRE_FALSE(top.evidence.empty());
    CHECK(top.evidence[0].text.find("840 ms lost between `frontend` and `cart`") == 0);
    CHECK(top.evidence[0].span_ids == std::vector<std::string>{"c1", "s1"});
}

TEST_CASE("when all of a caller's outbound calls lose time, the caller is starved") {
    TraceBuilder b;
    server(b, "root", "", "frontend", "GET /cart", 0, 1000);
    client(b, "c1", "root", "frontend", 10, 400);
    server(b, "s1", "c1", "cart", "GET /items", 12, 50);
    client(b, "c2", "root", "frontend", 420, 400);
    server(b, "s2", "c2", "pricing", "GET /price", 421, 40);
    const Summary s = summary_of(b);
    REQUIRE_FALSE(s.suspects.empty());
    CHECK(s.suspects.front().service == "frontend");
    CHECK(
        s.suspects.front().evidence[0].text.find("the caller itself is starved") !=
        std::string::npos
    );
}

TEST_CASE("a call that never reached its callee names the callee") {
    TraceBuilder b;
    Span& root = server(b, "root", "", "checkout", "POST /pay", 0, 30);
    root.error = true;
    Span& call = client(b, "c1", "root", "checkout", 2, 3);
    call.error = true;
    call.error_message = b.intern("connection refused");
    call.peer_host = b.intern("payments:8443");
    server(b, "s0", "root", "payments-ui", "GET /x", 6, 2);  // another service of the trace
    const Summary s = summary_of(b);
    REQUIRE_FALSE(s.suspects.empty());
    CHECK(s.suspects.front().service == "payments");  // the peer, not the caller
    CHECK(s.suspects.front().kind == SuspectKind::error);
    CHECK(
        s.suspects.front().evidence[0].text.find("failed without an answer from it") !=
        std::string::npos
    );
}

TEST_CASE("nothing unusual is inconclusive, with the reason, and outputs say so") {
    TraceBuilder b;
    server(b, "root", "", "frontend", "GET /", 0, 100);
    client(b, "c1", "root", "frontend", 1, 50);
    server(b, "s1", "c1", "api", "GET /a", 2, 48);
    const Summary s = summary_of(b);
    CHECK(s.suspects.empty());
    CHECK(s.suspects_note.rfind("Inconclusive:", 0) == 0);
    const auto j = nlohmann::json::parse(render_json(s));
    CHECK(j.at("suspects") == nlohmann::json::array());
    bool noted = false;
    for (const auto& note : j.at("notes"))
        noted = noted || note.get<std::string>().rfind("Inconclusive", 0) == 0;
    CHECK(noted);
}

TEST_CASE("the summary leads with the top suspect, escaped for Slack") {
    TraceBuilder b;
    server(b, "root", "", "front<!here>", "GET /cart", 0, 1000);
    client(b, "c1", "root", "front<!here>", 10, 900);
    server(b, "s1", "c1", "cart*", "GET /items`x`", 12, 60);
    const Summary s = summary_of(b);
    const std::string text = render_text(s);
    CHECK(
        text.find("Suspect: `cart*` · `GET /items'x'` (gap, high confidence") != std::string::npos
    );
    const BlockMessage blocks = render_blocks_summary(s);
    const std::string dump = blocks.dump();
    CHECK(dump.find("*Suspect*") != std::string::npos);
    CHECK(dump.find("<!here>") == std::string::npos);
    const auto j = nlohmann::json::parse(render_json(s));
    REQUIRE(j.at("suspects").size() >= 1);
    const auto& top = j["suspects"][0];
    CHECK(top.at("service") == "cart*");
    CHECK(top.at("kind") == "gap");
    CHECK(top.at("confidence") == "high");
    CHECK(top.at("excess_ms") == 840.0);
    CHECK(top.at("evidence")[0].at("span_ids") == nlohmann::json{"c1", "s1"});
}

}  // namespace suspects_test
