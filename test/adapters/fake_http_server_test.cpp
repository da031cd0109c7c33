// The fakes the adapter tests stand on: a wrong fake would make every adapter test meaningless,
// so each behaviour is checked here with a plain synchronous Beast client.
#include "support/fake_http_server.hpp"

#include <zlib.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "support/test_pki.hpp"

namespace fake_http_server_test {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using nra::test::FakeConnectProxy;
using nra::test::FakeHttpServer;
using nra::test::FakeReply;
using nra::test::FakeRequest;
using nra::test::FakeServerOptions;
using nra::test::test_pki;
using Response = http::response<http::string_body>;
using SslStream = asio::ssl::stream<tcp::socket>;

FakeReply reply_with(std::string body) {
    FakeReply reply;
    reply.body = std::move(body);
    return reply;
}

FakeReply reply_action(FakeReply::Action action) {
    FakeReply reply = reply_with(R"({"data":"0123456789"})");
    reply.action = action;
    return reply;
}

tcp::socket connect_to(asio::io_context& ioc, unsigned short port) {
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    return socket;
}

http::request<http::string_body> get(const std::string& target) {
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    return req;
}

template <class Stream>
Response exchange(Stream& stream, http::request<http::string_body> req) {
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    Response res;
    http::read(stream, buffer, res);
    return res;
}

// Sends a request and reads whatever comes back until the server closes the connection.
template <class Stream>
std::string raw_reply(Stream& stream, const std::string& target) {
    http::write(stream, get(target));
    std::string received;
    beast::error_code ec;
    std::array<char, 512> chunk{};
    while (!ec) {
        const std::size_t n = stream.read_some(asio::buffer(chunk), ec);
        received.append(chunk.data(), n);
    }
    return received;
}

std::string gunzip(const std::string& in) {
    z_stream zs{};
    REQUIRE(inflateInit2(&zs, 15 + 16) == Z_OK);
    std::string out(1 << 16, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    inflateEnd(&zs);
    REQUIRE(rc == Z_STREAM_END);
    return out;
}

asio::ssl::context client_tls(const std::string& verify_host) {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.add_certificate_authority(asio::buffer(test_pki().ca_pem));
    ctx.set_verify_mode(asio::ssl::verify_peer);
    ctx.set_verify_callback(asio::ssl::host_name_verification(verify_host));
    return ctx;
}

}  // namespace

TEST_CASE("plain round trip records the request") {
    FakeHttpServer server([](const FakeRequest& req) {
        FakeReply reply = reply_with(R"({"echo":")" + req.body + R"("})");
        reply.status = 201;
        reply.headers.emplace_back("X-Reply", "yes");
        return reply;
    });
    CHECK(
        server.url("/graphql") == "http://127.0.0.1:" + std::to_string(server.port()) + "/graphql"
    );

    asio::io_context ioc;
    tcp::socket socket = connect_to(ioc, server.port());
    auto req = get("/graphql");
    req.method(http::verb::post);
    req.set("API-Key", "secret");
    req.body() = "hello";
    const Response res = exchange(socket, req);

    CHECK(res.result_int() == 201);
    CHECK(res.body() == R"({"echo":"hello"})");
    CHECK(res[http::field::content_type] == "application/json");
    CHECK(res["X-Reply"] == "yes");
    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "POST");
    CHECK(requests[0].target == "/graphql");
    CHECK(requests[0].header("api-key") == "secret");
    CHECK(requests[0].header("missing").empty());
    CHECK(requests[0].body == "hello");
    CHECK(requests[0].connection == 1);
    CHECK(server.connections_accepted() == 1);
}

TEST_CASE("keep-alive serves two requests on one connection, a new one gets index 2") {
    FakeHttpServer server([](const FakeRequest& req) { return reply_with(req.target); });
    asio::io_context ioc;
    tcp::socket first = connect_to(ioc, server.port());
    CHECK(exchange(first, get("/a")).body() == "/a");
    CHECK(exchange(first, get("/b")).body() == "/b");
    tcp::socket second = connect_to(ioc, server.port());
    CHECK(exchange(second, get("/c")).body() == "/c");

    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].connection == 1);
    CHECK(requests[1].connection == 1);
    CHECK(requests[2].connection == 2);
    CHECK(server.connections_accepted() == 2);
}

TEST_CASE("keep_alive=false answers Connection: close and closes") {
    FakeHttpServer server([](const FakeRequest&) {
        FakeReply reply = reply_with("bye");
        reply.keep_alive = false;
        reply.headers.emplace_back("Content-Type", "text/plain");
        return reply;
    });
    asio::io_context ioc;
    tcp::socket socket = connect_to(ioc, server.port());
    const std::string raw = raw_reply(socket, "/");
    CHECK(raw.find("Connection: close\r\n") != std::string::npos);
    CHECK(raw.find("Content-Type: text/plain\r\n") != std::string::npos);
    CHECK(raw.find("application/json") == std::string::npos);
    CHECK(raw.substr(raw.size() - 3) == "bye");
}

TEST_CASE("a gzip reply decodes back to the body") {
    const std::string body = R"({"rows":[)" + std::string(5000, '1') + "]}";
    FakeHttpServer server([&body](const FakeRequest&) {
        FakeReply reply = reply_with(body);
        reply.gzip = true;
        return reply;
    });
    asio::io_context ioc;
    tcp::socket socket = connect_to(ioc, server.port());
    const Response res = exchange(socket, get("/"));
    CHECK(res[http::field::content_encoding] == "gzip");
    CHECK(res.body().size() < body.size());
    CHECK(gunzip(res.body()) == body);
}

TEST_CASE("close and truncate_body are faults the client can see") {
    FakeHttpServer server([](const FakeRequest& req) {
        return reply_action(
            req.target == "/close" ? FakeReply::Action::close : FakeReply::Action::truncate_body
        );
    });
    asio::io_context ioc;
    tcp::socket closing = connect_to(ioc, server.port());
    CHECK(raw_reply(closing, "/close").empty());

    tcp::socket truncating = connect_to(ioc, server.port());
    http::write(truncating, get("/truncate"));
    beast::flat_buffer buffer;
    Response res;
    beast::error_code ec;
    http::read(truncating, buffer, res, ec);
    CHECK(ec == http::error::partial_message);
}

TEST_CASE("a hanging request never gets an answer and the destructor still returns") {
    std::promise<void> arrived;
    auto server = std::make_unique<FakeHttpServer>([&arrived](const FakeRequest&) {
        arrived.set_value();
        return reply_action(FakeReply::Action::hang);
    });
    asio::io_context ioc;
    tcp::socket socket = connect_to(ioc, server->port());
    http::write(socket, get("/slow"));
    REQUIRE(arrived.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    const auto before = std::chrono::steady_clock::now();
    server.reset();  // must close the hanging connection rather than wait for it
    // Far below the destructor's 10 s backstop, which would mean the connection was not closed.
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(5));

    std::string received;
    beast::error_code ec;
    std::array<char, 64> chunk{};
    while (!ec) {
        received.append(chunk.data(), socket.read_some(asio::buffer(chunk), ec));
    }
    CHECK(received.empty());
}

TEST_CASE("TLS round trip verifies against the test CA and host name") {
    FakeServerOptions options;
    options.tls = true;
    FakeHttpServer server([](const FakeRequest&) { return reply_with("secure"); }, options);
    CHECK(server.url("/x").rfind("https://127.0.0.1:", 0) == 0);

    asio::io_context ioc;
    asio::ssl::context ctx = client_tls("127.0.0.1");
    SslStream stream(connect_to(ioc, server.port()), ctx);
    stream.handshake(asio::ssl::stream_base::client);
    CHECK(exchange(stream, get("/")).body() == "secure");
    CHECK(exchange(stream, get("/again")).body() == "secure");
    CHECK(server.connections_accepted() == 1);

    SECTION("the CA file holds the same CA") {
        asio::ssl::context from_file(asio::ssl::context::tls_client);
        from_file.load_verify_file(test_pki().ca_file);
        from_file.set_verify_mode(asio::ssl::verify_peer);
        from_file.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
        SslStream second(connect_to(ioc, server.port()), from_file);
        second.handshake(asio::ssl::stream_base::client);
        CHECK(exchange(second, get("/")).body() == "secure");
    }
}

TEST_CASE("a certificate for another host fails verification, then matches its own name") {
    FakeServerOptions options;
    options.tls = true;
    options.cert_host = "wrong.example";
    FakeHttpServer server([](const FakeRequest&) { return reply_with("never"); }, options);
    asio::io_context ioc;

    asio::ssl::context strict = client_tls("127.0.0.1");
    SslStream rejected(connect_to(ioc, server.port()), strict);
    beast::error_code ec;
    rejected.handshake(asio::ssl::stream_base::client, ec);
    CHECK(ec);

    asio::ssl::context named = client_tls("wrong.example");
    SslStream accepted(connect_to(ioc, server.port()), named);
    accepted.handshake(asio::ssl::stream_base::client);
    CHECK(exchange(accepted, get("/")).body() == "never");
    CHECK(server.requests().size() == 1);
}

TEST_CASE("the proxy tunnels CONNECT and records target and credentials") {
    FakeServerOptions options;
    options.tls = GENERATE(false, true);
    FakeHttpServer server([](const FakeRequest&) { return reply_with("through"); }, options);
    FakeConnectProxy proxy;
    CHECK(proxy.url() == "http://127.0.0.1:" + std::to_string(proxy.port()));
    const std::string target = "127.0.0.1:" + std::to_string(server.port());

    asio::io_context ioc;
    tcp::socket socket = connect_to(ioc, proxy.port());
    const std::string head = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target +
                             "\r\nProxy-Authorization: Basic dXNlcjpwdw==\r\n\r\n";
    asio::write(socket, asio::buffer(head));
    std::string established;
    asio::read_until(socket, asio::dynamic_buffer(established), "\r\n\r\n");
    CHECK(established == "HTTP/1.1 200 Connection established\r\n\r\n");

    if (options.tls) {
        asio::ssl::context ctx = client_tls("127.0.0.1");
        SslStream stream(std::move(socket), ctx);
        stream.handshake(asio::ssl::stream_base::client);
        CHECK(exchange(stream, get("/")).body() == "through");
    } else {
        CHECK(exchange(socket, get("/")).body() == "through");
    }
    CHECK(proxy.connect_targets() == std::vector<std::string>{target});
    CHECK(proxy.authorizations() == std::vector<std::string>{"Basic dXNlcjpwdw=="});
    CHECK(server.requests().size() == 1);
}

TEST_CASE("the proxy refuses anything but CONNECT") {
    FakeConnectProxy proxy;
    asio::io_context ioc;
    tcp::socket socket = connect_to(ioc, proxy.port());
    const std::string raw = raw_reply(socket, "http://127.0.0.1:1/");
    CHECK(raw.rfind("HTTP/1.1 405", 0) == 0);
    CHECK(proxy.connect_targets().empty());
}

}  // namespace fake_http_server_test
