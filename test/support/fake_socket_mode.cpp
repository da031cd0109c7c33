#include "support/fake_socket_mode.hpp"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "support/loopback_loop.hpp"
#include "support/test_pki.hpp"

namespace nra::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using detail::LogErrors;
using detail::LoopbackLoop;
using Json = nlohmann::json;
using WsStream = websocket::stream<asio::ssl::stream<tcp::socket>>;

namespace {

struct Session {
    int id = 0;
    WsStream* ws = nullptr;
    std::deque<std::pair<bool, std::string>> outbox;  // (text?, data)
    bool writing = false;
    bool retiring = false;  // got a disconnect frame: closes when a newer one says hello
    bool closed = false;
    bool muted = false;  // never read: its pings go unanswered
    bool closing = false;
};

struct PendingEnvelope {
    std::string type;
    Json payload;
    bool accepts = false;
    int attempt = 0;
    int delivered_on = 0;  // session id, 0 while waiting for a connection
};

}  // namespace

struct FakeSocketMode::Impl {
    asio::ssl::context ssl{asio::ssl::context::tls_server};
    // Server thread only.
    std::vector<std::shared_ptr<Session>> sessions;  // open, oldest first
    std::map<std::string, PendingEnvelope> unacked;
    int next_session = 1;
    // Shared with the test thread.
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::set<std::string> tickets;
    int next_ticket = 1;
    int next_envelope = 1;
    bool mute = false;
    std::vector<SocketAck> acks;
    std::vector<std::string> targets;
    std::size_t opened = 0;
    std::size_t open = 0;
    std::size_t max_open = 0;
    std::size_t refused = 0;
    std::size_t pending = 0;
    LoopbackLoop loop;  // last: stopped first

    Impl() {
        SSL_CTX_set_min_proto_version(ssl.native_handle(), TLS1_2_VERSION);
        const TestLeaf& leaf = test_pki().leaf("127.0.0.1");
        ssl.use_certificate_chain(asio::buffer(leaf.cert_pem));
        ssl.use_private_key(asio::buffer(leaf.key_pem), asio::ssl::context::pem);
    }

    template <class F>
    void update(F&& f) {
        {
            const std::lock_guard lock(mutex);
            f();
        }
        changed.notify_all();
    }

    std::shared_ptr<Session> newest() { return sessions.empty() ? nullptr : sessions.back(); }

    asio::awaitable<void> write_loop(std::shared_ptr<Session> s) {
        s->writing = true;
        while (!s->outbox.empty() && !s->closed) {
            auto [text, data] = std::move(s->outbox.front());
            s->outbox.pop_front();
            s->ws->text(text);
            error_code ec;
            co_await s->ws->async_write(
                asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec)
            );
            if (ec) break;
        }
        s->writing = false;
    }

    void write(const std::shared_ptr<Session>& s, std::string data, bool text = true) {
        if (!s || s->closed) return;
        s->outbox.emplace_back(text, std::move(data));
        if (!s->writing)
            asio::co_spawn(loop.context(), write_loop(s), LogErrors{"fake socket write"});
    }

    void deliver(const std::string& id, PendingEnvelope& envelope) {
        auto s = newest();
        if (!s) {
            envelope.delivered_on = 0;
            return;
        }
        envelope.delivered_on = s->id;
        Json frame{
            {"envelope_id", id},
            {"type", envelope.type},
            {"payload", envelope.payload},
            {"accepts_response_payload", envelope.accepts}};
        if (envelope.attempt > 0) {
            frame["retry_attempt"] = envelope.attempt;
            frame["retry_reason"] = "connection_lost";
        }
        write(s, frame.dump());
    }

    void on_hello_sent(const std::shared_ptr<Session>& s) {
        for (auto& other : sessions) {
            if (other != s && other->retiring && !other->closed) close(other);
        }
        for (auto& [id, envelope] : unacked) {
            if (envelope.delivered_on == 0) deliver(id, envelope);
        }
    }

    void close(const std::shared_ptr<Session>& s) {
        asio::co_spawn(loop.context(), close_session(s), LogErrors{"fake socket close"});
    }

    static asio::awaitable<void> close_session(std::shared_ptr<Session> s) {
        if (s->closed || s->closing) co_return;
        s->closing = true;
        error_code ec;
        const websocket::close_reason reason(websocket::close_code::normal);
        co_await s->ws->async_close(reason, asio::redirect_error(asio::use_awaitable, ec));
    }

    void on_session_end(const std::shared_ptr<Session>& s) {
        s->closed = true;
        std::erase(sessions, s);
        update([&] { open = sessions.size(); });
        for (auto& [id, envelope] : unacked) {
            if (envelope.delivered_on != s->id) continue;
            ++envelope.attempt;  // Slack redelivers what was not acknowledged
            deliver(id, envelope);
        }
    }

    void on_ack(const std::shared_ptr<Session>& s, const std::string& text) {
        const Json ack = Json::parse(text, nullptr, false);
        if (!ack.is_object() || !ack.contains("envelope_id")) return;
        const std::string id = ack.value("envelope_id", "");
        unacked.erase(id);
        update([&] {
            acks.push_back({id, ack.value("payload", Json()), s->id});
            pending = unacked.size();
        });
    }

    asio::awaitable<void> serve(asio::ssl::stream<tcp::socket> stream);
    asio::awaitable<void> accept_loop();
};

asio::awaitable<void> FakeSocketMode::Impl::serve(asio::ssl::stream<tcp::socket> stream) {
    const LoopbackLoop::Registration registration(loop, stream.next_layer());
    error_code ec;
    co_await stream.async_handshake(
        asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec)
    );
    if (ec) co_return;
    beast::flat_buffer buffer;
    beast::http::request<beast::http::string_body> request;
    co_await beast::http::async_read(
        stream, buffer, request, asio::redirect_error(asio::use_awaitable, ec)
    );
    if (ec) co_return;
    const std::string target(request.target());
    const auto at = target.find("ticket=");
    const std::string ticket =
        at == std::string::npos ? "" : target.substr(at + 7, target.find('&', at) - at - 7);
    bool valid = false;
    bool muted = false;
    update([&] {
        valid = tickets.erase(ticket) == 1;
        muted = mute;
        if (!valid) ++refused;
    });
    WsStream ws(std::move(stream));
    if (!valid || !websocket::is_upgrade(request)) {
        beast::http::response<beast::http::string_body> refuse{beast::http::status::forbidden, 11};
        refuse.body() = "invalid ticket";
        refuse.prepare_payload();
        co_await beast::http::async_write(
            ws.next_layer(), refuse, asio::redirect_error(asio::use_awaitable, ec)
        );
        co_return;
    }
    co_await ws.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    auto s = std::make_shared<Session>();
    s->id = next_session++;
    s->ws = &ws;
    s->muted = muted;
    sessions.push_back(s);
    update([&] {
        ++opened;
        open = sessions.size();
        max_open = std::max(max_open, open);
        targets.push_back(target);
    });
    const Json hello{
        {"type", "hello"},
        {"num_connections", sessions.size()},
        {"debug_info", {{"host", "fake"}, {"approximate_connection_time", 360}}}};
    write(s, hello.dump());
    on_hello_sent(s);
    while (!muted) {
        buffer.clear();
        co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        on_ack(s, beast::buffers_to_string(buffer.data()));
    }
    // Muted: no read (a pending read would answer pings) until the fake stops.
    while (muted && !loop.stopping()) {
        asio::steady_timer pause(loop.context(), std::chrono::milliseconds(20));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    on_session_end(s);
    while (s->writing) {  // let the writer finish with the stream before it goes away
        asio::steady_timer pause(loop.context(), std::chrono::milliseconds(1));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> FakeSocketMode::Impl::accept_loop() {
    for (;;) {
        error_code ec;
        tcp::socket socket =
            co_await loop.acceptor().async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (loop.stopping() || ec == asio::error::operation_aborted) co_return;
        if (ec) continue;
        loop.count_accept();
        asio::ssl::stream<tcp::socket> stream(std::move(socket), ssl);
        asio::co_spawn(loop.context(), serve(std::move(stream)), LogErrors{"fake socket serve"});
    }
}

FakeSocketMode::FakeSocketMode() : impl_(std::make_unique<Impl>()) {
    impl_->loop.start(impl_->accept_loop());
}

FakeSocketMode::~FakeSocketMode() {
    impl_->loop.stop();
}

std::string FakeSocketMode::new_url() {
    const std::lock_guard lock(impl_->mutex);
    const std::string ticket = "tk" + std::to_string(impl_->next_ticket++);
    impl_->tickets.insert(ticket);
    return "wss://127.0.0.1:" + std::to_string(impl_->loop.port()) + "/link/?ticket=" + ticket +
           "&app_id=A0FAKE";
}

std::string FakeSocketMode::send(const std::string& type, Json payload, bool accepts) {
    std::string id;
    {
        const std::lock_guard lock(impl_->mutex);
        id = "env-" + std::to_string(impl_->next_envelope++);
        ++impl_->pending;
    }
    asio::post(impl_->loop.context(), [impl = impl_.get(), id, type, payload, accepts] {
        auto& envelope = impl->unacked[id];
        envelope = PendingEnvelope{type, payload, accepts, 0, 0};
        impl->deliver(id, envelope);
    });
    return id;
}

void FakeSocketMode::send_raw(const std::string& text) {
    asio::post(impl_->loop.context(), [impl = impl_.get(), text] {
        impl->write(impl->newest(), text);
    });
}

void FakeSocketMode::send_binary(const std::string& data) {
    asio::post(impl_->loop.context(), [impl = impl_.get(), data] {
        impl->write(impl->newest(), data, false);
    });
}

void FakeSocketMode::disconnect(const std::string& reason) {
    asio::post(impl_->loop.context(), [impl = impl_.get(), reason] {
        auto s = impl->newest();
        if (!s) return;
        s->retiring = true;
        impl->write(s, Json{{"type", "disconnect"}, {"reason", reason}}.dump());
    });
}

void FakeSocketMode::drop() {
    asio::post(impl_->loop.context(), [impl = impl_.get()] {
        if (auto s = impl->newest()) {
            error_code ec;
            beast::get_lowest_layer(*s->ws).close(ec);
        }
    });
}

void FakeSocketMode::drop_mid_frame() {
    asio::post(impl_->loop.context(), [impl = impl_.get()] {
        auto s = impl->newest();
        if (!s || s->writing) return;
        s->writing = true;  // nothing else may write on it any more
        error_code ec;
        s->ws->text(true);
        const std::string half = R"({"envelope_id":"half","type":"events_api","payl)";
        s->ws->write_some(false, asio::buffer(half), ec);
        beast::get_lowest_layer(*s->ws).close(ec);
        s->writing = false;
    });
}

void FakeSocketMode::mute_new_connections(bool mute) {
    impl_->update([&] { impl_->mute = mute; });
}

std::vector<SocketAck> FakeSocketMode::acks() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->acks;
}

std::size_t FakeSocketMode::connections_opened() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->opened;
}

std::size_t FakeSocketMode::open_connections() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->open;
}

std::size_t FakeSocketMode::max_open_connections() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->max_open;
}

std::size_t FakeSocketMode::refused_handshakes() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->refused;
}

std::vector<std::string> FakeSocketMode::targets() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->targets;
}

std::size_t FakeSocketMode::pending() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->pending;
}

bool FakeSocketMode::wait_for_acks(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return impl_->acks.size() >= n; });
}

bool FakeSocketMode::wait_for_connections(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return impl_->opened >= n; });
}

bool FakeSocketMode::wait_for_open(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return impl_->open == n; });
}

}  // namespace nra::test
