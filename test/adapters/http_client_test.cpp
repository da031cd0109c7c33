// The HTTPS client and the retry loop against FakeHttpServer / FakeConnectProxy on 127.0.0.1:
// keep-alive, TLS verification, deadlines, size limits, gzip, CONNECT tunnels.
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "http/retry.hpp"
#include "support/fake_http_server.hpp"
#include "support/test_pki.hpp"

namespace asio = boost::asio;
using nra::http::Client;
using nra::http::ClientOptions;
using nra::http::Failure;
using nra::http::Outcome;
using nra::http::Request;
using nra::http::RetryPolicy;
using nra::test::FakeConnectProxy;
using nra::test::FakeHttpServer;
using nra::test::FakeReply;
using nra::test::FakeRequest;
using nra::test::FakeServerOptions;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Action = FakeReply::Action;

namespace {

// Runs one client coroutine to completion on the test thread; rethrows what escaped it.
Outcome run(asio::io_context& ioc, asio::awaitable<Outcome> work) {
    std::optional<Outcome> result;
    std::exception_ptr error;
    asio::co_spawn(ioc, std::move(work), [&](std::exception_ptr e, Outcome outcome) {
        error = e;
        if (!e) result = std::move(outcome);
    });
    ioc.restart();
    ioc.run();
    if (error) std::rethrow_exception(error);
    REQUIRE(result.has_value());
    return std::move(*result);
}

Request get(std::string url, milliseconds timeout = milliseconds{5000}) {
    Request request;
    request.method = "GET";
    request.url = std::move(url);
    request.timeout = timeout;
    return request;
}

// One Client on an io_context that the test thread drives.
struct Harness {
    asio::io_context ioc;  // first: outlives the client's sockets
    Client client;

    explicit Harness(ClientOptions options = {}) : client(ioc.get_executor(), std::move(options)) {}

    Outcome send(Request request) { return run(ioc, client.send(std::move(request))); }
    Outcome get(std::string url, milliseconds timeout = milliseconds{5000}) {
        return send(::get(std::move(url), timeout));
    }
    Outcome retry(Request request, RetryPolicy policy) {
        return run(ioc, nra::http::send_with_retry(client, std::move(request), policy));
    }
};

FakeReply reply(int status, std::string body = "{}") {
    FakeReply out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

FakeReply with_action(Action action, std::string body = "{}") {
    FakeReply out = reply(200, std::move(body));
    out.action = action;
    return out;
}

FakeReply ok_reply(const FakeRequest&) {
    return reply(200, R"({"ok":true})");
}

// Replies with the scripted replies in order, then 200 "done"; called on the server thread.
struct Script {
    std::vector<FakeReply> replies;
    std::atomic<std::size_t> next{0};

    FakeReply operator()(const FakeRequest&) {
        const std::size_t i = next++;
        return i < replies.size() ? replies[i] : reply(200, "done");
    }
};

FakeServerOptions with_tls(std::string cert_host = "127.0.0.1") {
    FakeServerOptions options;
    options.tls = true;
    options.cert_host = std::move(cert_host);
    return options;
}

ClientOptions trusting_test_ca() {
    ClientOptions options;
    options.ca_pem = nra::test::test_pki().ca_pem;
    return options;
}

RetryPolicy quick_retries(std::uint64_t seed) {
    RetryPolicy policy;
    policy.base_delay = milliseconds{1};
    policy.seed = seed;
    return policy;
}

// A port with nothing listening: bound (so nobody else takes it) but never listen()ed.
struct ClosedPort {
    asio::io_context ioc;
    asio::ip::tcp::socket socket{ioc};
    unsigned short port = 0;

    ClosedPort() {
        socket.open(asio::ip::tcp::v4());
        socket.bind({asio::ip::make_address("127.0.0.1"), 0});
        port = socket.local_endpoint().port();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/"; }
};

}  // namespace

TEST_CASE("plain round trip sends the expected headers", "[client]") {
    FakeHttpServer server([](const FakeRequest&) {
        FakeReply out = reply(201, R"({"ok":true})");
        out.headers = {{"X-Reply", "yes"}};
        return out;
    });
    Harness h;
    Request request;
    request.url = server.url("/graphql?x=1&y=%20");
    request.headers = {{"API-Key", "NRAK-secret"}, {"X-Multi", "a"}, {"X-Multi", "b"}};
    request.body = R"({"query":"{ actor { user { name } } }"})";
    const Outcome outcome = h.send(request);
    REQUIRE(outcome.ok());
    CHECK(outcome.response.status == 201);
    CHECK(outcome.response.body == R"({"ok":true})");
    CHECK(outcome.response.header("x-reply") == "yes");
    const auto seen = server.requests();
    REQUIRE(seen.size() == 1);
    const FakeRequest& r = seen[0];
    CHECK(r.method == "POST");
    CHECK(r.target == "/graphql?x=1&y=%20");
    CHECK(r.header("Host") == "127.0.0.1:" + std::to_string(server.port()));
    CHECK(r.header("User-Agent") == "nr-analyzer/0.1");
    CHECK(r.header("Content-Type") == "application/json");
    CHECK(r.header("Content-Length") == std::to_string(request.body.size()));
    CHECK(r.header("Accept-Encoding") == "gzip");
    CHECK(r.header("API-Key") == "NRAK-secret");
    CHECK(r.body == request.body);
    int multi = 0;
    for (const auto& [name, value] : r.headers) multi += name == "X-Multi" ? 1 : 0;
    CHECK(multi == 2);
}

TEST_CASE("caller's Content-Type wins; GET without body has none", "[client]") {
    FakeHttpServer server(ok_reply);
    Harness h;
    Request request;
    request.url = server.url("/form");
    request.headers = {{"content-type", "text/plain"}};
    request.body = "hello";
    REQUIRE(h.send(request).ok());
    REQUIRE(h.get(server.url()).ok());
    const auto seen = server.requests();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].header("Content-Type") == "text/plain");
    CHECK(seen[1].method == "GET");
    CHECK(seen[1].target == "/");
    CHECK(seen[1].header("Content-Type").empty());
}

TEST_CASE("keep-alive: sequential requests share one connection", "[client]") {
    FakeHttpServer server(ok_reply);
    Harness h;
    for (int i = 0; i < 3; ++i) REQUIRE(h.get(server.url()).ok());
    CHECK(server.connections_accepted() == 1);
    CHECK(h.client.stats().connections_opened == 1);
    CHECK(h.client.stats().connections_reused == 2);
    CHECK(h.client.stats().requests == 3);
}

TEST_CASE("Connection: close from the server is honoured", "[client]") {
    FakeHttpServer server([](const FakeRequest&) {
        FakeReply out = reply(200, "bye");
        out.keep_alive = false;
        return out;
    });
    Harness h;
    for (int i = 0; i < 3; ++i) {
        const Outcome outcome = h.get(server.url());
        REQUIRE(outcome.ok());
        CHECK(outcome.response.body == "bye");
    }
    CHECK(server.connections_accepted() == 3);
    CHECK(h.client.stats().connections_reused == 0);
}

TEST_CASE("a pooled connection the server dropped is replaced transparently", "[client]") {
    Script script;
    script.replies = {reply(200, "first"), with_action(Action::close)};
    FakeHttpServer server(std::ref(script));
    Harness h;
    REQUIRE(h.get(server.url()).ok());
    const Outcome second = h.get(server.url());
    REQUIRE(second.ok());
    CHECK(second.response.body == "done");
    CHECK(server.requests().size() == 3);
    CHECK(server.connections_accepted() == 2);
}

TEST_CASE("a fresh connection closed without an answer is a connect failure", "[client]") {
    FakeHttpServer server([](const FakeRequest&) { return with_action(Action::close); });
    Harness h;
    CHECK(h.get(server.url()).failure == Failure::connect);
    CHECK(server.requests().size() == 1);  // not retried: nothing was pooled
}

TEST_CASE("idle connections older than idle_timeout are not reused", "[client]") {
    FakeHttpServer server(ok_reply);
    ClientOptions options;
    options.idle_timeout = std::chrono::seconds{0};
    Harness h(options);
    REQUIRE(h.get(server.url()).ok());
    REQUIRE(h.get(server.url()).ok());
    CHECK(server.connections_accepted() == 2);
    CHECK(h.client.stats().connections_reused == 0);
}

TEST_CASE("concurrent requests never share a connection; the pool is capped", "[client]") {
    FakeHttpServer server(ok_reply);
    ClientOptions options;
    options.max_idle_per_host = 2;
    Harness h(options);
    std::vector<Outcome> outcomes;
    const auto batch = [&] {
        for (int i = 0; i < 3; ++i) {
            asio::co_spawn(
                h.ioc,
                h.client.send(get(server.url())),
                [&](std::exception_ptr e, Outcome o) {
                    if (!e) outcomes.push_back(std::move(o));
                }
            );
        }
        h.ioc.restart();
        h.ioc.run();
    };
    batch();
    CHECK(server.connections_accepted() == 3);
    batch();
    REQUIRE(outcomes.size() == 6);
    for (const auto& o : outcomes) CHECK(o.ok());
    CHECK(h.client.stats().connections_reused == 2);  // only two were kept idle
    CHECK(h.client.stats().connections_opened == 4);
    CHECK(server.connections_accepted() == 4);
}

TEST_CASE("TLS with the test CA given in memory; TLS connections are pooled", "[client][tls]") {
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

TEST_CASE("a server that never answers hits the deadline", "[client]") {
    const bool tls = GENERATE(false, true);
    FakeHttpServer server(
        [](const FakeRequest&) { return with_action(Action::hang); },
        tls ? with_tls() : FakeServerOptions{}
    );
    Harness h(trusting_test_ca());
    const auto start = Clock::now();
    const Outcome outcome = h.get(server.url(), milliseconds{200});
    const auto elapsed = Clock::now() - start;
    CHECK(outcome.failure == Failure::timeout);
    CHECK(elapsed >= milliseconds{190});
    CHECK(elapsed < milliseconds{2000});
}

TEST_CASE("a truncated body is a connect failure (peer went away mid-response)", "[client]") {
    const bool tls = GENERATE(false, true);
    FakeHttpServer server(
        [](const FakeRequest&) {
            return with_action(Action::truncate_body, std::string(1000, 'x'));
        },
        tls ? with_tls() : FakeServerOptions{}
    );
    Harness h(trusting_test_ca());
    CHECK(h.get(server.url()).failure == Failure::connect);
    CHECK(server.requests().size() == 1);  // a fresh connection is never silently retried
}

TEST_CASE("responses over max_response_bytes are refused", "[client]") {
    FakeHttpServer server([](const FakeRequest&) { return reply(200, std::string(4096, 'x')); });
    ClientOptions options;
    options.max_response_bytes = 1000;
    Harness h(options);
    CHECK(h.get(server.url()).failure == Failure::too_large);
}

TEST_CASE("gzip bodies are decoded", "[client]") {
    const std::string body = R"({"data":")" + std::string(5000, 'a') + R"("})";
    FakeHttpServer server([&](const FakeRequest&) {
        FakeReply out = reply(200, body);
        out.gzip = true;
        return out;
    });
    Harness h;
    const Outcome outcome = h.get(server.url());
    REQUIRE(outcome.ok());
    CHECK(outcome.response.header("Content-Encoding") == "gzip");
    CHECK(outcome.response.body == body);
}

TEST_CASE("a gzip bomb stops at max_response_bytes", "[client]") {
    FakeHttpServer server([](const FakeRequest&) {
        FakeReply out = reply(200, std::string(std::size_t{10} << 20, '\0'));
        out.gzip = true;
        return out;
    });
    ClientOptions options;
    options.max_response_bytes = std::size_t{1} << 20;
    Harness h(options);
    CHECK(h.get(server.url()).failure == Failure::too_large);
}

TEST_CASE("a body claiming gzip that is not gzip is a protocol failure", "[client]") {
    FakeHttpServer server([](const FakeRequest&) {
        FakeReply out = reply(200, "definitely not gzip");
        out.headers = {{"Content-Encoding", "gzip"}};
        return out;
    });
    Harness h;
    CHECK(h.get(server.url()).failure == Failure::protocol);
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

TEST_CASE("NO_PROXY bypasses the proxy; plain http is tunnelled too", "[client][proxy]") {
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

TEST_CASE("refused connections and bad URLs; details carry no secrets", "[client]") {
    ClosedPort closed;
    Harness h;
    Request request = get(closed.url());
    request.method = "POST";
    request.headers = {{"API-Key", "NRAK-topsecret"}};
    request.body = "body-secret";
    const Outcome refused = h.send(request);
    CHECK(refused.failure == Failure::connect);
    CHECK_FALSE(refused.detail.empty());
    CHECK(refused.detail.find("topsecret") == std::string::npos);
    CHECK(refused.detail.find("body-secret") == std::string::npos);
    for (const char* url : {"ftp://x/", "not a url", "http:///x", "https://h:99999/", "/rel"}) {
        INFO(url);
        CHECK(h.get(url).failure == Failure::bad_url);
    }
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
