// The bot's own health and metrics as a scraper sees them: GET /readyz, and GET /metrics in
// Prometheus text format after real work (a /trace answered through the fake Slack, a forged
// request refused, a Slack retry deduplicated).
#include <catch2/catch.hpp>
#include <regex>
#include <string>

#include "slack_e2e.hpp"

namespace slack_observability_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

std::string get(SlackE2E& e2e, const std::string& path, int& status, std::string& type) {
    nra::http::Request request;
    request.method = "GET";
    request.url = e2e.server->url(path);
    nra::http::Client client(e2e.ioc.get_executor(), {});
    auto out = run_blocking(e2e.ioc, client.send(request));
    status = out.response.status;
    type = std::string(out.response.header("Content-Type"));
    return out.response.body;
}

// The value of one sample line ("name{labels} value"); -1 when absent.
double sample(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE("/readyz and /metrics report the work done, in Prometheus text format") {
    SlackE2E e2e;
    int status = 0;
    std::string type;
    CHECK(get(e2e, "/readyz", status, type) == R"({"status":"ready"})");
    CHECK(status == 200);

    CHECK(e2e.command("4bf92f3577b34da6a3ce929d0e0e4736").status == 200);
    REQUIRE(e2e.slack.wait_for_calls(2, 30s) >= 2);
    CHECK(e2e.post("application/x-www-form-urlencoded", "forged=1", {}, 0, "wrong").status == 401);
    const auto event = SlackE2E::mention("Ev1", "<@U0BOT> 4bf92f3577b34da6a3ce929d0e0e4736", "");
    CHECK(e2e.post("application/json", event).status == 200);
    CHECK(e2e.post("application/json", event, {{"X-Slack-Retry-Num", "1"}}).status == 200);

    const auto text = get(e2e, "/metrics", status, type);
    CHECK(status == 200);
    CHECK(type.rfind("text/plain; version=0.0.4", 0) == 0);
    INFO(text.substr(0, 3000));
    CHECK(sample(text, R"(nra_requests_total{route="slack_events",status="200"})") >= 3);
    CHECK(sample(text, R"(nra_requests_total{route="slack_events",status="401"})") == 1);
    CHECK(sample(text, R"(nra_ack_seconds_bucket{route="slack_events",le="+Inf"})") >= 4);
    CHECK(sample(text, "nra_bad_signatures_total") == 1);
    CHECK(sample(text, "nra_dedup_hits_total") >= 1);
    CHECK(sample(text, "nra_spans_analysed_total") >= 62);  // the demo trace has 62 spans
    CHECK(sample(text, R"(nra_upstream_requests_total{upstream="slack",outcome="ok"})") >= 2);
    CHECK(sample(text, "nra_jobs_queued") >= 0);
    // Every line is a comment or a sample with a number: what a Prometheus scrape accepts.
    static const std::regex line(
        R"((# (HELP|TYPE) [a-z_]+ .+)|([a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+0-9.e]+))"
    );
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        const auto one = text.substr(start, end - start);
        INFO(one);
        CHECK(std::regex_match(one, line));
        start = end == std::string::npos ? text.size() : end + 1;
    }
    CHECK(text.find(kSecret) == std::string::npos);
}

}  // namespace slack_observability_test
