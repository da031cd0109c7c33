// /incident and "what's wrong with <service>?" with fake ports over the demo dataset: the words
// read, what is posted where, and bad input (unknown service, unknown endpoint, traces that
// cannot be fetched, no metrics wired).
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "demo/demo_context_source.hpp"
#include "demo/demo_metrics_source.hpp"
#include "incident_words.hpp"
#include "registry.hpp"
#include "support/handler_harness.hpp"

namespace incident_handlers_test {

using namespace nra;
using namespace nra::test;

namespace {

// The demo's samples, plus a trace New Relic names but cannot return.
class LossyMetrics final : public MetricsSource {
public:
    DemoMetricsSource demo;
    boost::asio::awaitable<StatsResult> service_stats(StatsQuery q) override {
        return demo.service_stats(std::move(q));
    }
    boost::asio::awaitable<SloResult> slo_counts(SloSpec s) override {
        return demo.slo_counts(std::move(s));
    }
    boost::asio::awaitable<SloHistoryResult> slo_history(SloSpec s, int n) override {
        return demo.slo_history(std::move(s), n);
    }
    boost::asio::awaitable<TraceIdsResult> slowest_traces(
        std::string s, std::string e, int n, int d
    ) override {
        return demo.slowest_traces(std::move(s), std::move(e), n, d);
    }
    boost::asio::awaitable<ServiceListResult> services(int d) override { return demo.services(d); }
    boost::asio::awaitable<SampleResult> window_samples(SampleQuery q) override {
        auto out = co_await demo.window_samples(q);
        if (!q.endpoints.empty()) {
            out.samples.insert(
                out.samples.begin(),
                WindowSample{WindowSample::Reason::failed, q.endpoints.front().name, kMissingTrace}
            );
        }
        co_return out;
    }
};

struct Harness : HandlerHarness {
    Harness() : config(demo_improve_config()) {}
    void run(const Job& job, bool wired = true) {
        Ports s = ports();
        s.epoch_seconds = [] { return std::int64_t{1795171200}; };  // 2026-11-20 11:00 UTC
        if (wired) {
            s.metrics = &metrics;
            s.improve = &config;
            s.context = &context;
        }
        run_with(job, std::move(s));
    }
    LossyMetrics metrics;
    DemoContextSource context;
    ImproveConfig config;
};

SlashCommand incident(std::string text) {
    return slash_command("/incident", std::move(text));
}

}  // namespace

TEST_CASE("/incident words: service, endpoint and window, quotes for names with spaces") {
    auto w = parse_incident_words("checkout POST /api/orders 15m");
    CHECK(w.problem.empty());
    CHECK(w.request.service == "checkout");
    CHECK(w.request.endpoint == "POST /api/orders");
    CHECK(w.request.window_minutes == 15);
    w = parse_incident_words("\"Checkout Service\" 2h");
    CHECK(w.request.service == "Checkout Service");
    CHECK(w.request.endpoint.empty());
    CHECK(w.request.window_minutes == 120);
    w = parse_incident_words("checkout");
    CHECK(w.request.window_minutes == kDefaultIncidentMinutes);
    CHECK(parse_incident_words("checkout 7d").problem.find("24h") != std::string::npos);
    CHECK_FALSE(parse_incident_words("\"Checkout 1h").problem.empty());
    CHECK_FALSE(parse_incident_words(std::string("bad\x01name")).problem.empty());
}

TEST_CASE("mentions: what's wrong with <service>? in the ways people ask it") {
    CHECK(incident_question("<@U1> what's wrong with checkout?") == "checkout");
    CHECK(incident_question("<@U1> What\xE2\x80\x99s wrong with checkout 1h ?!") == "checkout 1h");
    CHECK(incident_question("hey <@U1>, what is going on with web-gateway") == "web-gateway");
    CHECK(incident_question("<@U1> incident payments") == "payments");
    CHECK_FALSE(incident_question("<@U1> what's wrong with ?"));
    CHECK_FALSE(incident_question("<@U1> hello"));
    CHECK_FALSE(incident_question("<@U1> this incident is bad"));
}

TEST_CASE("/incident answers usage and bad input inside the ack, with no job") {
    for (const char* text : {"", "help", "web-gateway 7d", "web-gateway 1m"}) {
        INFO(text);
        const auto h = handle_incident_command(incident(text));
        CHECK_FALSE(h.job);
        CHECK(ack_text(h).find("/incident &lt;service&gt;") != std::string::npos);
    }
}

TEST_CASE(
    "/incident <service>: the suspect in the channel, its evidence in the thread, a lost trace said"
) {
    Harness h;
    const auto handled = handle_incident_command(incident("web-gateway"));
    REQUIRE(handled.job);
    CHECK(ack_text(handled).find("web-gateway") != std::string::npos);
    h.run(*handled.job);
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].message.channel == "C1");
    CHECK(posts[0].message.thread_ts.empty());
    const auto summary = posts[0].message.blocks.dump();
    CHECK(summary.find("Suspect: `giftcard-service`") != std::string::npos);
    CHECK(summary.find("Not alone") != std::string::npos);  // the suspect's blast radius
    CHECK(posts[1].message.thread_ts == "1700000000.100001");
    const auto detail = posts[1].message.blocks.dump();
    CHECK(detail.find("1 of 5 traces could not be analysed") != std::string::npos);
    CHECK(detail.find(kMissingTrace) != std::string::npos);
}

TEST_CASE("/incident: unknown service, unknown endpoint, not set up: privately, nothing posted") {
    Harness h;
    for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
             {"web-gatway", "did you mean `web-gateway`"},
             {"web-gateway GET /nope", "no endpoint `GET /nope`"}}) {
        INFO(text);
        const auto handled = handle_incident_command(incident(text));
        REQUIRE(handled.job);
        h.chat.calls.clear();
        h.run(*handled.job);
        REQUIRE(h.chat.calls.size() == 1);
        CHECK(h.chat.calls[0].method == "respond");
        CHECK(h.chat.calls[0].response.text.find(expected) != std::string::npos);
    }
    const auto handled = handle_incident_command(incident("web-gateway"));
    h.chat.calls.clear();
    h.run(*handled.job, false);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].response.text.find("not set up") != std::string::npos);
}

TEST_CASE("/incident for a service with nothing off its usual level says so") {
    Harness h;
    const auto handled = handle_incident_command(incident("edge-proxy"));
    h.run(*handled.job);
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].message.text.find("Nothing stands out") != std::string::npos);
}

TEST_CASE("a mention asking what is wrong: eyes at once, the answer in its thread") {
    Harness h;
    SlackEvent event;
    event.type = "app_mention";
    event.channel = "C9";
    event.ts = "1700000500.000200";
    event.thread_ts = "1700000400.000100";
    event.text = "<@UBOT> what's wrong with web-gateway POST /api/gift-cards/redeem?";
    const auto handled = handle_app_mention(event);
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE_FALSE(h.chat.calls.empty());
    CHECK(h.chat.calls[0].method == "add_reaction");
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 2);
    for (const auto& p : posts) CHECK(p.message.thread_ts == "1700000400.000100");
    CHECK(posts[0].message.blocks.dump().find("giftcard-service") != std::string::npos);
}

}  // namespace incident_handlers_test
