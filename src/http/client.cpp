#include "http/client.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/connection.hpp"
#include "http/gzip.hpp"
#include "http/text.hpp"
#include "obs/metrics.hpp"

namespace nra::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using detail::BeastRequest;
using detail::BeastResponse;
using detail::Connection;
using Clock = std::chrono::steady_clock;

namespace {

std::string lower_trimmed(std::string_view s) {
    return detail::to_lower(detail::trim(s));
}

// Idle keep-alive connections per (scheme, host, port, proxy). LIFO: the most recently used
// connection is the least likely to have been closed by the server meanwhile. A connection is
// either here or owned by exactly one send(), so coroutines never share one.
class Pool {
public:
    std::unique_ptr<Connection> take(
        const std::string& key, Clock::time_point now, Clock::duration idle_timeout
    ) {
        drop_expired(now, idle_timeout);
        const auto it = idle_.find(key);
        if (it == idle_.end()) return nullptr;
        auto connection = std::move(it->second.back());
        it->second.pop_back();
        if (it->second.empty()) idle_.erase(it);
        return connection;
    }

    void put(const std::string& key, std::unique_ptr<Connection> connection, std::size_t max) {
        if (max == 0) return;
        auto& stack = idle_[key];
        if (stack.size() >= max) stack.erase(stack.begin());  // keep the freshest
        stack.push_back(std::move(connection));
    }

private:
    void drop_expired(Clock::time_point now, Clock::duration idle_timeout) {
        for (auto it = idle_.begin(); it != idle_.end();) {
            std::erase_if(it->second, [&](const std::unique_ptr<Connection>& c) {
                return now - c->idle_since >= idle_timeout;
            });
            it = it->second.empty() ? idle_.erase(it) : std::next(it);
        }
    }

    std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
};

asio::ssl::context make_tls_context(const ClientOptions& options) {
    asio::ssl::context context(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    context.set_default_verify_paths();
    if (!options.ca_file.empty()) context.load_verify_file(options.ca_file);
    if (!options.ca_pem.empty()) {
        context.add_certificate_authority(asio::buffer(options.ca_pem));
    }
    context.set_verify_mode(asio::ssl::verify_peer);
    return context;
}

bool has_control_chars(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        return c == '\r' || c == '\n' || c == '\0';
    });
}

BeastRequest build_request(
    const detail::Endpoint& endpoint, const Request& request, const std::string& user_agent
) {
    BeastRequest message;
    const auto verb = bhttp::string_to_verb(request.method);
    if (verb == bhttp::verb::unknown) {
        message.method_string(request.method);
    } else {
        message.method(verb);
    }
    message.target(endpoint.target);
    message.version(11);
    message.set(bhttp::field::host, endpoint.host_header);
    message.set(bhttp::field::user_agent, user_agent);
    message.set(bhttp::field::accept_encoding, "gzip");
    bool has_content_type = false;
    for (const auto& header : request.headers) {
        // A CR/LF would let a value smuggle headers; this is a caller bug, not a network issue.
        if (has_control_chars(header.name) || has_control_chars(header.value)) {
            throw std::invalid_argument("control character in HTTP header " + header.name);
        }
        const std::string name = lower_trimmed(header.name);
        has_content_type = has_content_type || name == "content-type";
        if (name == "host" || name == "user-agent" || name == "accept-encoding") {
            message.set(header.name, header.value);
        } else {
            message.insert(header.name, header.value);
        }
    }
    if (!request.body.empty() && !has_content_type) {
        message.set(bhttp::field::content_type, "application/json");
    }
    message.body() = request.body;
    message.prepare_payload();
    return message;
}

std::string pool_key(const detail::Endpoint& endpoint, const std::optional<ProxyTarget>& proxy) {
    std::string key = endpoint.scheme + "://" + endpoint.host + ":" + endpoint.port;
    if (proxy) key += " via " + proxy->host + ":" + proxy->port + " " + proxy->authorization;
    return key;
}

// "ok", "rate_limited", "client_error", "server_error", or why no answer came ("timeout", …).
std::string outcome_label(const Outcome& outcome) {
    if (outcome.failure != Failure::none) return std::string(to_string(outcome.failure));
    const int status = outcome.response.status;
    if (status == 429) return "rate_limited";
    if (status >= 500) return "server_error";
    if (status >= 400) return "client_error";
    return "ok";
}

Outcome failed(Failure failure, std::string detail) {
    Outcome outcome;
    outcome.failure = failure;
    outcome.detail = std::move(detail);
    return outcome;
}

Outcome to_outcome(BeastResponse message, std::size_t max_bytes, const std::string& label) {
    Outcome outcome;
    outcome.response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
        outcome.response.headers.push_back(
            {std::string(field.name_string()), std::string(field.value())}
        );
    }
    const std::string encoding = lower_trimmed(outcome.response.header("Content-Encoding"));
    if (encoding.empty() || encoding == "identity" || message.body().empty()) {
        outcome.response.body = std::move(message.body());
    } else if (encoding == "gzip" || encoding == "x-gzip") {
        switch (detail::gunzip(message.body(), max_bytes, outcome.response.body)) {
            case detail::GunzipStatus::ok:
                break;
            case detail::GunzipStatus::too_large:
                return failed(Failure::too_large, label + ": gzip body over the size limit");
            case detail::GunzipStatus::corrupt:
                return failed(Failure::protocol, label + ": corrupt gzip body");
        }
    } else {
        return failed(Failure::protocol, label + ": unsupported Content-Encoding " + encoding);
    }
    return outcome;
}

}  // namespace

bool idempotent(const std::string& method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

struct Client::Impl {
    Impl(asio::any_io_executor executor_in, ClientOptions options_in)
        : executor(std::move(executor_in)),
          options(std::move(options_in)),
          tls(make_tls_context(options)) {}

    asio::any_io_executor executor;
    ClientOptions options;
    asio::ssl::context tls;
    ClientStats stats;
    Pool pool;
};

Client::Client(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(options))) {}

Client::~Client() = default;

ClientStats Client::stats() const {
    return impl_->stats;
}

asio::awaitable<detail::Opened> Client::open(std::string url, Clock::time_point deadline) {
    Impl& impl = *impl_;
    const auto endpoint = detail::parse_endpoint(url);
    if (!endpoint) {
        detail::Opened out;
        out.error = detail::StepError{Failure::bad_url, "not an absolute http(s) URL"};
        co_return out;
    }
    const auto proxy = impl.options.proxy.select(endpoint->scheme, endpoint->host, endpoint->port);
    auto opened =
        co_await detail::open_connection(impl.executor, impl.tls, *endpoint, proxy, deadline);
    if (opened.tcp_connected) ++impl.stats.connections_opened;
    co_return opened;
}

asio::awaitable<Outcome> Client::send(Request request) {
    const std::string upstream = request.upstream.empty() ? "other" : request.upstream;
    const auto start = Clock::now();
    auto outcome = co_await attempt(std::move(request));
    const std::chrono::duration<double> took = Clock::now() - start;
    auto& metrics = obs::registry();
    metrics.count(
        "nra_upstream_requests_total",
        "Requests to New Relic, Slack, Jira and others, by outcome",
        {{"upstream", upstream}, {"outcome", outcome_label(outcome)}}
    );
    metrics.observe(
        "nra_upstream_request_seconds",
        "Time of one request to another service, connect to last byte",
        {{"upstream", upstream}},
        took.count(),
        obs::call_buckets()
    );
    co_return outcome;
}

asio::awaitable<Outcome> Client::attempt(Request request) {
    Impl& impl = *impl_;
    ++impl.stats.requests;
    const auto endpoint = detail::parse_endpoint(request.url);
    if (!endpoint) co_return failed(Failure::bad_url, "not an absolute http(s) URL");
    const auto deadline = Clock::now() + request.timeout;
    const auto proxy = impl.options.proxy.select(endpoint->scheme, endpoint->host, endpoint->port);
    const std::string key = pool_key(*endpoint, proxy);
    const BeastRequest message = build_request(*endpoint, request, impl.options.user_agent);
    auto connection = impl.pool.take(key, Clock::now(), impl.options.idle_timeout);
    while (connection && connection->peer_gone()) {
        connection = impl.pool.take(key, Clock::now(), impl.options.idle_timeout);
    }
    bool reused = connection != nullptr;
    if (reused) ++impl.stats.connections_reused;
    for (;;) {
        if (!connection) {
            auto opened = co_await detail::open_connection(
                impl.executor, impl.tls, *endpoint, proxy, deadline
            );
            if (opened.tcp_connected) ++impl.stats.connections_opened;
            if (opened.error) co_return failed(opened.error.failure, opened.error.detail);
            connection = std::move(opened.connection);
        }
        connection->tcp().expires_at(deadline);
        auto exchanged = co_await detail::exchange(
            *connection, message, impl.options.max_response_bytes, endpoint->label()
        );
        // A reused connection died without a byte of answer: most likely the server closed it
        // while idle, but it may also have acted on the request and then vanished. Only
        // idempotent requests are sent again here; a POST (a ticket, a message) could be done
        // twice, so its caller decides (e.g. Jira searches before creating again).
        if (exchanged.error && reused && !exchanged.got_response_bytes &&
            exchanged.error.failure == Failure::connect && idempotent(request.method)) {
            connection.reset();
            reused = false;
            continue;
        }
        if (exchanged.error) {
            auto outcome = failed(exchanged.error.failure, exchanged.error.detail);
            outcome.sent = exchanged.written;
            co_return outcome;
        }
        if (exchanged.keep_alive) {
            connection->tcp().expires_never();
            connection->idle_since = Clock::now();
            impl.pool.put(key, std::move(connection), impl.options.max_idle_per_host);
        }
        auto outcome = to_outcome(
            std::move(exchanged.response), impl.options.max_response_bytes, endpoint->label()
        );
        outcome.sent = true;
        co_return outcome;
    }
}

}  // namespace nra::http
