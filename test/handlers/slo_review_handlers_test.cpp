// `/improve slo` and the review buttons with fake ports: the digest through the demo metrics
// (keep, tighten, loosen), one SLO failing without hiding the others, what New Relic keeps, and
// decisions recorded once per digest.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "demo/demo_metrics_source.hpp"
#include "registry.hpp"
#include "slo_review_digest.hpp"
#include "state/file_review_store.hpp"
#include "support/handler_harness.hpp"

namespace slo_review_handlers_test {

using namespace nra;
using namespace nra::test;
using nlohmann::json;

namespace {

constexpr std::int64_t kNowS = 1'795'400'000;  // 2026-11-22

// The demo metrics, except that the history of one SLO fails as New Relic might.
class FlakyMetrics final : public MetricsSource {
public:
    DemoMetricsSource demo{
        [] { return std::chrono::system_clock::time_point(std::chrono::seconds(kNowS)); }};
    std::string failing;  // SLO name whose history fails
    int history_calls = 0;
    int last_windows = 0;
    int stats_calls = 0;

    boost::asio::awaitable<StatsResult> service_stats(StatsQuery q) override {
        ++stats_calls;
        return demo.service_stats(std::move(q));
    }
    boost::asio::awaitable<SloResult> slo_counts(SloSpec s) override {
        return demo.slo_counts(std::move(s));
    }
    boost::asio::awaitable<SloHistoryResult> slo_history(SloSpec s, int windows) override {
        ++history_calls;
        last_windows = windows;
        if (s.name == failing) {
            SloHistoryResult r;
            r.status = FetchStatus::rate_limited;
            r.message = "SLO " + s.name + ": New Relic is rate limiting queries";
            co_return r;
        }
        co_return co_await demo.slo_history(std::move(s), windows);
    }
    boost::asio::awaitable<TraceIdsResult> slowest_traces(
        std::string service, std::string endpoint, int count, int days
    ) override {
        return demo.slowest_traces(std::move(service), std::move(endpoint), count, days);
    }
    boost::asio::awaitable<ServiceListResult> services(int days) override {
        return demo.services(days);
    }
    boost::asio::awaitable<SampleResult> window_samples(SampleQuery query) override {
        return demo.window_samples(std::move(query));
    }
};

struct Harness : HandlerHarness {
    Harness() : config(demo_improve_config()) {}
    Ports wired() {
        Ports s = ports();
        s.metrics = &metrics;
        s.improve = &config;
        s.reviews = &reviews;
        s.epoch_seconds = [this] { return now_s; };
        return s;
    }
    void run(const Job& job) { run_with(job, wired()); }
    slo::Digest digest(const std::string& service) {
        DigestRequest request{service, now_s * 1000};
        const Ports ports = wired();  // a coroutine's reference parameter: alive until it ends
        auto outcome = run_result(ioc, produce_slo_digest(ports, request));
        REQUIRE(outcome.ok());
        return *outcome;
    }
    const slo::DigestEntry& entry(const slo::Digest& d, const std::string& name) {
        for (const auto& e : d.slos) {
            if (e.spec.name == name) return e;
        }
        FAIL("no entry " << name);
        return d.slos.front();
    }
    FlakyMetrics metrics;
    ImproveConfig config;
    FileReviewStore reviews;
    std::int64_t now_s = kNowS;
};

BlockAction press(const char* action_id, std::string value, std::string user = "U07REVIEW") {
    BlockAction a;
    a.action_id = action_id;
    a.value = std::move(value);
    a.user_id = std::move(user);
    a.channel_id = "C1";
    a.message_ts = "1700000000.000200";
    a.response_url = "https://hooks.slack.com/actions/T1/1/x";
    return a;
}

}  // namespace

TEST_CASE("the demo digest keeps, tightens and loosens, each with its numbers") {
    Harness h;
    const auto d = h.digest("all");
    REQUIRE(d.slos.size() == 4);
    CHECK(h.entry(d, "web-gateway-availability").advice.suggestion == slo::Suggestion::keep);
    const auto& latency = h.entry(d, "web-gateway-latency");
    CHECK(latency.advice.suggestion == slo::Suggestion::tighten);
    REQUIRE(latency.advice.proposed_target);
    CHECK(*latency.advice.proposed_target == Approx(0.95));
    CHECK(h.entry(d, "orders-availability").advice.suggestion == slo::Suggestion::loosen);
    const auto& search = h.entry(d, "search-availability");
    CHECK(search.advice.suggestion == slo::Suggestion::loosen);
    CHECK(search.advice.release_stops == 6);
    CHECK(h.metrics.last_windows == 6);  // the demo configuration keeps every window
    // What spent the budget: the orders SLO counts one endpoint only, the latency SLO slow
    // requests.
    const auto& orders = h.entry(d, "orders-availability");
    REQUIRE(orders.spenders.size() == 1);
    CHECK(orders.spenders[0].endpoint == "POST /api/orders");
    CHECK(orders.spenders[0].share == Approx(1.0));
    REQUIRE(!latency.spenders.empty());
    CHECK(latency.spenders[0].endpoint == "POST /api/checkout");
    CHECK(latency.spenders[0].share > 0.9);
    CHECK(orders.summary.find("97.5 %") != std::string::npos);
}

TEST_CASE("SLOs sharing a service and window ask for its statistics once per digest") {
    Harness h;
    auto twin = *find_slo(h.config, "web-gateway-availability");
    twin.name = "web-gateway-availability-twin";
    h.config.slos.push_back(twin);
    const auto d = h.digest("web-gateway");
    CHECK(
        h.entry(d, "web-gateway-availability-twin").spenders.size() ==
        h.entry(d, "web-gateway-availability").spenders.size()
    );
    // availability (shared by the twin) and latency (its own slow threshold): two questions.
    CHECK(h.metrics.stats_calls == 2);
}

TEST_CASE("an SLO New Relic cannot answer for is named and the others are still reviewed") {
    Harness h;
    h.metrics.failing = "web-gateway-latency";
    const auto d = h.digest("web-gateway");
    REQUIRE(d.slos.size() == 2);
    const auto& failed = h.entry(d, "web-gateway-latency");
    CHECK(failed.problem.find("web-gateway-latency could not be computed") != std::string::npos);
    CHECK(failed.problem.find("rate limiting") != std::string::npos);
    CHECK(h.entry(d, "web-gateway-availability").problem.empty());
    CHECK(h.entry(d, "web-gateway-availability").advice.suggestion == slo::Suggestion::keep);
}

TEST_CASE("windows longer than what New Relic keeps are not asked for") {
    Harness h;
    h.config.slo_review.retention_days = 8;
    const auto d = h.digest("web-gateway");
    const auto& availability = h.entry(d, "web-gateway-availability");  // 30-day window
    CHECK(h.metrics.last_windows == 1);
    CHECK(availability.history.size() == 1);
    CHECK(availability.advice.suggestion == slo::Suggestion::no_data);
    CHECK(availability.history_note.find("keeps 8 days") != std::string::npos);
    CHECK(!availability.summary.empty());  // the current figures are still there

    h.config.slo_review.retention_days = 60;  // two 30-day windows fit; 6 were asked for
    const auto d2 = h.digest("web-gateway");
    CHECK(h.entry(d2, "web-gateway-availability").history.size() == 2);
    CHECK(
        h.entry(d2, "web-gateway-availability").history_note.find("2 of the 6") != std::string::npos
    );
}

TEST_CASE("a latency SLO without a threshold is reported, not queried") {
    Harness h;
    h.config.slos[1].latency_ms = 0;
    const auto d = h.digest("web-gateway");
    CHECK(
        h.entry(d, "web-gateway-latency").problem.find("without a threshold") != std::string::npos
    );
    CHECK(h.metrics.history_calls == 1);  // only the availability SLO asked New Relic
}

TEST_CASE("no SLO for the service says which services have SLOs") {
    Harness h;
    DigestRequest request{"checkout", kNowS * 1000};
    const Ports ports = h.wired();
    auto outcome = run_result(h.ioc, produce_slo_digest(ports, request));
    CHECK_FALSE(outcome.ok());
    CHECK(
        outcome.error().find("`web-gateway`, `api-gateway`, `storefront-bff`") != std::string::npos
    );
}

TEST_CASE("/improve slo posts the digest with review buttons for the due SLOs") {
    Harness h;
    auto handled = handle_improve_command(slash_command("/improve", "slo web-gateway"));
    CHECK(ack_text(handled).find("Reviewing the SLOs of `web-gateway`") != std::string::npos);
    REQUIRE(handled.job);
    h.run(*handled.job);
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].message.channel == "C1");
    const auto blocks = json(posts[0].message.blocks);
    std::vector<std::string> values;
    for (const auto& b : blocks) {
        if (b["type"] != "actions") continue;
        for (const auto& e : b["elements"]) {
            if (e["action_id"] == slo::kReviewKeepAction) values.push_back(e["value"]);
        }
    }
    // web-gateway-latency was never reviewed (due); availability was, 38 days ago (not due).
    CHECK(values == std::vector<std::string>{"web-gateway-latency"});
}

TEST_CASE("/improve slo for an unknown service answers in private") {
    Harness h;
    auto handled = handle_improve_command(slash_command("/improve", "slo checkout"));
    REQUIRE(handled.job);
    h.run(*handled.job);
    CHECK(h.calls("post_message").empty());
    const auto said = h.calls("respond");
    REQUIRE(said.size() == 1);
    CHECK(said[0].response.text.find("No SLO review: no SLO is configured for `checkout`") == 0);
}

TEST_CASE("a review decision is recorded once per digest and shown in its thread") {
    Harness h;
    auto first = handle_slo_review_keep(press(slo::kReviewKeepAction, "web-gateway-latency"));
    REQUIRE(first.job);
    CHECK(first.ack.body.empty());
    h.run(*first.job);
    auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].message.thread_ts == "1700000000.000200");
    CHECK(
        posts[0].message.text.find("<@U07REVIEW> reviewed *web-gateway-latency*") !=
        std::string::npos
    );
    CHECK(posts[0].message.text.find("Next review due") != std::string::npos);

    // A second press, by someone else and the other button, on the same digest: nothing new.
    auto second =
        handle_slo_review_change(press(slo::kReviewChangeAction, "web-gateway-latency", "U08OTHER")
        );
    REQUIRE(second.job);
    h.run(*second.job);
    CHECK(h.calls("post_message").size() == 1);
    const auto said = h.calls("respond");
    REQUIRE(said.size() == 1);
    CHECK(said[0].response.text.find("already records a decision") != std::string::npos);
    CHECK(said[0].response.text.find("keep by <@U07REVIEW>") != std::string::npos);

    // The decision counts as the review: the next digest no longer lists it as due.
    const auto d = h.digest("web-gateway");
    const auto& latency = h.entry(d, "web-gateway-latency");
    CHECK_FALSE(latency.overdue_days);
    REQUIRE(latency.last_decision);
    CHECK(latency.last_decision->user == "U07REVIEW");
}

TEST_CASE("review buttons with a stale or forged value record nothing") {
    Harness h;
    auto stale = handle_slo_review_keep(press(slo::kReviewKeepAction, "deleted-slo"));
    REQUIRE(stale.job);
    h.run(*stale.job);
    CHECK(h.calls("post_message").empty());
    REQUIRE(h.calls("respond").size() == 1);
    CHECK(h.calls("respond")[0].response.text.find("no longer configured") != std::string::npos);
    CHECK_FALSE(handle_slo_review_keep(press(slo::kReviewKeepAction, "")).job);
    CHECK_FALSE(handle_slo_review_keep(press(slo::kReviewKeepAction, std::string(201, 'x'))).job);
    const auto d = h.digest("all");
    for (const auto& e : d.slos) CHECK_FALSE(e.last_decision);
}

TEST_CASE("a proposal to change quotes nothing it does not know and asks for the config change") {
    Harness h;
    auto handled = handle_slo_review_change(press(slo::kReviewChangeAction, "orders-availability"));
    REQUIRE(handled.job);
    h.run(*handled.job);
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 1);
    CHECK(
        posts[0].message.text.find("<@U07REVIEW> proposes changing *orders-availability* (now 99 %)"
        ) != std::string::npos
    );
    CHECK(posts[0].message.text.find("`slos:`") != std::string::npos);
}

}  // namespace slo_review_handlers_test
