// The live side of /incident: windows as users write them, endpoints against their usual
// period, the sample of traces, and the Block Kit rendering of a report.
#include "nra/analysis/incident_window.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "block_kit_checks.hpp"
#include "nra/render/render_incident.hpp"

namespace incident_window_test {

using namespace nra;

namespace {

EndpointStats stats(
    const std::string& name, std::int64_t count, std::int64_t errors, double p99, double rpm
) {
    EndpointStats s;
    s.name = name;
    s.count = count;
    s.errors = errors;
    s.p99_ms = p99;
    s.p50_ms = p99 / 4;
    s.throughput_rpm = rpm;
    return s;
}

ServiceStats window_of(std::vector<EndpointStats> now, std::vector<EndpointStats> usual) {
    ServiceStats s;
    s.service = "checkout";
    s.window = ReportWindow{0, 30 * 60'000};
    s.endpoints = std::move(now);
    s.previous = std::move(usual);
    return s;
}

const EndpointDeviation& find(const std::vector<EndpointDeviation>& all, const std::string& name) {
    for (const auto& e : all) {
        if (e.name == name) return e;
    }
    FAIL("no endpoint " << name);
    throw;
}

}  // namespace

TEST_CASE("incident windows: minutes and hours, 5 min to 24 h, anything else refused") {
    CHECK(parse_incident_window("15m").value() == 15);
    CHECK(parse_incident_window("90min").value() == 90);
    CHECK(parse_incident_window("1h").value() == 60);
    CHECK(parse_incident_window("2 hours").value() == 120);
    CHECK(parse_incident_window("24H").value() == 1440);
    CHECK(parse_incident_window("1d").value() == 1440);
    CHECK_FALSE(parse_incident_window("7d"));
    CHECK(parse_incident_window("7d").error().find("/improve") != std::string::npos);
    CHECK_FALSE(parse_incident_window("2m"));
    CHECK_FALSE(parse_incident_window("soon"));
    CHECK_FALSE(parse_incident_window("99999999999999999999m"));
    CHECK_FALSE(parse_incident_window(""));
    CHECK(looks_like_incident_window("7d"));
    CHECK(looks_like_incident_window("30m"));
    CHECK_FALSE(looks_like_incident_window("/api/orders"));
    CHECK_FALSE(looks_like_incident_window("v2"));
}

TEST_CASE("incident endpoints: a rare endpoint that fails leads, however busy the others are") {
    const auto all = endpoint_deviations(window_of(
        {stats("GET /busy", 90'000, 20, 200, 3000),
         stats("POST /rare", 12, 7, 80, 0.4),
         stats("GET /slow", 3000, 3, 2400, 100),
         stats("GET /new", 5, 2, 50, 0.2)},
        {stats("GET /busy", 20'000'000, 4000, 210, 2000),
         stats("POST /rare", 4000, 8, 90, 0.4),
         stats("GET /slow", 1'000'000, 1000, 900, 100),
         stats("GET /gone", 500'000, 0, 100, 50)}
    ));
    REQUIRE(all.size() == 5);
    CHECK(all[0].name == "POST /rare");  // 58 % failing against 0.2 %: the largest share
    CHECK(all[0].failing);
    CHECK_FALSE(all[0].slower);
    const auto& slow = find(all, "GET /slow");
    CHECK(slow.slower);
    CHECK_FALSE(slow.failing);
    CHECK(find(all, "GET /new").is_new);
    CHECK(find(all, "GET /new").failing);
    const auto& gone = find(all, "GET /gone");
    CHECK(gone.quieter);
    CHECK(gone.requests == 0);
    CHECK(deviation_text(gone).find("no request") != std::string::npos);
    const auto& busy = find(all, "GET /busy");
    CHECK_FALSE(busy.deviates());  // 0.02 % as usual, p99 as usual
    CHECK(all.back().name == "GET /busy");
    CHECK(
        deviation_text(all[0]) ==
        "7 of 12 requests failed (58.33 %, usually 0.20 %); p99 80.0 ms (usually 90.0 ms)"
    );
    const auto asked = sample_endpoints(all, 20);
    REQUIRE(asked.size() == 3);
    CHECK(asked[0].name == "POST /rare");
    CHECK(asked[0].slow_above_ms == 90);
    CHECK(asked[0].typical_below_ms == 22.5);
    CHECK_FALSE(asked[2].slow_above_ms);  // a new endpoint has no usual level
}

TEST_CASE("incident endpoints: one error among many, and p99 barely up, are not deviations") {
    const auto all = endpoint_deviations(window_of(
        {stats("GET /a", 1000, 1, 100, 30),
         stats("GET /b", 1000, 30, 140, 30),
         stats("GET /c", 1000, 0, 130, 30)},
        {stats("GET /a", 100'000, 0, 100, 30),
         stats("GET /b", 100'000, 2500, 100, 30),
         stats("GET /c", 100'000, 0, 100, 30)}
    ));
    for (const auto& e : all) CHECK_FALSE(e.deviates());
}

TEST_CASE("incident samples: every endpoint gets its turn, typical requests keep their room") {
    using R = WindowSample::Reason;
    const std::vector<SampleEndpoint> asked{
        {"A", 100.0, 20.0}, {"B", 100.0, 20.0}, {"C", std::nullopt, std::nullopt}};
    std::vector<WindowSample> offered;
    for (int i = 0; i < 10; ++i) {
        offered.push_back({R::failed, "A", "a" + std::to_string(i)});
        offered.push_back({R::slow, "A", "as" + std::to_string(i)});
    }
    offered.push_back({R::typical, "A", "at"});
    offered.push_back({R::failed, "B", "b0"});
    offered.push_back({R::slow, "B", "b0"});  // the same trace: once
    offered.push_back({R::typical, "B", "bt"});
    offered.push_back({R::failed, "C", "c0"});
    offered.push_back({R::failed, "Z", "z0"});  // not asked: ignored
    const auto chosen = choose_samples(offered, asked, 8);
    REQUIRE(chosen.size() == 8);
    CHECK(chosen[0].trace_id == "a0");
    CHECK(chosen[1].trace_id == "as0");
    CHECK(chosen[2].trace_id == "b0");
    CHECK(chosen[3].trace_id == "c0");  // the rare endpoints in the first round
    CHECK(chosen[4].trace_id == "a1");
    CHECK(chosen[5].trace_id == "as1");
    CHECK(chosen[6].trace_id == "at");  // a quarter kept for typical requests
    CHECK(chosen[7].trace_id == "bt");
    CHECK(choose_samples(offered, asked, 0).empty());
    CHECK(choose_samples({}, asked, 20).empty());
}

TEST_CASE("incident Block Kit: hostile names escaped, hundreds of endpoints within Slack's limits"
) {
    IncidentReport report;
    report.live = true;
    report.service = "<!channel> *svc*";
    report.since_ms = 0;
    report.until_ms = 30 * 60'000;
    report.traces_analysed = 20;
    for (int i = 0; i < 400; ++i) {
        IncidentEndpoint e;
        e.service = report.service;
        e.name = "GET /x" + std::to_string(i) + " <@U1> " + std::string(300, 'y');
        EndpointDeviation d;
        d.name = e.name;
        d.requests = 10;
        d.errors = 9;
        d.error_rate = 0.9;
        d.failing = true;
        e.window = d;
        report.endpoints.push_back(std::move(e));
    }
    IncidentSuspect s;
    s.service = "<!here>";
    s.operation = "op";
    s.traces_with = 3;
    s.evidence.push_back({"b7e1c4d2a9f04e3b8c6d5a4f3e2d1c0b", {"1"}, "failed with `<script>` &"});
    report.suspects.push_back(s);
    for (const auto& message :
         {render_incident_blocks_summary(report), render_incident_blocks_detail(report)}) {
        nra::test::check_block_kit(message);  // limits, and mrkdwn without live mentions
        for (const auto& block : message.blocks) {
            if (block["type"] == "header") continue;  // plain_text: Slack shows it as written
            const auto text = block.dump();
            CHECK(text.find("<!channel>") == std::string::npos);
            CHECK(text.find("<!here>") == std::string::npos);
            CHECK(text.find("<@U1>") == std::string::npos);
        }
    }
    CHECK(
        render_incident_blocks_summary(report).blocks.dump().find("last 30 min") !=
        std::string::npos
    );
}

}  // namespace incident_window_test
