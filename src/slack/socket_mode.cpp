#include "slack/socket_mode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <nlohmann/json.hpp>

#include "http/client.hpp"
#include "log/log.hpp"

namespace nra::slack {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Errors after which a new attempt cannot succeed until someone fixes the token or the app
// (node-slack-sdk's UnrecoverableSocketModeStartError list, plus a bot token in the wrong place).
bool unrecoverable(const std::string& code) {
    return code == "invalid_auth" || code == "not_authed" || code == "account_inactive" ||
           code == "user_removed_from_team" || code == "team_disabled" ||
           code == "not_allowed_token_type" || code == "token_revoked";
}

std::chrono::milliseconds retry_after(const http::Response& response) {
    const auto header = response.header("Retry-After");
    int seconds = 0;
    std::from_chars(header.data(), header.data() + header.size(), seconds);
    return std::chrono::seconds(std::clamp(seconds, 1, 300));
}

struct LogEnd {
    const char* what;
    void operator()(const std::exception_ptr& e) const {
        if (e) log::failure(what, e);
    }
};

}  // namespace

SocketModeClient::SocketModeClient(
    asio::any_io_executor executor,
    http::Client& client,
    SocketModeOptions options,
    Dispatch dispatch
)
    : executor_(std::move(executor)),
      client_(client),
      options_(std::move(options)),
      dispatch_(std::move(dispatch)),
      envelopes_(100'000, std::chrono::hours(2)) {}

SocketModeClient::~SocketModeClient() = default;

void SocketModeClient::start() {
    running_ = true;
    asio::co_spawn(executor_, run(), LogEnd{"Socket Mode"});
}

void SocketModeClient::wake() {
    for (auto* waiter : waiters_) waiter->cancel();
}

// Each waiter has its own timer: sharing one would let two waiters cancel each other forever.
asio::awaitable<void> SocketModeClient::wait_until(
    std::function<bool()> done, Clock::time_point deadline
) {
    asio::steady_timer timer(executor_);
    waiters_.insert(&timer);
    while (!done() && Clock::now() < deadline) {
        timer.expires_at(deadline);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    waiters_.erase(&timer);
}

asio::awaitable<void> SocketModeClient::run() {
    std::shared_ptr<SocketConnection> current;
    int failures = 0;
    while (!stopping_ && !fatal_) {
        auto next = co_await connect_one();
        if (!next) {
            if (stopping_ || fatal_) break;
            ++stats_.failures;
            const auto delay = std::min(
                options_.backoff_max, options_.backoff_base * (1 << std::min(failures++, 10))
            );
            log::warn("Socket Mode: connecting again in {} ms", delay.count());
            std::function<bool()> stopped = [this] { return stopping_; };
            co_await wait_until(std::move(stopped), Clock::now() + delay);
            continue;
        }
        failures = 0;
        if (current) {
            // The replacement is up: only now does the old connection close.
            log::info("Socket Mode: connection {} replaces {}", next->id(), current->id());
            co_await current->close();
        }
        current = next;
        co_await wait_until(
            [this, &current] { return stopping_ || current->replace_requested || current->ended; },
            Clock::time_point::max()
        );
    }
    if (fatal_) log::error("Socket Mode stopped: the app-level token was refused");
    running_ = false;
    wake();
}

asio::awaitable<std::shared_ptr<SocketConnection>> SocketModeClient::connect_one() {
    std::string url = co_await open_url();
    if (url.empty()) co_return nullptr;
    auto connection = std::make_shared<SocketConnection>(next_id_++, options_.timeouts);
    const std::string error = co_await connection->open(client_, std::move(url));
    if (!error.empty()) {
        log::warn("Socket Mode: {}", error);
        co_return nullptr;
    }
    open_.insert(connection);
    asio::co_spawn(executor_, read(connection), LogEnd{"Socket Mode reader"});
    const auto deadline = Clock::now() + options_.hello_timeout;
    std::function<bool()> greeted = [this, &connection] {
        return stopping_ || connection->hello || connection->ended;
    };
    co_await wait_until(std::move(greeted), deadline);
    if (!connection->hello || connection->ended) {
        log::warn("Socket Mode: connection {} said no hello", connection->id());
        co_await connection->close();
        co_return nullptr;
    }
    ++stats_.connections;
    co_return connection;
}

asio::awaitable<std::string> SocketModeClient::open_url() {
    http::Request request;
    request.upstream = "slack";
    request.url = options_.api_url + "/apps.connections.open";
    request.headers.push_back({"Authorization", "Bearer " + options_.app_token});
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.timeout = std::chrono::seconds(10);
    auto outcome = co_await client_.send(std::move(request));
    if (!outcome.ok()) {
        log::warn("Socket Mode: apps.connections.open failed: {}", outcome.detail);
        co_return std::string{};
    }
    if (outcome.response.status == 429) {
        const auto wait = retry_after(outcome.response);
        log::warn("Socket Mode: apps.connections.open rate limited for {} ms", wait.count());
        std::function<bool()> stopped = [this] { return stopping_; };
        co_await wait_until(std::move(stopped), Clock::now() + wait);
        co_return std::string{};
    }
    const auto json = nlohmann::json::parse(outcome.response.body, nullptr, false);
    const bool ok = json.is_object() && json.value("ok", false);
    std::string url = ok ? json.value("url", "") : std::string{};
    if (url.empty()) {
        const std::string code = json.is_object() ? json.value("error", "") : "";
        log::warn(
            "Socket Mode: apps.connections.open answered HTTP {} {}",
            outcome.response.status,
            code.empty() ? std::string("without a URL") : code
        );
        if (unrecoverable(code)) fatal_ = true;
        co_return std::string{};
    }
    if (options_.debug_reconnects) url += "&debug_reconnects=true";
    co_return url;
}

asio::awaitable<void> SocketModeClient::read(std::shared_ptr<SocketConnection> connection) {
    SocketConnection::Sink sink = [this](SocketConnection& c, std::string text) {
        return on_frame(c, text);
    };
    const std::string why = co_await connection->read_loop(std::move(sink));
    connection->ended = true;
    open_.erase(connection);
    if (connection->closing() || stopping_) {
        log::info("Socket Mode: connection {} closed", connection->id());
    } else {
        log::warn("Socket Mode: connection {} dropped: {}", connection->id(), why);
    }
    wake();
}

std::optional<std::string> SocketModeClient::on_frame(
    SocketConnection& connection, std::string_view text
) {
    auto frame = parse_socket_frame(text);
    if (auto* hello = std::get_if<Hello>(&frame)) {
        connection.hello = true;
        log::info(
            "Socket Mode: connection {} ready ({} open, refresh in about {} s)",
            connection.id(),
            hello->num_connections,
            hello->approximate_connection_time_s
        );
        wake();
        return std::nullopt;
    }
    if (auto* disconnect = std::get_if<Disconnect>(&frame)) {
        log::info(
            "Socket Mode: connection {} asked to reconnect ({})",
            connection.id(),
            disconnect->reason
        );
        connection.replace_requested = true;
        wake();
        return std::nullopt;
    }
    if (auto* malformed = std::get_if<Malformed>(&frame)) {
        ++stats_.malformed;
        log::warn("Socket Mode: ignored a frame: {}", malformed->why);
        return std::nullopt;
    }
    auto& envelope = std::get<Envelope>(frame);
    // Everything this envelope logs, and the job it queues, carries its id.
    const log::RequestScope scope(log::request_id_or_new(envelope.envelope_id));
    ++stats_.envelopes;
    if (!envelopes_.first_time(envelope.envelope_id, EventDedup::Clock::now())) {
        ++stats_.duplicates;
        log::info("Socket Mode: envelope redelivered ({}), acked again", envelope.retry_reason);
        return ack_frame(envelope.envelope_id, {});
    }
    std::string payload;
    try {
        payload = dispatch_(envelope);
    } catch (const std::exception& e) {
        log::error("Socket Mode: handling an envelope failed: {}", e.what());
    }
    if (!envelope.accepts_response_payload && envelope.type != "slash_commands") payload.clear();
    return ack_frame(envelope.envelope_id, payload);
}

asio::awaitable<void> SocketModeClient::stop() {
    stopping_ = true;
    wake();
    auto open = open_;
    for (const auto& connection : open) co_await connection->close();
    std::function<bool()> ended = [this] { return !running_; };
    co_await wait_until(std::move(ended), Clock::now() + std::chrono::seconds(15));
}

}  // namespace nra::slack
