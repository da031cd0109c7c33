// Runs Slack handlers' jobs to completion against fake ports: the demo traces (plus any added),
// a recording ChatClient, a fixed-bytes picture painter, an App Home memory and a captured
// operator log. Shared by the test/handlers files.
#pragma once

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "demo/demo_data.hpp"
#include "handler.hpp"
#include "state/recent_analyses.hpp"
#include "support/fake_picture.hpp"
#include "support/fake_ports.hpp"
#include "support/run_async.hpp"

namespace nra::test {

inline const std::string kDemoTrace = "4bf92f3577b34da6a3ce929d0e0e4736";   // N+1, 62 spans
inline const std::string kOtherTrace = "0af7651916cd43dd8448eb211c80319c";  // sequential calls
inline const std::string kMissingTrace = "0123456789abcdef";                // not in the demo set

class HandlerHarness {
public:
    HandlerHarness() {
        for (const auto& d : demo_traces()) {
            traces.add(std::string(d.trace_id), std::string(d.json));
        }
    }

    // The ports as the server wires them; `with_picture` false leaves ports.picture null.
    Ports ports() {
        Ports s{traces};
        s.chat = &chat;
        s.render = render;
        s.offload = offload;
        s.picture = with_picture ? &painter : nullptr;
        s.recent = &recent;
        s.log = [this](std::string_view line) { logged.emplace_back(line); };
        return s;
    }

    // Runs a handler's job to completion (a coroutine returning a value keeps run_blocking
    // generic).
    void run(const Job& job) { run_with(job, ports()); }
    // The same with ports the caller wired (e.g. /improve's metrics and tracker).
    void run_with(const Job& job, const Ports& wired) { run_blocking(ioc, finish(job(wired))); }

    // The recorded calls of one ChatClient method, in order.
    std::vector<ChatCall> calls(const std::string& method) const {
        std::vector<ChatCall> out;
        for (const auto& call : chat.calls) {
            if (call.method == method) out.push_back(call);
        }
        return out;
    }
    bool logged_mention(const std::string& needle) const {
        for (const auto& line : logged) {
            if (line.find(needle) != std::string::npos) return true;
        }
        return false;
    }

    boost::asio::io_context ioc;
    FakeTraceSource traces;
    FakeChatClient chat;
    FakePicturePainter painter;
    RecentAnalyses recent;
    RenderOptions render;
    Offload offload;  // empty: analysis runs inline
    bool with_picture = true;
    std::vector<std::string> logged;

private:
    static boost::asio::awaitable<bool> finish(boost::asio::awaitable<void> work) {
        co_await std::move(work);
        co_return true;
    }
};

// A slash command as Slack sends it from channel C1 by user U1.
inline SlashCommand slash_command(std::string name, std::string text) {
    SlashCommand c;
    c.command = std::move(name);
    c.text = std::move(text);
    c.channel_id = "C1";
    c.user_id = "U1";
    c.response_url = "https://hooks.slack.com/commands/T1/1/x";
    return c;
}

// A button press by user U1 on message 1700000000.000200 in channel C1 of team T1.
inline BlockAction block_action(std::string action_id, std::string value) {
    BlockAction a;
    a.action_id = std::move(action_id);
    a.value = std::move(value);
    a.user_id = "U1";
    a.team_id = "T1";
    a.channel_id = "C1";
    a.message_ts = "1700000000.000200";
    a.response_url = "https://hooks.slack.com/actions/T1/1/x";
    return a;
}

// The `text` of an ack's JSON body.
inline std::string ack_text(const Handled& h) {
    return nlohmann::json::parse(h.ack.body)["text"];
}

// A Zipkin v2 document of `spans` nested spans (each the only child of the previous), so the
// critical path has one row per span. `orphaned` gives the top span a parent that never arrives,
// which makes the trace incomplete.
inline std::string zipkin_chain(const std::string& trace_id, int spans, bool orphaned = false) {
    const auto id = [](int i) {
        const std::string digits = std::to_string(1'000'000 + i);
        return std::string(16 - digits.size(), '0') + digits;  // 16 hex characters
    };
    std::string out = "[";
    for (int i = 0; i < spans; ++i) {
        std::string span = R"({"traceId":")" + trace_id + "\",";
        if (i > 0 || orphaned) {
            span +=
                R"("parentId":")" + (i == 0 ? std::string("feedfeedfeedfeed") : id(i - 1)) + "\",";
        }
        span += R"("id":")" + id(i) + R"(","name":"step )" + std::to_string(i) +
                R"(","timestamp":)" + std::to_string(1'700'000'000'000'000 + i * 10) +
                R"(,"duration":)" + std::to_string((spans - i) * 20) +
                R"(,"localEndpoint":{"serviceName":"svc-)" + std::to_string(i % 7) + "\"}}";
        out += (i == 0 ? "" : ",") + span;
    }
    return out + "]";
}

}  // namespace nra::test
