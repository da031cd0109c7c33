// The HTTP/1.1 server's TLS, graceful stop and start() errors. Server and client share one
// io_context on the test thread.
#include "http_server_helpers.hpp"

namespace http_server_tls_stop_test {

using namespace server_test;  // NOLINT(google-build-using-namespace): test helpers
namespace {

ServerOptions tls_in_memory() {
    const auto& leaf = nra::test::test_pki().leaf("127.0.0.1");
    ServerOptions options;
    options.tls_cert_pem = leaf.cert_pem;
    options.tls_key_pem = leaf.key_pem;
    return options;
}

ClientOptions trusting_test_ca() {
    ClientOptions options;
    options.ca_pem = nra::test::test_pki().ca_pem;
    return options;
}

// The leaf certificate and key as files, removed at the end of the test.
struct TlsFiles {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("nra-http-server-test-" + std::to_string(::getpid()));
    std::string cert = (dir / "cert.pem").string();
    std::string key = (dir / "key.pem").string();

    TlsFiles() {
        std::filesystem::create_directories(dir);
        const auto& leaf = nra::test::test_pki().leaf("127.0.0.1");
        std::ofstream(cert) << leaf.cert_pem;
        std::ofstream(key) << leaf.key_pem;
    }
    ~TlsFiles() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    TlsFiles(const TlsFiles&) = delete;
    TlsFiles& operator=(const TlsFiles&) = delete;
};

}  // namespace

TEST_CASE("TLS round trip with an in-memory certificate", "[server][tls]") {
    Served s(tls_in_memory(), ok);
    Client client(s.ioc.get_executor(), trusting_test_ca());
    for (int i = 0; i < 2; ++i) {
        const Outcome outcome = s.send(client, request("GET", s.url("/secure", "https")));
        INFO(outcome.detail);
        REQUIRE(outcome.ok());
        CHECK(outcome.response.body == R"({"ok":true})");
    }
    CHECK(s.server.stats().connections_total == 1);
}

TEST_CASE(
    "TLS with certificate and key files, untrusted clients fail the handshake", "[server][tls]"
) {
    const TlsFiles files;
    ServerOptions options;
    options.tls_cert_file = files.cert;
    options.tls_key_file = files.key;
    Served s(options, ok);
    Client trusting(s.ioc.get_executor(), trusting_test_ca());
    const Outcome outcome = s.send(trusting, request("POST", s.url("/files", "https")));
    INFO(outcome.detail);
    CHECK(outcome.ok());

    Client untrusting(s.ioc.get_executor(), {});
    const Outcome refused = s.send(untrusting, request("GET", s.url("/", "https")));
    CHECK(refused.failure == nra::http::Failure::tls);
    CHECK(s.server.stats().requests == 1);
}

TEST_CASE("plain HTTP to a TLS server is dropped without a request", "[server][tls]") {
    Served s(tls_in_memory(), ok);
    const RawReply r = raw(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(r.read_error);
    CHECK(s.server.stats().requests == 0);
}

namespace {

struct StopOutcome {
    int status = 0;
    std::string connection;
    std::string body;
    error_code busy_end;
    error_code idle_end;
    error_code reconnect;
    milliseconds stopped_after{};
};

// An idle connection and one with a request whose handler asks the server to stop.
asio::awaitable<StopOutcome> request_that_stops(HttpServer* server, unsigned short port) {
    tcp::socket idle = co_await connect(port);
    tcp::socket busy = co_await connect(port);
    const std::string get = "GET /work HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(busy, asio::buffer(get), asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    co_await bhttp::async_read(busy, buffer, response, asio::use_awaitable);
    StopOutcome out;
    out.status = static_cast<int>(response.result_int());
    out.connection = std::string(response[bhttp::field::connection]);
    out.body = response.body();
    out.busy_end = co_await read_until_closed(busy, nullptr);
    out.idle_end = co_await read_until_closed(idle, nullptr);
    busy.close();
    tcp::socket fresh(co_await asio::this_coro::executor);
    co_await fresh.async_connect(
        {asio::ip::make_address("127.0.0.1"), port},
        asio::redirect_error(asio::use_awaitable, out.reconnect)
    );
    const auto start = Clock::now();
    co_await server->stopped(milliseconds{1000});
    out.stopped_after = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    co_return out;
}

void check_graceful(const StopOutcome& out, const HttpServer& server) {
    CHECK(out.status == 200);
    CHECK(out.body == "done");
    CHECK(closed_by_peer(out.busy_end));
    CHECK(closed_by_peer(out.idle_end));
    CHECK(out.reconnect == asio::error::connection_refused);
    CHECK(out.stopped_after < milliseconds{500});
    CHECK(server.stats().connections_open == 0);
    CHECK(server.stats().requests == 1);
}

}  // namespace

TEST_CASE(
    "graceful stop posted from a handler: the request in flight is answered", "[server][stop]"
) {
    asio::io_context* loop = nullptr;
    HttpServer* server = nullptr;
    Served s({}, [&loop, &server](const ServerRequest&) {
        asio::post(*loop, [&server] { server->stop(); });
        return reply(200, "done");
    });
    loop = &s.ioc;
    server = &s.server;
    const StopOutcome out = run(s.ioc, request_that_stops(server, s.server.port()));
    check_graceful(out, s.server);
    s.server.stop();  // twice is fine
}

TEST_CASE("stop() during a request: the answer says Connection: close", "[server][stop]") {
    HttpServer* server = nullptr;
    Served s({}, [&server](const ServerRequest&) {
        server->stop();
        return reply(200, "done");
    });
    server = &s.server;
    const StopOutcome out = run(s.ioc, request_that_stops(server, s.server.port()));
    check_graceful(out, s.server);
    CHECK(out.connection == "close");
}

namespace {

struct Abandoned {
    milliseconds stopped_after{};
    error_code end;
    std::size_t received = 0;
};

// The client never reads a large response, so the server's write cannot finish: stopped() has
// to close the connection at its deadline.
asio::awaitable<Abandoned> stop_while_writing(
    HttpServer* server, unsigned short port, Signal* handled
) {
    tcp::socket socket = co_await connect(port);
    const std::string get = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(get), asio::use_awaitable);
    co_await wait_for(*handled);
    const auto start = Clock::now();
    co_await server->stopped(milliseconds{100});
    Abandoned out;
    out.stopped_after = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    std::string received;
    out.end = co_await read_until_closed(socket, &received);
    out.received = received.size();
    co_return out;
}

}  // namespace

TEST_CASE("stopped() closes what is left at its deadline", "[server][stop]") {
    constexpr std::size_t kBig = std::size_t{32} << 20;
    Signal* handled = nullptr;
    Served s({}, [&handled](const ServerRequest&) {
        handled->fire();
        return reply(200, std::string(kBig, 'z'));
    });
    Signal signal(s.ioc);
    handled = &signal;
    const Abandoned out = run(s.ioc, stop_while_writing(&s.server, s.server.port(), handled));
    CHECK(out.stopped_after >= milliseconds{90});
    CHECK(out.stopped_after < milliseconds{600});
    CHECK(closed_by_peer(out.end));
    CHECK(out.received < kBig);
    CHECK(s.server.stats().connections_open == 0);
}

TEST_CASE("start() errors name the TLS file or the address", "[server][start]") {
    asio::io_context ioc;
    SECTION("missing certificate file") {
        ServerOptions options = loopback();
        options.tls_cert_file = "/nonexistent/nra/cert.pem";
        options.tls_key_file = "/nonexistent/nra/key.pem";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_AS(server.start(), std::runtime_error);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("/nonexistent/nra/cert.pem"));
    }
    SECTION("missing key file") {
        const TlsFiles files;
        ServerOptions options = loopback();
        options.tls_cert_file = files.cert;
        options.tls_key_file = files.key + ".missing";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains(files.key + ".missing"));
    }
    SECTION("a certificate without a key") {
        ServerOptions options = loopback();
        options.tls_cert_pem = tls_in_memory().tls_cert_pem;
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("both a certificate and a key"));
    }
    SECTION("a key that is not PEM") {
        ServerOptions options = tls_in_memory();
        options.address = "127.0.0.1";
        options.port = 0;
        options.tls_key_pem = "not a key";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("TLS key"));
    }
    SECTION("port in use") {
        HttpServer first(ioc.get_executor(), loopback(), ok);
        const unsigned short port = first.start();
        ServerOptions options = loopback();
        options.port = port;
        HttpServer second(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(second.start(), Catch::Contains("127.0.0.1:" + std::to_string(port)));
    }
    SECTION("bad address") {
        ServerOptions options = loopback();
        options.address = "not-an-ip";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("not-an-ip"));
    }
}

}  // namespace http_server_tls_stop_test
