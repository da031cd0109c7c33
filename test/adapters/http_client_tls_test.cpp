// The HTTPS client's TLS verification, CONNECT proxy tunnels and the retry loop, against
// FakeHttpServer / FakeConnectProxy on 127.0.0.1.
#include "http_client_helpers.hpp"

namespace http_client_tls_test {

using namespace client_test;  // NOLINT(google-build-using-namespace): test helpers
TEST_CASE("TLS with the test CA given in memory, TLS connections are pooled", "[client][tls]") {
    FakeHttpServer server(ok_reply, with_tls());
    Harness h(trusting_test_ca());
    for (int i = 0; i < 2; ++i) {
        const Outcome outcome = h.get(server.url("/secure"));
        INFO(outcome.detail);
        REQUIRE(outcome.ok());
        CHECK(outcome.response.body == R"({"ok":true})");
    }
    CHECK(server.connections_accepted() == 1);
}

TEST_CASE("TLS with the test CA given as a file", "[client][tls]") {
    FakeHttpServer server(ok_reply, with_tls());
    ClientOptions options;
    options.ca_file = nra::test::test_pki().ca_file;
    Harness h(options);
    const Outcome outcome = h.get(server.url());
    INFO(outcome.detail);
    CHECK(outcome.ok());
}

TEST_CASE("TLS to a DNS name (SNI path)", "[client][tls]") {
    FakeHttpServer server(ok_reply, with_tls("localhost"));
    Harness h(trusting_test_ca());
    const Outcome outcome = h.get("https://localhost:" + std::to_string(server.port()) + "/");
    INFO(outcome.detail);
    CHECK(outcome.ok());
}

TEST_CASE("TLS certificate for another host is rejected", "[client][tls]") {
    FakeHttpServer server(ok_reply, with_tls("wrong.example"));
    Harness h(trusting_test_ca());
    const Outcome outcome = h.get(server.url());
    INFO(outcome.detail);
    CHECK(outcome.failure == Failure::tls);
    CHECK(outcome.detail.find("hostname mismatch") != std::string::npos);
    CHECK(server.requests().empty());
}

TEST_CASE("TLS certificate from an untrusted CA is rejected", "[client][tls]") {
    FakeHttpServer server(ok_reply, with_tls());
    Harness h;
    const Outcome outcome = h.get(server.url());
    INFO(outcome.detail);
    CHECK(outcome.failure == Failure::tls);
    CHECK(server.requests().empty());
}

TEST_CASE("https through a CONNECT proxy, with credentials", "[client][proxy]") {
    FakeHttpServer server(ok_reply, with_tls());
    FakeConnectProxy proxy;
    ClientOptions options = trusting_test_ca();
    options.proxy.https_proxy = "http://user:pass@127.0.0.1:" + std::to_string(proxy.port());
    Harness h(options);
    for (int i = 0; i < 2; ++i) {
        const Outcome outcome = h.get(server.url("/via-proxy"));
        INFO(outcome.detail);
        REQUIRE(outcome.ok());
    }
    const auto targets = proxy.connect_targets();
    REQUIRE(targets.size() == 1);  // the tunnel is pooled like any connection
    CHECK(targets[0] == "127.0.0.1:" + std::to_string(server.port()));
    CHECK(proxy.authorizations() == std::vector<std::string>{"Basic dXNlcjpwYXNz"});
    CHECK(server.requests().at(0).target == "/via-proxy");
}

TEST_CASE("NO_PROXY bypasses the proxy, plain http is tunnelled too", "[client][proxy]") {
    FakeHttpServer server(ok_reply);
    FakeConnectProxy proxy;
    ClientOptions options;
    options.proxy.http_proxy = proxy.url();
    options.proxy.no_proxy = "localhost";
    REQUIRE(Harness(options).get(server.url()).ok());
    CHECK(proxy.connect_targets().size() == 1);
    options.proxy.no_proxy = "127.0.0.1";
    REQUIRE(Harness(options).get(server.url()).ok());
    CHECK(proxy.connect_targets().size() == 1);
}

TEST_CASE("a proxy refusing the tunnel is a proxy failure", "[client][proxy]") {
    ClosedPort closed;
    FakeConnectProxy proxy;
    ClientOptions options;
    options.proxy.http_proxy = proxy.url();
    Harness h(options);
    const Outcome outcome = h.get(closed.url());
    CHECK(outcome.failure == Failure::proxy);
    CHECK(outcome.detail.find("502") != std::string::npos);
}

TEST_CASE("retry: 503, 503, then 200", "[client][retry]") {
    Script script;
    script.replies = {reply(503), reply(503)};
    FakeHttpServer server(std::ref(script));
    Harness h;
    const Outcome outcome = h.retry(get(server.url()), quick_retries(1));
    REQUIRE(outcome.ok());
    CHECK(outcome.response.status == 200);
    CHECK(outcome.attempts == 3);
    CHECK(server.requests().size() == 3);
}

TEST_CASE("retry: 429 with Retry-After: 0, then 200", "[client][retry]") {
    Script script;
    script.replies = {reply(429)};
    script.replies[0].headers = {{"Retry-After", "0"}};
    FakeHttpServer server(std::ref(script));
    Harness h;
    const Outcome outcome = h.retry(get(server.url()), quick_retries(2));
    REQUIRE(outcome.ok());
    CHECK(outcome.response.status == 200);
    CHECK(outcome.attempts == 2);
}

TEST_CASE("retry: 400 is final", "[client][retry]") {
    FakeHttpServer server([](const FakeRequest&) { return reply(400); });
    Harness h;
    const Outcome outcome = h.retry(get(server.url()), quick_retries(3));
    CHECK(outcome.response.status == 400);
    CHECK(outcome.attempts == 1);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("retry: attempts stop at max_attempts", "[client][retry]") {
    FakeHttpServer server([](const FakeRequest&) { return reply(502); });
    Harness h;
    RetryPolicy policy = quick_retries(4);
    policy.max_attempts = 3;
    const Outcome outcome = h.retry(get(server.url()), policy);
    CHECK(outcome.response.status == 502);
    CHECK(outcome.attempts == 3);
    CHECK(server.requests().size() == 3);
}

TEST_CASE("retry: a hanging server exhausts the budget, not more", "[client][retry]") {
    FakeHttpServer server([](const FakeRequest&) { return with_action(Action::hang); });
    Harness h;
    RetryPolicy policy = quick_retries(5);
    policy.budget = milliseconds{350};
    policy.max_attempts = 10;
    const auto start = Clock::now();
    const Outcome outcome = h.retry(get(server.url(), milliseconds{100}), policy);
    const auto elapsed = Clock::now() - start;
    CHECK(outcome.failure == Failure::timeout);
    CHECK(outcome.attempts >= 2);
    CHECK(outcome.attempts <= 4);
    CHECK(elapsed < milliseconds{350 + 150});
}

}  // namespace http_client_tls_test
