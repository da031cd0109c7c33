// The HTTPS client against FakeHttpServer on 127.0.0.1: headers, keep-alive and the pool,
// deadlines, size limits, gzip, refused connections.
#include "http_client_helpers.hpp"

namespace http_client_test {

using namespace client_test;  // NOLINT(google-build-using-namespace): test helpers
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

TEST_CASE("caller's Content-Type wins, GET without body has none", "[client]") {
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

TEST_CASE("concurrent requests never share a connection, the pool is capped", "[client]") {
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

TEST_CASE("refused connections and bad URLs, details carry no secrets", "[client]") {
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

TEST_CASE("a name that does not resolve fails within the deadline", "[client]") {
    // Offline machines answer at once; a silent DNS server would be cut off at the deadline.
    Harness h;
    const auto start = Clock::now();
    const Outcome outcome = h.get("http://nra-no-such-host.invalid/", milliseconds{300});
    CHECK((outcome.failure == Failure::connect || outcome.failure == Failure::timeout));
    CHECK(outcome.detail.find("nra-no-such-host.invalid") != std::string::npos);
    CHECK(Clock::now() - start < milliseconds{2000});
}

}  // namespace http_client_test
