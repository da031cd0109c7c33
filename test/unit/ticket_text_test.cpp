// Jira ticket drafts from a report: summary line, description and comment in TicketDraft's plain
// structured text, labels with the deduplicating fingerprint.
#include "nra/report/ticket_text.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "nra/report/report_build.hpp"

namespace ticket_text_test {

using namespace nra;

namespace {

Report cart_report() {
    Report report;
    report.service = "checkout";
    report.window = {1'714'550'400'000, 1'715'155'200'000};
    EndpointReport e;
    e.stats.name = "GET /cart";
    e.stats.count = 1'209'600;
    e.stats.throughput_rpm = 120;
    e.stats.p50_ms = 400;
    e.stats.p95_ms = 1800;
    e.stats.p99_ms = 2600;
    e.stats.errors = 120;
    e.stats.satisfied = 1'000'000;
    e.previous = e.stats;
    e.previous->p95_ms = 1400;
    e.breaches = {Breach{"p95_ms", 1800, 1000, false}};
    e.change = Change::worse;
    e.impact = 0.42;
    e.impact_basis = "excess_latency";
    Suggestion s;
    s.kind = "n_plus_one_db";
    s.service = "orders";
    s.what = "SELECT * FROM items\nWHERE `cart_id` = ?";
    s.traces_with = 3;
    s.traces_sampled = 3;
    s.total_ms = 2460;
    s.saving_ms = 780;
    s.advice = "Load the items with one query.";
    s.code_url = "https://github.com/acme/orders/blob/main/src/repo.py#L42";
    e.suggestions = {s};
    e.sample_trace_ids = {"4bf92f3577b34da6"};
    report.endpoints = {e};
    report.slos.push_back(SloReport{
        "checkout-availability", SloKind::availability, 0.999, 30, 0.9987, -0.3, 2.1, ""});
    return report;
}

}  // namespace

TEST_CASE("ticket summary names service, endpoint and the primary breach", "[unit][ticket]") {
    const Report report = cart_report();
    const TicketDraft draft = make_ticket(report, report.endpoints[0], ImproveConfig{});
    CHECK(draft.summary == "[nr-analyzer] checkout GET /cart: p95 1,800 ms > 1,000 ms");
    CHECK(draft.fingerprint == ticket_fingerprint("checkout", "GET /cart", "p95_ms"));
}

TEST_CASE(
    "ticket description: breaches, figures, change, reasons, SLOs, fingerprint", "[unit][ticket]"
) {
    const Report report = cart_report();
    const TicketDraft draft = make_ticket(report, report.endpoints[0], ImproveConfig{});
    const std::string& d = draft.description;
    CHECK(
        d.find("`GET /cart` in `checkout` breaks its targets in the report window "
               "2024-05-01 → 2024-05-08.") == 0
    );
    CHECK(d.find("\n\n- p95 1,800 ms > 1,000 ms\n\n") != std::string::npos);
    CHECK(
        d.find("Figures: 1,209,600 requests (120 rpm), p50 400 ms, p95 1,800 ms, p99 2,600 ms") !=
        std::string::npos
    );
    CHECK(d.find("worse (p95 +29 %)") != std::string::npos);
    CHECK(d.find("Why, from the 3 slowest sampled traces:") != std::string::npos);
    // The statement's newline and backticks cannot break the structure.
    CHECK(
        d.find("- N+1 queries in `orders`: `SELECT * FROM items WHERE 'cart_id' = ?`") !=
        std::string::npos
    );
    CHECK(
        d.find("<https://github.com/acme/orders/blob/main/src/repo.py#L42|source>") !=
        std::string::npos
    );
    CHECK(d.find("`4bf92f3577b34da6`") != std::string::npos);
    CHECK(
        d.find("- checkout-availability (availability, 99.9 % over 30 days)") != std::string::npos
    );
    CHECK(d.find(draft.fingerprint) != std::string::npos);
    CHECK(draft.comment.find("Still open in the report window 2024-05-01 → 2024-05-08:") == 0);
    CHECK(draft.comment.find("- p95 1,800 ms > 1,000 ms") != std::string::npos);
}

TEST_CASE(
    "ticket labels: the configured ones, then the fingerprint, label-safe", "[unit][ticket]"
) {
    const Report report = cart_report();
    ImproveConfig config;
    config.jira.labels = {"nr-analyzer", "team checkout", "nr-analyzer"};
    const TicketDraft draft = make_ticket(report, report.endpoints[0], config);
    CHECK(
        draft.labels == std::vector<std::string>{"nr-analyzer", "team-checkout", draft.fingerprint}
    );
}

TEST_CASE("ticket summary stays within 255 characters for enormous names", "[unit][ticket]") {
    Report report = cart_report();
    report.endpoints[0].stats.name = "GET /" + std::string(4000, 'x') + "/end";
    report.service = std::string(300, 's');
    const TicketDraft draft = make_ticket(report, report.endpoints[0], ImproveConfig{});
    std::size_t code_points = 0;
    for (const char c : draft.summary) {
        code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    CHECK(code_points <= 255);
    CHECK(draft.summary.find("p95 1,800 ms > 1,000 ms") != std::string::npos);
    CHECK(draft.summary.find("/end") != std::string::npos);  // shortened in the middle
}

TEST_CASE("a non-breaching endpoint gets a review ticket", "[unit][ticket]") {
    Report report = cart_report();
    report.endpoints[0].breaches.clear();
    const TicketDraft draft = make_ticket(report, report.endpoints[0], ImproveConfig{});
    CHECK(draft.summary == "[nr-analyzer] checkout GET /cart: review");
    CHECK(draft.fingerprint == ticket_fingerprint("checkout", "GET /cart", "review"));
    CHECK(draft.description.find("is up for review") != std::string::npos);
}

}  // namespace ticket_text_test
