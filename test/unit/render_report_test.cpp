// Report renderers: the Report JSON contract, terminal text, and Block Kit (channel message,
// thread details with the Jira button, services overview) inside every Slack limit, for small and
// enormous hostile reports.
#include "nra/report/render_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nra/report/report_build.hpp"
#include "unit/render_samples.hpp"

namespace render_report_test {

using nlohmann::json;
using namespace nra;
using test::utf16_units;

namespace {

EndpointStats report_endpoint(
    std::string name, std::int64_t count, double p95, std::int64_t errors
) {
    EndpointStats s;
    s.name = std::move(name);
    s.count = count;
    s.throughput_rpm = static_cast<double>(count) / (7 * 24 * 60.0);
    s.avg_ms = p95 / 2;
    s.p50_ms = p95 / 2;
    s.p95_ms = p95;
    s.p99_ms = p95 * 1.5;
    s.errors = errors;
    s.satisfied = count - errors;
    return s;
}

// checkout: GET /cart breaks p95 (1,800 > 1,000 ms, worse than 1,400 ms), POST /pay breaks the
// error rate, GET /health is fine; one availability SLO overspent; suggestions with a code link.
Report small_report() {
    ServiceStats stats;
    stats.service = "checkout";
    stats.window = {1'714'550'400'000, 1'715'155'200'000};  // 2024-05-01 → 2024-05-08
    stats.endpoints = {
        report_endpoint("GET /cart", 1'209'600, 1800, 120),
        report_endpoint("POST /pay", 100'800, 300, 2'520),
        report_endpoint("GET /health", 2'000'000, 5, 0)};
    stats.previous = {report_endpoint("GET /cart", 1'100'000, 1400, 100)};
    SloInput availability;
    availability.spec.name = "checkout-availability";
    availability.spec.service = "checkout";
    availability.spec.target = 0.999;
    availability.counts = SloCounts{3'000'000, 3'900, 20'000, 42};
    Report report = build_report(stats, ImproveConfig{}, {availability});
    Suggestion n1;
    n1.kind = "n_plus_one_db";
    n1.service = "orders";
    n1.what = "SELECT * FROM items WHERE cart_id = ?";
    n1.traces_with = 3;
    n1.traces_sampled = 3;
    n1.total_ms = 2460;
    n1.saving_ms = 780;
    n1.advice = "Load the items with one query (WHERE cart_id IN …).";
    n1.code_url = "https://github.com/acme/orders/blob/main/src/repo.py#L42";
    report.endpoints.at(0).suggestions = {n1};
    report.endpoints.at(0).sample_trace_ids = {
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"};
    return report;
}

// In mrkdwn every '&' starts one of the three escapes and every '<' opens one of our links.
void check_mrkdwn(const std::string& text) {
    INFO("mrkdwn: " << text.substr(0, 300));
    for (std::size_t i = text.find('&'); i != std::string::npos; i = text.find('&', i + 1)) {
        const std::string rest = text.substr(i, 5);
        CHECK((rest == "&amp;" || rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0));
    }
    for (std::size_t i = text.find('<'); i != std::string::npos; i = text.find('<', i + 1)) {
        CHECK(text.compare(i, 8, "<https:/") == 0);
        CHECK(text.find('|', i) < text.find('>', i));
    }
    CHECK(text.find("\xEF\xBF\xBD") == std::string::npos);  // nothing cut in half
}

void check_text(const nlohmann::json& object, std::size_t max_units) {
    const std::string text = object.at("text").get<std::string>();
    CHECK_FALSE(text.empty());
    CHECK(utf16_units(text) <= max_units);
    if (object.at("type") == "mrkdwn") {
        check_mrkdwn(text);
    }
}

// Serialises a message as the Slack adapter does, checks every limit; returns it parsed.
nlohmann::json check_block_kit(const BlockMessage& rendered) {
    const nlohmann::json message = nlohmann::json::parse(rendered.dump());
    check_text(nlohmann::json{{"type", "mrkdwn"}, {"text", message.at("text")}}, 3000);
    const nlohmann::json& blocks = message.at("blocks");
    REQUIRE(blocks.is_array());
    CHECK_FALSE(blocks.empty());
    CHECK(blocks.size() <= 50);
    for (const auto& block : blocks) {
        const std::string type = block.at("type");
        if (type == "header") {
            check_text(block.at("text"), 150);
        } else if (type == "section" && block.contains("text")) {
            check_text(block.at("text"), 3000);
        } else if (type == "section") {
            CHECK(block.at("fields").size() <= 10);
            for (const auto& field : block.at("fields")) {
                check_text(field, 2000);
            }
        } else if (type == "context") {
            CHECK(block.at("elements").size() <= 10);
            for (const auto& element : block.at("elements")) {
                check_text(element, 3000);
            }
        } else if (type == "actions") {
            for (const auto& element : block.at("elements")) {
                CHECK(element.at("value").get<std::string>().size() <= 2000);
                CHECK(element.at("action_id").get<std::string>().size() <= 255);
            }
        } else {
            FAIL("unexpected block type " << type);
        }
    }
    return message;
}

// Every text of a message, concatenated.
std::string all_text(const nlohmann::json& message) {
    std::string out = message.at("text").get<std::string>() + "\n";
    for (const auto& block : message.at("blocks")) {
        if (block.contains("text")) {
            out += block.at("text").at("text").get<std::string>() + "\n";
        }
        for (const char* key : {"fields", "elements"}) {
            if (block.contains(key) && block.at("type") != "actions") {
                for (const auto& item : block.at(key)) {
                    out += item.at("text").get<std::string>() + "\n";
                }
            }
        }
    }
    return out;
}

}  // namespace

namespace {

// Endpoint names built to break things: markup, escapes, backticks, emoji, 5,000 characters.
std::string hostile_name(int i) {
    std::string name = "GET /x" + std::to_string(i) + " <!channel> & `code` *bold* 🚀 ";
    while (name.size() < 5000) {
        name += "<&>é🚀|";
    }
    return name;
}

Report huge_report() {
    ServiceStats stats;
    stats.service = "svc <&> 🚀";
    stats.window = {1'714'550'400'000, 1'715'155'200'000};
    for (int i = 0; i < 5000; ++i) {
        stats.endpoints.push_back(report_endpoint(
            hostile_name(i), 100'000 + i, i % 3 == 0 ? 5000 : 100, i % 5 == 0 ? 5000 : 0
        ));
        stats.previous.push_back(report_endpoint(hostile_name(i), 100'000, 900, 10));
    }
    stats.truncated = true;
    ImproveConfig config;
    config.top_endpoints = 0;  // show all 5,000
    std::vector<SloInput> slos;
    for (int i = 0; i < 8; ++i) {
        SloInput slo;
        slo.spec.name = std::string(3000, 'n') + "<&>";
        slo.counts = SloCounts{1000, 10, 100, 1};
        slos.push_back(slo);
    }
    Report report = build_report(stats, config, slos);
    Suggestion s;
    s.kind = "slow_db";
    s.service = hostile_name(0);
    s.what = hostile_name(1);
    s.advice = hostile_name(2);
    s.code_url = "https://github.com/a/b/blob/main/" + std::string(3000, 'p') + ".py";
    s.traces_with = 1;
    s.traces_sampled = 3;
    for (std::size_t i = 0; i < report.endpoints.size(); i += 499) {  // the ones checked below
        report.endpoints[i].suggestions.assign(5, s);
        report.endpoints[i].sample_trace_ids.assign(20, std::string(100, 'f'));
    }
    return report;
}

}  // namespace

TEST_CASE("Report JSON keeps the PRODUCT.md contract", "[unit][report-render]") {
    const json out = json::parse(render_report_json(small_report()));
    CHECK(out.at("service") == "checkout");
    CHECK(out.at("window").at("since") == "2024-05-01T08:00:00Z");
    CHECK(out.at("window").at("until") == "2024-05-08T08:00:00Z");
    CHECK(out.at("judged") == 3);
    CHECK(out.at("breaching") == 2);
    const json& endpoints = out.at("endpoints");
    REQUIRE(endpoints.size() == 3);
    for (const char* key :
         {"name",
          "count",
          "throughput_rpm",
          "p50_ms",
          "p95_ms",
          "p99_ms",
          "error_rate",
          "apdex",
          "impact",
          "breaches",
          "previous",
          "suggestions"}) {
        INFO(key);
        CHECK(endpoints[0].contains(key));
    }
    // By impact, descending: the breaching ones first.
    CHECK(endpoints[0].at("name") == "GET /cart");
    CHECK(endpoints[1].at("name") == "POST /pay");
    CHECK(endpoints[0].at("impact").get<double>() >= endpoints[1].at("impact").get<double>());
    CHECK(endpoints[2].at("impact") == 0.0);
    const json& breach = endpoints[0].at("breaches").at(0);
    CHECK(breach.at("metric") == "p95_ms");
    CHECK(breach.at("value") == 1800.0);
    CHECK(breach.at("threshold") == 1000.0);
    CHECK(endpoints[0].at("change") == "worse");
    for (const char* key :
         {"count", "throughput_rpm", "p50_ms", "p95_ms", "p99_ms", "error_rate", "apdex"}) {
        INFO(key);
        CHECK(endpoints[0].at("previous").contains(key));
    }
    CHECK(endpoints[0].at("previous").at("p95_ms") == 1400.0);
    CHECK(endpoints[1].at("previous").is_null());
    const json& suggestion = endpoints[0].at("suggestions").at(0);
    CHECK(suggestion.at("kind") == "n_plus_one_db");
    CHECK(suggestion.at("traces_with") == 3);
    CHECK(suggestion.at("code_url") == "https://github.com/acme/orders/blob/main/src/repo.py#L42");
    const json& slo = out.at("slos").at(0);
    for (const char* key : {"name", "target", "attainment", "budget_remaining", "burn_rate"}) {
        INFO(key);
        CHECK(slo.contains(key));
    }
    CHECK(slo.at("budget_remaining").get<double>() == Approx(-0.3));
    CHECK(slo.at("burn_rate").get<double>() == Approx(2.1));
}

TEST_CASE("Report JSON: unknown figures are null, hostile names survive", "[unit][report-render]") {
    Report report;
    report.service = "s";
    EndpointReport e;
    e.stats.name = "bad \xff utf8 \"quoted\"";
    report.endpoints.push_back(e);
    const json out = json::parse(render_report_json(report));
    CHECK(out.at("endpoints").at(0).at("p95_ms").is_null());
    CHECK(out.at("endpoints").at(0).at("apdex").is_null());
    CHECK(out.at("slos").empty());
}

TEST_CASE(
    "text report: headline, SLOs, ranked table, reasons, lines fit the width",
    "[unit][report-render]"
) {
    const std::string text = render_report_text(small_report(), 90);
    CHECK(text.find("checkout: improvement report, 2024-05-01 → 2024-05-08") != std::string::npos);
    CHECK(
        text.find("2 of 3 judged endpoints break their targets: 1 over p95, 1 over error rate.") !=
        std::string::npos
    );
    CHECK(text.find("−30.00 % (spent)") != std::string::npos);
    CHECK(text.find("! p95 1,800 ms > 1,000 ms") != std::string::npos);
    CHECK(text.find("worse (p95 +29 %)") != std::string::npos);
    CHECK(text.find("N+1 queries in orders") != std::string::npos);
    CHECK(
        text.find("https://github.com/acme/orders/blob/main/src/repo.py#L42") != std::string::npos
    );
    CHECK(text.find("GET /cart") < text.find("POST /pay"));
    std::size_t start = 0;
    for (std::size_t end = text.find('\n'); end != std::string::npos;
         end = text.find('\n', start)) {
        const std::string line = text.substr(start, end - start);
        INFO(line);
        CHECK(utf16_units(line) <= 90);
        start = end + 1;
    }
}

TEST_CASE("text report: the impact column says what it is a share of and never overflows") {
    Report report = small_report();
    REQUIRE(report.endpoints.size() >= 2);
    report.endpoints[0].impact = 25.0;  // 25 error budgets burned: 2,500 %
    report.endpoints[0].impact_basis = "error_budget";
    report.endpoints[1].impact = 0.4525;
    report.endpoints[1].impact_basis = "dissatisfied";
    const std::string text = render_report_text(report, 90);
    CHECK(text.find("  2,500 % err-budget\n") != std::string::npos);
    CHECK(text.find("  45.25 % dissat\n") != std::string::npos);
    CHECK(
        text.find("  impact: share of the service's dissatisfied requests (dissat)") !=
        std::string::npos
    );
}

TEST_CASE(
    "channel message: headline, SLO budget, endpoints one line each", "[unit][report-render]"
) {
    const json message = check_block_kit(render_report_blocks_summary(small_report()));
    const json& blocks = message.at("blocks");
    CHECK(blocks.at(0).at("text").at("text") == "checkout: 2 endpoints need work");
    const std::string text = all_text(message);
    CHECK(text.find("2 of 3 judged endpoints break their targets") != std::string::npos);
    CHECK(
        text.find("checkout-availability (availability, 99.9 % over 30 days)") != std::string::npos
    );
    CHECK(text.find("budget left −30.00 % (spent)") != std::string::npos);
    const std::size_t cart = text.find("*1.* `GET /cart` — *p95 1,800 ms &gt; 1,000 ms*");
    const std::size_t pay = text.find(
        "*2.* `POST /pay` — *error rate 2.50 % &gt; 1.00 %* · 76.12 % of the error budget · _new "
        "endpoint, breaching_"
    );
    CHECK(cart != std::string::npos);
    CHECK(pay != std::string::npos);
    CHECK(cart < pay);
    CHECK(message.at("text").get<std::string>().find("checkout") == 0);
}

TEST_CASE(
    "thread details: figures, breaches, reasons with code links, the Jira button",
    "[unit][report-render]"
) {
    const Report report = small_report();
    const std::vector<BlockMessage> details = render_report_blocks_details(report);
    std::size_t breaching = 0;
    for (const auto& e : report.endpoints) breaching += e.breaches.empty() ? 0 : 1;
    REQUIRE(breaching < report.endpoints.size());  // one endpoint meets its targets…
    REQUIRE(details.size() == breaching);          // …and gets no thread message
    const json first = check_block_kit(details[0]);
    const std::string text = all_text(first);
    CHECK(text.find("• p95 1,800 ms &gt; 1,000 ms") != std::string::npos);
    CHECK(text.find("*N+1 queries* in `orders`") != std::string::npos);
    CHECK(
        text.find("<https://github.com/acme/orders/blob/main/src/repo.py#L42|source>") !=
        std::string::npos
    );
    CHECK(text.find("`4bf92f3577b34da6a3ce929d0e0e4736`") != std::string::npos);
    CHECK(text.find("worse (p95 +29 %)") != std::string::npos);
    const json& actions = first.at("blocks").back();
    REQUIRE(actions.at("type") == "actions");
    const json& button = actions.at("elements").at(0);
    CHECK(button.at("action_id") == "improve_jira");
    CHECK(button.at("text").at("text") == "Create Jira ticket");
    const json value = json::parse(button.at("value").get<std::string>());
    CHECK(value == json{{"s", "checkout"}, {"e", "GET /cart"}});
}

TEST_CASE(
    "Block Kit limits hold for 5,000 endpoints with enormous hostile names", "[unit][report-render]"
) {
    const Report report = huge_report();
    REQUIRE(report.endpoints.size() == 5000);
    const json summary = check_block_kit(render_report_blocks_summary(report));
    CHECK(all_text(summary).find("more endpoints") != std::string::npos);

    // Thread details are one message per endpoint: a slice shows the same limits.
    Report slice = report;
    slice.endpoints.resize(500);
    const std::vector<BlockMessage> details = render_report_blocks_details(slice);
    REQUIRE(details.size() == 500);
    for (std::size_t i = 0; i < details.size(); i += 499) {  // the endpoints with suggestions
        const json message = check_block_kit(details[i]);
        CHECK(all_text(message).find("*Slow query*") != std::string::npos);
        const json& button = message.at("blocks").back().at("elements").at(0);
        const json value = json::parse(button.at("value").get<std::string>());
        const std::string shown = value.at("e");
        CHECK(shown.size() < report.endpoints[i].stats.name.size());
        CHECK(shown.rfind("GET /x", 0) == 0);
    }
    slice.endpoints.resize(100);
    const std::string text = render_report_text(slice, 60);
    CHECK(text.find("\x1b") == std::string::npos);
    CHECK(text.find("Slow query in GET /x0") != std::string::npos);
}

TEST_CASE(
    "services overview: most breaching first, then least budget left", "[unit][report-render]"
) {
    Report calm;
    calm.service = "calm";
    calm.judged = calm.total_endpoints = 4;
    Report tight = calm;
    tight.service = "tight";
    tight.slos.push_back(SloReport{"avail", SloKind::availability, 0.999, 30, 0.998, -0.5, 3.0, ""}
    );
    Report busy = small_report();
    const json message = check_block_kit(render_services_overview({calm, tight, busy}));
    const std::string text = all_text(message);
    CHECK(
        text.find("1 of 3 services have endpoints that break their targets.") != std::string::npos
    );
    const std::size_t a = text.find("*checkout*");
    const std::size_t b = text.find("*tight*");
    const std::size_t c = text.find("*calm*");
    CHECK(a < b);
    CHECK(b < c);
    CHECK(c != std::string::npos);
    CHECK(text.find("Worst: `GET /cart`") != std::string::npos);

    std::vector<Report> many(600, busy);
    for (std::size_t i = 0; i < many.size(); ++i) {
        many[i].service = hostile_name(static_cast<int>(i));
    }
    check_block_kit(render_services_overview(many));
    check_block_kit(render_services_overview({}));
}

TEST_CASE(
    "Report text: bidi and zero-width characters never reach the terminal", "[unit][report-render]"
) {
    Report report = small_report();
    report.service = "svc\u202Eexe.txt\u200B";
    report.endpoints.front().stats.name = "GET /\u2066x\u2069\u200Ey\u061C";
    const std::string text = render_report_text(report, 90);
    for (const std::string_view bad :
         {"\u202E", "\u200B", "\u2066", "\u2069", "\u200E", "\u061C"}) {
        CHECK(text.find(bad) == std::string::npos);
    }
    CHECK(text.find("svcexe.txt") != std::string::npos);
    CHECK(text.find("GET /xy") != std::string::npos);
}

TEST_CASE("an empty report renders everywhere", "[unit][report-render]") {
    Report empty;
    empty.service = "quiet";
    const json summary = check_block_kit(render_report_blocks_summary(empty));
    CHECK(all_text(summary).find("No endpoints with traffic in this window.") != std::string::npos);
    CHECK(render_report_blocks_details(empty).empty());
    CHECK(render_report_text(empty).find("No endpoints") != std::string::npos);
}

}  // namespace render_report_test
