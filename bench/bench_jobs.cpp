// Full-job benchmark: N signed `/trace` commands (demo traces, one channel each) into a real
// `nr-analyzer serve` child process, whose Slack Web API is a local sink in this process. Measures
// the ack latencies, the time until every summary and detail was posted, and the server's peak RSS.
// Usage: nra_bench_jobs [--jobs N] [--concurrency C]
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "demo/demo_data.hpp"
#include "e2e/server_process.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "slack/signature.hpp"

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr const char* kSecret = "bench-signing-secret";

// The Slack Web API sink: answers like chat.postMessage and counts posts.
struct Sink {
    std::mutex mutex;
    std::condition_variable posted;
    std::size_t posts = 0;
    std::size_t next_ts = 1;

    nra::http::ServerResponse handle(const nra::http::ServerRequest& request) {
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        nra::http::ServerResponse r;
        const std::lock_guard lock(mutex);
        r.body =
            nlohmann::json{
                {"ok", true},
                {"channel", body.is_object() ? body.value("channel", "") : ""},
                {"ts", fmt::format("1700000000.{:06d}", next_ts++)}}
                .dump();
        ++posts;
        posted.notify_all();
        return r;
    }
};

struct Shared {
    nra::http::Client* client = nullptr;
    std::string url;
    std::vector<std::string> ids;
    std::size_t next = 0;
    std::size_t total = 0;
    std::vector<double> ack_ms;
};

asio::awaitable<void> sender(Shared* shared) {
    nra::http::Client& client = *shared->client;  // one client: loading CA roots costs ~30 ms
    while (shared->next < shared->total) {
        const auto i = shared->next++;
        const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch()
        )
                                           .count());
        nra::http::Request req;
        req.url = shared->url;
        req.body = fmt::format(
            "command=%2Ftrace&text={}&team_id=T1&api_app_id=A1&channel_id=C{:05d}"
            "&user_id=U1&response_url=x",
            shared->ids[i % shared->ids.size()],
            i
        );
        req.headers = {
            {"Content-Type", "application/x-www-form-urlencoded"},
            {"X-Slack-Request-Timestamp", ts},
            {"X-Slack-Signature", nra::slack::sign(kSecret, ts, req.body)}};
        const auto start = Clock::now();
        auto out = co_await client.send(std::move(req));
        shared->ack_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count()
        );
        if (!out.ok() || out.response.status != 200) {
            fmt::print(
                stderr,
                "ack failed: {} {}\n",
                nra::http::to_string(out.failure),
                out.response.status
            );
        }
    }
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

long peak_rss_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    long value = 0;
    while (status >> key) {
        if (key == "VmHWM:") {
            status >> value;
            return value;
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t jobs = 400;
    std::size_t concurrency = 16;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--jobs") == 0)
            jobs = std::stoul(argv[++i]);
        else if (std::strcmp(argv[i], "--concurrency") == 0)
            concurrency = std::stoul(argv[++i]);
    }
    Sink sink;
    asio::io_context sink_ioc;
    nra::http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    nra::http::HttpServer server(
        sink_ioc.get_executor(),
        options,
        [&sink](const nra::http::ServerRequest& r) { return sink.handle(r); }
    );
    const auto sink_port = server.start();
    std::thread sink_thread([&sink_ioc] { sink_ioc.run(); });

    nra::test::ServerProcess bot(
        {{"PORT", "0"},
         {"SLACK_SIGNING_SECRET", kSecret},
         {"SLACK_BOT_TOKEN", "xoxb-bench"},
         {"SLACK_API_URL", fmt::format("http://127.0.0.1:{}/api", sink_port)},
         {"NR_ANALYZER_QUEUE", "10000"},
         {"NR_ANALYZER_LOG_LEVEL", "error"}}
    );
    Shared shared;
    shared.url = bot.url("/slack/events");
    shared.total = jobs;
    for (const auto& d : nra::demo_traces()) shared.ids.emplace_back(d.trace_id);

    asio::io_context ioc;
    nra::http::Client client(ioc.get_executor(), nra::http::ClientOptions{});
    shared.client = &client;
    const auto start = Clock::now();
    for (std::size_t c = 0; c < concurrency; ++c) {
        asio::co_spawn(ioc, sender(&shared), [](const std::exception_ptr& e) {
            if (e) fmt::print(stderr, "a sender failed\n");
        });
    }
    ioc.run();
    const auto acked = Clock::now();
    {
        std::unique_lock lock(sink.mutex);
        sink.posted.wait_for(lock, std::chrono::seconds(300), [&] {
            return sink.posts >= 2 * jobs;
        });
    }
    const auto done = Clock::now();
    const auto rss = peak_rss_kb(bot.pid());
    const double all_s = std::chrono::duration<double>(done - start).count();
    fmt::print(
        "full /trace jobs: {} commands, {} senders, demo traces, local Slack sink\n",
        jobs,
        concurrency
    );
    fmt::print(
        "acks: p50 {:.2f} ms, p90 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms; all acked in {:.2f} s\n",
        percentile(shared.ack_ms, 0.5),
        percentile(shared.ack_ms, 0.9),
        percentile(shared.ack_ms, 0.99),
        percentile(shared.ack_ms, 1.0),
        std::chrono::duration<double>(acked - start).count()
    );
    fmt::print(
        "posts: {} of {} in {:.2f} s → {:.0f} jobs/s; server peak RSS {:.1f} MB\n",
        sink.posts,
        2 * jobs,
        all_s,
        static_cast<double>(jobs) / all_s,
        static_cast<double>(rss) / 1024.0
    );
    bot.terminate();
    server.stop();
    sink_ioc.stop();
    sink_thread.join();
    return sink.posts >= 2 * jobs ? 0 : 1;
}
