// Connection-limit benchmark: a real `nr-analyzer serve` child process is filled with
// idle keep-alive connections, each of which asked GET /healthz once and went quiet (the attack:
// before, every new client was then closed without a byte for 60 s). New clients then ask, half
// with signed Slack commands and half with plain GET /healthz, while the attacker opens one more
// idle connection before each of them to keep the server at its limit. Prints how many were
// answered and how long it took, against the same clients on an empty server, and the server's
// own counts from /metrics.
// Usage: nra_bench_connections [--idle N] [--probes N] [--binary PATH]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/server_process.hpp"
#include "slack/signature.hpp"
#include "support/raw_http.hpp"

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
constexpr const char* kSecret = "bench-signing-secret";

struct Options {
    std::size_t idle = 1024;  // the server's default limit
    std::size_t probes = 400;
    std::string binary = NRA_CLI_PATH;
};

struct Asked {
    std::vector<double> ms;  // connect to last byte of the answer, answered ones only
    std::size_t answered = 0;
    std::size_t asked = 0;
};

struct Probes {
    Asked signed_commands;
    Asked health_checks;
    bool all_answered() const {
        return signed_commands.answered == signed_commands.asked &&
               health_checks.answered == health_checks.asked;
    }
};

std::string signed_command() {
    const std::string body =
        "command=%2Ftrace&text=not-a-trace-id&team_id=T1&api_app_id=A1&channel_id=C1"
        "&user_id=U1&response_url=x";
    const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch()
    )
                                       .count());
    return fmt::format(
        "POST /slack/events HTTP/1.1\r\nHost: bench\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: {}\r\n"
        "X-Slack-Signature: {}\r\nContent-Length: {}\r\n\r\n{}",
        ts,
        nra::slack::sign(kSecret, ts, body),
        body.size(),
        body
    );
}

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n";

// A new connection that sends `request` and reads the answer: its status, 0 when closed first.
asio::awaitable<int> ask(tcp::socket& socket, unsigned short port, std::string request) {
    error_code ec;
    co_await socket.async_connect(
        {asio::ip::make_address("127.0.0.1"), port}, asio::redirect_error(asio::use_awaitable, ec)
    );
    if (ec) co_return 0;
    const int status = co_await nra::test::raw_exchange_status(socket, request);
    co_return status;
}

// `count` new clients, signed commands and health checks in turn; with `attacker`, one more idle
// connection is opened (and kept) before each.
asio::awaitable<Probes> probe(
    unsigned short port, std::size_t count, std::vector<tcp::socket>* attacker
) {
    const auto executor = co_await asio::this_coro::executor;
    Probes out;
    for (std::size_t i = 0; i < count; ++i) {
        if (attacker != nullptr) {
            attacker->emplace_back(executor);
            co_await ask(attacker->back(), port, kHealth);
        }
        tcp::socket client(executor);
        const bool slack = i % 2 == 0;
        const std::string request = slack ? signed_command() : kHealth;
        const auto start = Clock::now();
        const int status = co_await ask(client, port, request);
        Asked& kind = slack ? out.signed_commands : out.health_checks;
        ++kind.asked;
        if (status != 200) continue;
        ++kind.answered;
        kind.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    co_return out;
}

// Opens `count` idle keep-alive connections, each after one GET /healthz; returns how many were
// answered.
asio::awaitable<std::size_t> fill(
    unsigned short port, std::size_t count, std::vector<tcp::socket>* idle
) {
    const auto executor = co_await asio::this_coro::executor;
    std::size_t answered = 0;
    for (std::size_t i = 0; i < count; ++i) {
        idle->emplace_back(executor);
        answered += co_await ask(idle->back(), port, kHealth) == 200 ? 1 : 0;
    }
    co_return answered;
}

// How many of `sockets` the server has closed (a read that does not block finds EOF).
std::size_t closed_by_server(std::vector<tcp::socket>& sockets) {
    std::size_t closed = 0;
    for (auto& socket : sockets) {
        socket.non_blocking(true);
        char byte = 0;
        error_code ec;
        socket.read_some(asio::buffer(&byte, 1), ec);
        closed += ec && ec != asio::error::would_block ? 1 : 0;
    }
    return closed;
}

template <class T>
T run(asio::io_context& ioc, asio::awaitable<T> work) {
    T out{};
    asio::co_spawn(ioc, std::move(work), [&out](const std::exception_ptr& e, T value) {
        if (e) std::rethrow_exception(e);
        out = std::move(value);
    });
    ioc.restart();
    ioc.run();
    return out;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

std::string figures(const Asked& a) {
    return fmt::format(
        "{} of {} answered, p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms",
        a.answered,
        a.asked,
        percentile(a.ms, 0.5),
        percentile(a.ms, 0.99),
        percentile(a.ms, 1.0)
    );
}

void print(const char* what, const Probes& p) {
    fmt::print(
        "  {}\n    signed /trace: {}\n    GET /healthz:  {}\n",
        what,
        figures(p.signed_commands),
        figures(p.health_checks)
    );
}

// The value of an unlabelled series in /metrics' text ("-" when absent).
std::string sample(const std::string& text, const std::string& name) {
    const auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return "-";
    const auto from = at + name.size() + 2;
    return text.substr(from, text.find('\n', from) - from);
}

std::string metrics_text(asio::io_context& ioc, unsigned short port) {
    tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
    asio::write(socket, asio::buffer(request));
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    error_code ec;
    bhttp::read(socket, buffer, response, ec);
    return "\n" + response.body();
}

std::size_t count_lines(const std::string& path, const std::string& needle) {
    std::ifstream in(path);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
    return n;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--idle") == 0) o.idle = std::stoul(argv[++i]);
        if (std::strcmp(argv[i], "--probes") == 0) o.probes = std::stoul(argv[++i]);
        if (std::strcmp(argv[i], "--binary") == 0) o.binary = argv[++i];
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;  // the child inherits it: room for every connection
    setrlimit(RLIMIT_NOFILE, &files);
    const std::string log_file = "/tmp/nra_bench_connections.log";
    nra::test::ServerProcess bot(
        {{"PORT", "0"},
         {"SLACK_SIGNING_SECRET", kSecret},
         {"SLACK_BOT_TOKEN", "xoxb-bench"},
         {"SLACK_API_URL", "http://127.0.0.1:9/api"},
         {"NR_ANALYZER_LOG_LEVEL", "info"}},
        log_file,
        options.binary
    );
    asio::io_context ioc;
    const auto port = bot.port();
    const Probes empty = run(ioc, probe(port, options.probes, nullptr));
    std::vector<tcp::socket> idle;
    const auto start = Clock::now();
    const std::size_t filled = run(ioc, fill(port, options.idle, &idle));
    const double fill_s = std::chrono::duration<double>(Clock::now() - start).count();
    const Probes crowded = run(ioc, probe(port, options.probes, &idle));
    const double total_s = std::chrono::duration<double>(Clock::now() - start).count();
    fmt::print(
        "connection limit: {} idle keep-alive connections against `serve` ({})\n",
        options.idle,
        options.binary
    );
    print("empty server:", empty);
    fmt::print(
        "  filled: {} of {} idle connections answered in {:.2f} s\n", filled, options.idle, fill_s
    );
    print("at the limit (the attacker adds one idle connection before each new client):", crowded);
    const std::size_t closed = closed_by_server(idle);
    const std::string metrics = metrics_text(ioc, port);
    fmt::print(
        "  after {:.2f} s: the server had closed {} of the attacker's {} connections; /metrics: "
        "shed {}, refused {}; log lines about the limit: {}\n",
        total_s,
        closed,
        idle.size(),
        sample(metrics, "nra_connections_shed_total"),
        sample(metrics, "nra_connections_refused_total"),
        count_lines(log_file, "(the limit)")
    );
    idle.clear();
    bot.terminate();
    return crowded.all_answered() ? 0 : 1;
}
