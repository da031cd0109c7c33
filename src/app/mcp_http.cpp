#include "app/mcp_http.hpp"

#include <openssl/crypto.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "mcp_session.hpp"

namespace nra {
namespace {

http::ServerResponse plain(int status, std::string body) {
    http::ServerResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

bool bearer_ok(const http::ServerRequest& request, const std::string& token) {
    const std::string expected = "Bearer " + token;
    const auto given = request.header("Authorization");
    return !token.empty() && given.size() == expected.size() &&
           CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

// One message through a stateless session; the answer is the last message it wrote with an id
// (progress notifications have none and are not sent over plain JSON).
boost::asio::awaitable<http::ServerResponse> answer(const Ports* ports, std::string body) {
    auto sent = std::make_shared<std::vector<nlohmann::json>>();
    mcp::Session session(
        *ports, [sent](const nlohmann::json& m) { sent->push_back(m); }, "0.1.0", true
    );
    auto handling = session.handle(std::move(body));  // named: GCC 12
    co_await std::move(handling);
    for (auto it = sent->rbegin(); it != sent->rend(); ++it) {
        if (it->contains("id")) {
            co_return plain(
                200, it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
            );
        }
    }
    co_return plain(202, "");
}

}  // namespace

http::ServerResponse mcp_http(
    const Ports& ports, const std::string& token, const http::ServerRequest& request
) {
    if (!bearer_ok(request, token)) {
        auto r = plain(401, R"({"error":"a bearer token is required"})");
        r.headers.push_back({"WWW-Authenticate", "Bearer"});
        return r;
    }
    if (request.method != "POST") {
        auto r = plain(405, R"({"error":"POST JSON-RPC messages; no event stream is offered"})");
        r.headers.push_back({"Allow", "POST"});
        return r;
    }
    const auto message = nlohmann::json::parse(request.body, nullptr, false);
    const bool request_with_id =
        message.is_object() && message.contains("id") && message.contains("method");
    if (!message.is_discarded() && !request_with_id)
        return plain(202, "");  // notification or response
    http::ServerResponse r;
    r.authenticated = true;
    r.later = [ports = &ports, body = request.body] { return answer(ports, body); };
    return r;
}

}  // namespace nra
