// Shared set-up of the Socket Mode adapter tests: a fake apps.connections.open (FakeHttpServer,
// TLS), the fake Socket Mode server, and a SocketModeClient on an io_context running on its own
// thread, whose dispatcher records every envelope it is given.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "http/client.hpp"
#include "slack/socket_mode.hpp"
#include "support/fake_http_server.hpp"
#include "support/fake_socket_mode.hpp"
#include "support/log_capture.hpp"
#include "support/test_pki.hpp"

namespace nra::test::socket_mode {

using std::chrono::milliseconds;
inline constexpr const char* kAppToken = "xapp-1-test-app-token-secret-42";
inline constexpr milliseconds kWait{10'000};

// What apps.connections.open answers next (scripted), then a fresh URL from the fake.
struct OpenScript {
    std::mutex mutex;
    std::vector<FakeReply> next;  // front first
};

class Harness {
public:
    Harness() {
        options.app_token = kAppToken;
        options.api_url = api.url("/api");
        options.backoff_base = milliseconds{20};
        options.backoff_max = milliseconds{200};
        options.timeouts.idle = milliseconds{5'000};
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;
    ~Harness() { stop(); }

    void start() {
        http::ClientOptions client_options;
        client_options.ca_pem = test_pki().ca_pem;
        http = std::make_unique<http::Client>(ioc.get_executor(), client_options);
        client = std::make_unique<slack::SocketModeClient>(
            ioc.get_executor(),
            *http,
            options,
            [this](const slack::Envelope& e) { return record(e); }
        );
        client->start();
        thread = std::thread([this] { ioc.run(); });
    }

    void stop() {
        if (!thread.joinable()) return;
        std::promise<void> stopped;
        boost::asio::co_spawn(ioc, client->stop(), [&](const std::exception_ptr&) {
            stopped.set_value();
        });
        stopped.get_future().wait();
        guard.reset();
        ioc.stop();
        thread.join();
    }

    void script(FakeReply reply) {
        const std::lock_guard lock(open_script.mutex);
        open_script.next.push_back(std::move(reply));
    }

    // Times each envelope id reached the dispatcher.
    std::map<std::string, int> handled() const {
        const std::lock_guard lock(mutex);
        return seen;
    }
    bool wait_handled(std::size_t distinct) const {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, kWait, [&] { return seen.size() >= distinct; });
    }

    std::string answer;  // the ack payload the dispatcher returns
    FakeSocketMode sockets;
    OpenScript open_script;
    FakeHttpServer api{
        [this](const FakeRequest& r) { return connections_open(r); }, FakeServerOptions{true}};
    LogCapture log{log::Level::info};
    slack::SocketModeOptions options;

private:
    std::string record(const slack::Envelope& e) {
        {
            const std::lock_guard lock(mutex);
            ++seen[e.envelope_id];
        }
        changed.notify_all();
        return answer;
    }

    FakeReply connections_open(const FakeRequest& request) {
        {
            const std::lock_guard lock(open_script.mutex);
            if (!open_script.next.empty()) {
                FakeReply reply = open_script.next.front();
                open_script.next.erase(open_script.next.begin());
                return reply;
            }
        }
        FakeReply reply;
        if (request.target != "/api/apps.connections.open" ||
            request.header("Authorization") != std::string("Bearer ") + kAppToken) {
            reply.body = R"({"ok":false,"error":"invalid_auth"})";
            return reply;
        }
        reply.body = nlohmann::json{{"ok", true}, {"url", sockets.new_url()}}.dump();
        return reply;
    }

    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::map<std::string, int> seen;
    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{
        ioc.get_executor()};
    std::unique_ptr<http::Client> http;
    std::unique_ptr<slack::SocketModeClient> client;
    std::thread thread;
};

inline nlohmann::json mention(int i) {
    return nlohmann::json{
        {"type", "event_callback"},
        {"event_id", "Ev" + std::to_string(i)},
        {"event", {{"type", "app_mention"}, {"text", "hi"}, {"channel", "C1"}, {"ts", "1.1"}}}};
}

}  // namespace nra::test::socket_mode
