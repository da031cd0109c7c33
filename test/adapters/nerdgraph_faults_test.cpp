// Every fault New Relic can throw at the trace source, and what the user gets: a retry that
// succeeds, or a clear message. Nothing hangs; the key never shows up in logs or messages.
#include <catch2/catch.hpp>
#include <chrono>

#include "nerdgraph_harness.hpp"

namespace nerdgraph_faults_test {

using namespace nra;
using namespace nra::test;
using Kind = NerdGraphFault::Kind;

namespace {

const std::string kTrace = "0af7651916cd43dd8448eb211c80319c";

void add_trace(NerdGraphHarness& h) {
    h.fake.add_rows(1, make_trace_rows(kTrace, 20, RowDialect::otel, now_ms() - 3'600'000));
}

void check_no_secret(const NerdGraphHarness& h, const FetchResult& r) {
    CHECK(r.message.find(FakeNerdGraph::kApiKey) == std::string::npos);
    CHECK_FALSE(h.logs_mention(FakeNerdGraph::kApiKey));
    CHECK_FALSE(h.logs_mention("NRAK-"));
}

}  // namespace

TEST_CASE("transient faults are retried and the trace arrives") {
    NerdGraphHarness h;
    add_trace(h);
    std::size_t expected_requests = 2;
    SECTION("429 with Retry-After") {
        h.fake.push_fault(NerdGraphFault::http(429, "0"));
    }
    SECTION("500, 502, 503 in a row") {
        h.fake.push_fault(NerdGraphFault::http(500));
        h.fake.push_fault(NerdGraphFault::http(502));
        h.fake.push_fault(NerdGraphFault::http(503));
        expected_requests = 4;
    }
    SECTION("GraphQL TOO_MANY_REQUESTS with HTTP 200") {
        h.fake.push_fault(NerdGraphFault::graphql("TOO_MANY_REQUESTS"));
    }
    SECTION("GraphQL SERVER_ERROR") {
        h.fake.push_fault(NerdGraphFault::graphql("SERVER_ERROR"));
    }
    SECTION("malformed JSON") {
        h.fake.push_fault(NerdGraphFault::of(Kind::malformed));
    }
    SECTION("truncated body") {
        h.fake.push_fault(NerdGraphFault::of(Kind::truncate));
    }
    SECTION("connection closed without an answer") {
        h.fake.push_fault(NerdGraphFault::of(Kind::close));
    }
    SECTION("gzip answer") {
        h.fake.push_fault(NerdGraphFault::of(Kind::gzip));
        expected_requests = 1;
    }
    auto r = h.fetch(kTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 20);
    CHECK(h.fake.server().requests().size() == expected_requests);
    check_no_secret(h, r);
}

TEST_CASE("a GraphQL TIMEOUT is retried with a longer nrql timeout") {
    NerdGraphHarness h;
    add_trace(h);
    h.fake.push_fault(NerdGraphFault::graphql("TIMEOUT"));
    auto r = h.fetch(kTrace);
    REQUIRE(r.status == FetchStatus::found);
    const auto vars = h.fake.variables_log();
    REQUIRE(vars.size() == 2);
    CHECK(vars[0]["timeout"] == 30);
    CHECK(vars[1]["timeout"] == 60);
}

TEST_CASE("faults that persist end in a clear message") {
    NerdGraphHarness h;
    add_trace(h);
    FetchStatus status = FetchStatus::found;
    std::string text;
    SECTION("503 forever") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::http(503));
        status = FetchStatus::unavailable;
        text = "HTTP 503";
    }
    SECTION("429 forever") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::http(429, "0"));
        status = FetchStatus::rate_limited;
        text = "rate-limiting";
    }
    SECTION("TIMEOUT forever") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::graphql("TIMEOUT"));
        status = FetchStatus::timed_out;
        text = "timing out";
    }
    SECTION("unreadable forever") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::of(Kind::malformed));
        status = FetchStatus::unavailable;
        text = "unreadable";
    }
    SECTION("HTTP 401") {
        h.fake.push_fault(NerdGraphFault::http(401));
        status = FetchStatus::rejected_key;
        text = "rejected the API key";
    }
    SECTION("an error New Relic does not classify") {
        h.fake.push_fault(NerdGraphFault::graphql(""));
        status = FetchStatus::failed;
        text = "New Relic answered with an error";
    }
    auto r = h.fetch(kTrace);
    CHECK(r.status == status);
    CHECK(r.message.find(text) != std::string::npos);
    CHECK_FALSE(r.tree);
    check_no_secret(h, r);
}

TEST_CASE("a wrong API key is named as such, and never echoed") {
    NerdGraphHarness h;
    add_trace(h);
    h.config.api_key = "NRAK-WRONG-KEY-SHOULD-NOT-LEAK";
    auto r = h.fetch(kTrace);
    CHECK(r.status == FetchStatus::rejected_key);
    CHECK(r.message.find("rejected the API key") != std::string::npos);
    CHECK(r.message.find("NRAK-WRONG") == std::string::npos);
    CHECK_FALSE(h.logs_mention("NRAK-WRONG"));
    CHECK(h.fake.server().requests().size() == 1);  // not retried
}

TEST_CASE("a server that hangs past the deadline does not hang us") {
    NerdGraphHarness h;
    add_trace(h);
    h.config.budget = std::chrono::milliseconds(800);
    h.fake.push_fault(NerdGraphFault::of(Kind::hang));
    const auto start = std::chrono::steady_clock::now();
    auto r = h.fetch(kTrace);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(r.status == FetchStatus::timed_out);
    CHECK(r.message.find("did not answer in time") != std::string::npos);
    CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("a TLS certificate for another host is refused") {
    FakeServerOptions tls;
    tls.tls = true;
    tls.cert_host = "wrong.example";
    NerdGraphHarness h(tls);
    add_trace(h);
    auto r = h.fetch(kTrace);
    CHECK(r.status == FetchStatus::unavailable);
    CHECK(r.message.find("TLS certificate") != std::string::npos);
    CHECK(h.fake.server().requests().empty());  // nothing was sent to the impostor
}

TEST_CASE("an untrusted certificate is refused") {
    FakeServerOptions tls;
    tls.tls = true;
    NerdGraphHarness h(tls);
    h.client_options.ca_pem.clear();
    add_trace(h);
    auto r = h.fetch(kTrace);
    CHECK(r.status == FetchStatus::unavailable);
    CHECK(h.fake.server().requests().empty());
}

TEST_CASE("an unknown trace is reported with where we looked") {
    NerdGraphHarness h;
    add_trace(h);
    auto r = h.fetch("ffffffffffffffffffffffffffffffff");
    CHECK(r.status == FetchStatus::not_found);
    CHECK(
        r.message ==
        "no spans for trace ffffffffffffffffffffffffffffffff in the last 24 hours of account 1: "
        "not sampled, too old, or in another account (a request from the last two minutes may "
        "not be written yet: try again shortly)"
    );
}

TEST_CASE("injection strings never reach New Relic") {
    NerdGraphHarness h;
    for (const char* hostile : {"'; DROP", "abc' OR trace.id LIKE '%", "0123456789abcdef' OR '1"}) {
        auto r = h.fetch(hostile);
        CHECK(r.status == FetchStatus::failed);
    }
    CHECK(h.fake.server().requests().empty());
}

}  // namespace nerdgraph_faults_test
