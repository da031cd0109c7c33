#include "redis/redis_connection.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cerrno>
#include <deque>
#include <functional>
#include <optional>

#include "http/resolve.hpp"

namespace nra::redis {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

namespace {

struct ReaderFree {
    void operator()(redisReader* reader) const { redisReaderFree(reader); }
};
using Reader = std::unique_ptr<redisReader, ReaderFree>;

struct ReplyFree {
    void operator()(void* reply) const { freeReplyObject(reply); }
};

RedisReply copy_reply(const redisReply& in) {
    RedisReply out;
    switch (in.type) {
        case REDIS_REPLY_INTEGER:
            out.kind = RedisReply::Kind::integer;
            out.integer = in.integer;
            break;
        case REDIS_REPLY_STATUS:
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_ERROR:
            out.kind = in.type == REDIS_REPLY_STATUS   ? RedisReply::Kind::status
                       : in.type == REDIS_REPLY_STRING ? RedisReply::Kind::string
                                                       : RedisReply::Kind::error;
            out.text.assign(in.str, in.len);
            break;
        case REDIS_REPLY_ARRAY:
            out.kind = RedisReply::Kind::array;
            out.elements.reserve(in.elements);
            for (std::size_t i = 0; i < in.elements; ++i) {
                out.elements.push_back(copy_reply(*in.element[i]));
            }
            break;
        default:
            out.kind = RedisReply::Kind::nil;
    }
    return out;
}

Failure io_failure(const error_code& ec) {
    return ec == beast::error::timeout ? Failure::timeout : Failure::io;
}

std::string describe(const error_code& ec) {
    return ec == beast::error::timeout ? "timed out" : ec.message();
}

// One queued command: woken (granted) by the one before it, or by its own deadline.
struct Waiter {
    explicit Waiter(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    bool granted = false;
};

}  // namespace

RedisReply RedisReply::failure_of(Failure why, std::string detail) {
    RedisReply out;
    out.kind = Kind::failed;
    out.failure = why;
    out.text = std::move(detail);
    return out;
}

std::string format_command(const std::vector<std::string>& argv) {
    std::vector<const char*> pointers;
    std::vector<std::size_t> lengths;
    for (const auto& arg : argv) {
        pointers.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    char* raw = nullptr;
    const int n = redisFormatCommandArgv(
        &raw, static_cast<int>(argv.size()), pointers.data(), lengths.data()
    );
    if (n < 0 || raw == nullptr) throw std::bad_alloc();
    std::string out(raw, static_cast<std::size_t>(n));
    redisFreeCommand(raw);
    return out;
}

struct RedisConnection::Impl {
    explicit Impl(asio::any_io_executor ex) : executor(std::move(ex)) {}

    asio::any_io_executor executor;
    std::optional<beast::tcp_stream> stream;
    Reader reader;
    bool busy = false;
    std::deque<std::shared_ptr<Waiter>> waiters;

    void close() {
        if (stream) {
            error_code ignored;
            stream->socket().close(ignored);
        }
        stream.reset();
        reader.reset();
    }

    // A pooled connection whose peer has closed (Redis restarted, idle timeout) is dropped
    // before use, so a command is never written into a dead socket.
    bool usable() {
        if (!stream || !stream->socket().is_open()) return false;
        char probe = 0;
        const auto n = ::recv(stream->socket().native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n >= 0) return false;  // FIN (0) or bytes nobody asked for
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }

    asio::awaitable<bool> acquire(Deadline deadline);
    void release();
    asio::awaitable<RedisReply> open(const RedisEndpoint& endpoint, Deadline deadline);
    asio::awaitable<RedisReply> handshake(const RedisEndpoint& endpoint, Deadline deadline);
    asio::awaitable<RedisReply> exchange(std::string bytes, Deadline deadline, std::size_t max);
    asio::awaitable<RedisReply> read_reply(std::size_t max);
};

// Hands the connection over in call order; false when `deadline` passed first.
asio::awaitable<bool> RedisConnection::Impl::acquire(Deadline deadline) {
    if (!busy) {
        busy = true;
        co_return true;
    }
    auto waiter = std::make_shared<Waiter>(executor);
    waiter->timer.expires_at(deadline);
    waiters.push_back(waiter);
    error_code ec;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (waiter->granted) co_return true;
    waiters.erase(std::find(waiters.begin(), waiters.end(), waiter));
    co_return false;
}

void RedisConnection::Impl::release() {
    if (waiters.empty()) {
        busy = false;
        return;
    }
    auto next = waiters.front();
    waiters.pop_front();
    next->granted = true;
    next->timer.cancel();
}

asio::awaitable<RedisReply> RedisConnection::Impl::read_reply(std::size_t max) {
    std::array<char, 16384> buffer{};
    std::size_t total = 0;
    for (;;) {
        void* raw = nullptr;
        if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) {
            co_return RedisReply::failure_of(
                Failure::protocol, fmt::format("bad reply: {}", reader->errstr)
            );
        }
        if (raw != nullptr) {
            const std::unique_ptr<void, ReplyFree> owned(raw);
            co_return copy_reply(*static_cast<const redisReply*>(raw));
        }
        error_code ec;
        const std::size_t n = co_await stream->async_read_some(
            asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec)
        );
        if (ec) {
            co_return RedisReply::failure_of(io_failure(ec), fmt::format("read: {}", describe(ec)));
        }
        total += n;
        if (total > max) {
            co_return RedisReply::failure_of(
                Failure::protocol, fmt::format("reply larger than {} bytes", max)
            );
        }
        redisReaderFeed(reader.get(), buffer.data(), n);
    }
}

asio::awaitable<RedisReply> RedisConnection::Impl::exchange(
    std::string bytes, Deadline deadline, std::size_t max
) {
    stream->expires_at(deadline);
    error_code ec;
    co_await asio::async_write(
        *stream, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec)
    );
    if (ec) {
        co_return RedisReply::failure_of(io_failure(ec), fmt::format("write: {}", describe(ec)));
    }
    co_return co_await read_reply(max);
}

namespace {

std::vector<std::string> auth_command(const RedisEndpoint& endpoint) {
    if (endpoint.username.empty()) return {"AUTH", endpoint.password};
    return {"AUTH", endpoint.username, endpoint.password};
}

}  // namespace

// TCP connect, then AUTH and SELECT, all before `deadline`. Redis's refusal texts (WRONGPASS,
// NOAUTH, "DB index is out of range") never echo the password.
asio::awaitable<RedisReply> RedisConnection::Impl::open(
    const RedisEndpoint& endpoint, Deadline deadline
) {
    close();
    tcp::resolver::results_type addresses;
    auto ec = co_await http::resolve_within(
        endpoint.host, std::to_string(endpoint.port), deadline, addresses
    );
    if (ec) {
        co_return RedisReply::failure_of(
            ec == beast::error::timeout ? Failure::timeout : Failure::connect,
            fmt::format("resolve {}: {}", endpoint.host, describe(ec))
        );
    }
    stream.emplace(executor);
    stream->expires_at(deadline);
    co_await stream->async_connect(addresses, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        close();
        const Failure why = ec == beast::error::timeout ? Failure::timeout : Failure::connect;
        co_return RedisReply::failure_of(why, fmt::format("connect: {}", describe(ec)));
    }
    stream->socket().set_option(tcp::no_delay(true), ec);
    reader.reset(redisReaderCreate());
    if (!reader) throw std::bad_alloc();
    co_return co_await handshake(endpoint, deadline);
}

// AUTH and SELECT on a fresh connection; an error reply to either is a failure to connect.
asio::awaitable<RedisReply> RedisConnection::Impl::handshake(
    const RedisEndpoint& endpoint, Deadline deadline
) {
    std::vector<std::vector<std::string>> setup;
    if (!endpoint.password.empty()) setup.push_back(auth_command(endpoint));
    if (endpoint.db != 0) setup.push_back({"SELECT", std::to_string(endpoint.db)});
    for (const auto& argv : setup) {
        std::string bytes = format_command(argv);
        auto reply = co_await exchange(std::move(bytes), deadline, 4096);
        if (reply.is_error()) {
            const bool auth = argv.front() == "AUTH";
            reply = RedisReply::failure_of(
                auth ? Failure::auth : Failure::connect,
                fmt::format("{} refused: {}", auth ? "AUTH" : "SELECT", reply.text)
            );
        }
        if (reply.failed()) {
            close();
            co_return reply;
        }
    }
    co_return RedisReply{};
}

RedisConnection::RedisConnection(
    asio::any_io_executor executor, RedisEndpoint endpoint, RedisOptions options
)
    : endpoint_(std::move(endpoint)),
      options_(options),
      impl_(std::make_unique<Impl>(std::move(executor))) {}

RedisConnection::~RedisConnection() = default;

bool RedisConnection::connected() const {
    return impl_->stream.has_value();
}

namespace {

struct Holding {  // releases the connection to the next queued command, however we leave
    std::function<void()> release;
    ~Holding() { release(); }
};

}  // namespace

asio::awaitable<RedisReply> RedisConnection::command(std::vector<std::string> argv) {
    const auto start = Clock::now();
    const Deadline budget = start + options_.connect_timeout + options_.command_timeout;
    const bool got = co_await impl_->acquire(budget);
    if (!got) {
        co_return RedisReply::failure_of(
            Failure::timeout, "deadline passed waiting for earlier commands"
        );
    }
    Impl* impl = impl_.get();
    const Holding holding{[impl] { impl->release(); }};
    if (!impl->usable()) {
        const Deadline connect_by = std::min(Clock::now() + options_.connect_timeout, budget);
        auto opened = co_await impl->open(endpoint_, connect_by);
        if (opened.failed()) co_return opened;
        ++connects_;
    }
    std::string bytes = format_command(argv);
    const Deadline reply_by = std::min(Clock::now() + options_.command_timeout, budget);
    auto reply = co_await impl->exchange(std::move(bytes), reply_by, options_.max_reply_bytes);
    if (reply.failed()) impl->close();  // a late reply must not answer the next command
    co_return reply;
}

}  // namespace nra::redis
