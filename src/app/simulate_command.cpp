#include "app/simulate_command.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "app/blocks_text.hpp"
#include "app/environment.hpp"
#include "app/serve_command.hpp"
#include "app/simulate_files.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "incident_words.hpp"
#include "log/log.hpp"
#include "nra/trace_argument.hpp"
#include "slack/inbound.hpp"
#include "slack/signature.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;
using Json = nlohmann::json;

struct SimOptions {
    std::string text;
    bool mention = false;
    bool alert = false;    // a bot's message in an alert channel
    std::string alert_ts;  // now: each alert is a new message
    std::string thread_ts;
    std::string url = "http://127.0.0.1:3000/slack/events";
    std::string channel;  // default: C0DEMO, or the demo alert channel for --alert
    int wait_s = 60;
};

struct SimState {
    explicit SimState(const asio::any_io_executor& ex) : done(ex) {}
    std::size_t posts = 0;
    std::size_t expected = 1;
    // > 0: after the expected posts, keep listening until none arrived for this long (reports
    // post a thread of unknown length).
    std::chrono::milliseconds quiet{0};
    int next_ts = 100;
    asio::steady_timer done;
    std::string response_base;
    SimFiles files;
};

void print_post(const std::string& what, const Json& body) {
    std::string where = body.value("channel", "");
    if (body.contains("thread_ts")) where += " thread " + body.value("thread_ts", "");
    if (body.contains("response_type")) where += " " + body.value("response_type", "");
    fmt::print("\n[{}] {}\n", what, where);
    const std::string blocks = body.contains("blocks") ? body["blocks"].dump() : "";
    const std::string text = blocks.empty() ? body.value("text", "") : blocks_to_text(blocks);
    fmt::print("{}\n", text);
    std::fflush(stdout);
}

http::ServerResponse web_api(SimState& state, const http::ServerRequest& request) {
    if (auto file = answer_file_call(state.files, request)) {
        if (file->shared && ++state.posts >= state.expected) state.done.cancel();
        return std::move(file->response);
    }
    const auto body = Json::parse(request.body, nullptr, false);
    http::ServerResponse response;
    const auto path = std::string(request.path());
    if (path.rfind("/response/", 0) == 0) {
        if (body.is_object()) print_post("response_url", body);
        response.content_type = "text/plain";
        response.body = "ok";
    } else if (path.rfind("/api/", 0) == 0 && body.is_object()) {
        const auto method = path.substr(5);
        print_post(method, body);
        const auto ts = fmt::format("1700000000.{:06d}", state.next_ts++);
        response.body = Json{
            {"ok", true},
            {"channel", body.value("channel", "")},
            {"ts", ts},
            {"message_ts",
             ts}}.dump();
    } else {
        response.status = 404;
        return response;
    }
    if (++state.posts >= state.expected) state.done.cancel();
    return response;
}

// An alert as New Relic's Slack integration posts it: a bot message with the text in an
// attachment.
Json alert_event(const SimOptions& o) {
    return Json{
        {"type", "message"},
        {"subtype", "bot_message"},
        {"bot_id", "B0NEWRELIC"},
        {"username", "New Relic"},
        {"text", ""},
        {"attachments",
         Json::array({{{"fallback", o.text}, {"text", o.text}, {"color", "danger"}}})},
        {"ts", o.alert_ts},
        {"channel", o.channel}};
}

std::string request_body(const SimOptions& o, const std::string& response_url) {
    if (!o.mention && !o.alert) {
        const auto space = o.text.find(' ');
        const auto command = o.text.substr(0, space);
        const auto text = space == std::string::npos ? "" : o.text.substr(space + 1);
        return fmt::format(
            "command={}&text={}&user_id=U0DEMO&user_name=demo&channel_id={}&channel_name=demo&"
            "team_id=T0DEMO&api_app_id=A0DEMO&response_url={}&trigger_id=1.2.3",
            slack::form_encode(command),
            slack::form_encode(text),
            o.channel,
            slack::form_encode(response_url)
        );
    }
    Json event = o.alert ? alert_event(o)
                         : Json{
                               {"type", "app_mention"},
                               {"user", "U0DEMO"},
                               {"text", "<@U0BOT> " + o.text},
                               {"ts", "1700000050.000100"},
                               {"channel", o.channel}};
    if (!o.thread_ts.empty()) event["thread_ts"] = o.thread_ts;
    const auto id = std::chrono::steady_clock::now().time_since_epoch().count();
    return Json{
        {"type", "event_callback"},
        {"team_id", "T0DEMO"},
        {"api_app_id", "A0DEMO"},
        {"event_id", fmt::format("Ev{}", id)},
        {"event_time", 1700000050},
        {"event", event}}
        .dump();
}

asio::awaitable<int> simulate(
    SimOptions o, std::string secret, SimState* state, http::Client* client
) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()
    )
                         .count();
    const auto timestamp = std::to_string(now);
    http::Request request;
    request.url = o.url;
    request.body = request_body(o, state->response_base + "1");
    request.timeout = std::chrono::seconds(5);
    request.headers.push_back(
        {"Content-Type",
         o.mention || o.alert ? "application/json" : "application/x-www-form-urlencoded"}
    );
    request.headers.push_back({"X-Slack-Request-Timestamp", timestamp});
    request.headers.push_back({"X-Slack-Signature", slack::sign(secret, timestamp, request.body)});
    fmt::print(
        "→ POST {}  {}\n",
        o.url,
        o.mention ? "@nr-analyzer " + o.text
                  : (o.alert ? "alert in " + o.channel + ": " : "") + o.text
    );
    auto out = co_await client->send(std::move(request));
    if (!out.ok()) {
        fmt::print(
            stderr,
            "error: could not reach the bot at {} ({}); is `nr-analyzer serve` "
            "running?\n",
            o.url,
            http::to_string(out.failure)
        );
        co_return 1;
    }
    fmt::print("← HTTP {} {}\n", out.response.status, out.response.body);
    std::fflush(stdout);
    if (out.response.status != 200) co_return 1;
    // Commands other than /trace: a job runs only when the ack says the bot is working on it.
    if (state->quiet.count() > 0 && !o.alert && !o.mention &&
        out.response.body.find(":hourglass") == std::string::npos) {
        co_return 0;
    }
    if (state->posts >= state->expected) {
        if (o.alert) fmt::print("(no trace id in the alert: the bot stays silent)\n");
        co_return 0;
    }
    state->done.expires_after(std::chrono::seconds(o.wait_s));
    boost::system::error_code ec;
    co_await state->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    while (state->quiet.count() > 0 && state->posts >= state->expected) {
        const auto seen = state->posts;
        state->done.expires_after(state->quiet);
        co_await state->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (state->posts == seen) break;
    }
    if (state->posts < state->expected) {
        fmt::print(
            stderr,
            "error: after {} s, {} of {} expected posts arrived\n",
            o.wait_s,
            state->posts,
            state->expected
        );
        co_return 1;
    }
    co_return 0;
}

struct Finish {
    int* rc;
    http::HttpServer* server;
    asio::io_context* ioc;
    void operator()(const std::exception_ptr& e, int code) const {
        *rc = e ? 1 : code;
        server->stop();
        ioc->stop();
    }
};

// Per trace: the summary, the detail and the waterfall picture.
constexpr std::size_t kPostsPerTrace = 3;

std::size_t expected_posts(const SimOptions& o) {
    if (o.alert) {  // the "eyes" reaction; then, within the quiet time, whatever follows
        return find_trace_arguments(o.text, 3).empty() ? 0 : 1;
    }
    if (o.mention) {
        const auto found = find_trace_arguments(o.text, 3).size();
        if (found == 0) return incident_question(o.text) ? 2 : 1;  // eyes, then the summary
        return kPostsPerTrace * found;
    }
    const auto space = o.text.find(' ');
    if (o.text.rfind("/trace", 0) != 0) return 1;  // e.g. /improve: a summary, then its thread
    if (space == std::string::npos) return 0;
    return parse_trace_argument(o.text.substr(space + 1)).ok() ? kPostsPerTrace : 0;
}

}  // namespace

int run_simulate_command(const std::vector<std::string>& args) {
    SimOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--mention" && has_value) {
            o.mention = true;
            o.text = args[++i];
        } else if (a == "--alert" && has_value) {
            o.alert = true;
            o.text = args[++i];
        } else if (a == "--thread" && has_value) {
            o.thread_ts = args[++i];
        } else if (a == "--url" && has_value) {
            o.url = args[++i];
        } else if (a == "--channel" && has_value) {
            o.channel = args[++i];
        } else if (a.rfind("--", 0) != 0 && o.text.empty()) {
            o.text = a;
        } else {
            fmt::print(stderr, "error: unexpected argument `{}`\n", a);
            return 2;
        }
    }
    if (o.text.empty() || (!o.mention && !o.alert && o.text.front() != '/')) {
        fmt::print(
            stderr,
            "error: give a command such as \"/trace <id>\", --mention \"<text>\" or --alert "
            "\"<text>\"\n"
        );
        return 2;
    }
    if (o.channel.empty()) o.channel = o.alert ? kDemoAlertChannel : "C0DEMO";
    log::set_level(log::Level::error);
    const auto secret = env_value("SLACK_SIGNING_SECRET").value_or(kDemoSigningSecret);
    asio::io_context ioc;
    SimState state(ioc.get_executor());
    state.expected = expected_posts(o);
    const bool asks_without_ids = o.mention && find_trace_arguments(o.text, 3).empty();
    if ((!o.mention && o.text.rfind("/trace", 0) != 0) || asks_without_ids) {
        state.quiet = std::chrono::seconds(2);  // a summary, then its thread (e.g. /incident)
    }
    if (o.alert) {
        state.quiet = std::chrono::seconds(3);  // the analyses, and updates of early posts
        o.alert_ts = fmt::format(
            "{}.000100",
            std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch()
            )
                .count()
        );
    }
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = kDemoSlackPort;
    http::HttpServer server(ioc.get_executor(), options, [&state](const http::ServerRequest& r) {
        return web_api(state, r);
    });
    try {
        server.start();
    } catch (const std::exception& e) {
        fmt::print(
            stderr,
            "error: cannot play Slack's Web API on 127.0.0.1:{}: {}\n",
            kDemoSlackPort,
            e.what()
        );
        return 1;
    }
    state.response_base = fmt::format("http://127.0.0.1:{}/response/", kDemoSlackPort);
    state.files.upload_base = fmt::format("http://127.0.0.1:{}/upload/v1/", kDemoSlackPort);
    state.files.folder = std::filesystem::temp_directory_path() / "nr-analyzer-simulate";
    http::Client client(ioc.get_executor(), {});
    int rc = 1;
    asio::co_spawn(ioc, simulate(o, secret, &state, &client), Finish{&rc, &server, &ioc});
    ioc.run();
    return rc;
}

}  // namespace nra
