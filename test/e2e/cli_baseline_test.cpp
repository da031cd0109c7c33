// Baselines as a user meets them in the terminal: `nr-analyzer trace <id>` against the fake
// NerdGraph (the baseline query answered in New Relic's FACET + percentile shape from Span
// events), the demo dataset with no account, and trace files with and without --baseline.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.hpp"
#include "support/demo_rows.hpp"
#include "support/fake_nerdgraph.hpp"

namespace cli_baseline_test {

using namespace nra;
using namespace nra::test;

namespace {

const std::string kSearch = "7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d";
const std::string kQuery = "Datastore/statement/Postgres/products/select";
const std::string kOdd = "Function/it's \"odd\" \\ naïve 検索";
const std::string kDemoTrace = demo_trace_path(kSearch);
const std::string kDemoBaselines = std::string(NRA_SOURCE_DIR) + "/demo/baselines.json";

std::string nr_env(const FakeNerdGraph& fake) {
    return std::string("NEW_RELIC_API_KEY=") + FakeNerdGraph::kApiKey +
           " NEW_RELIC_ACCOUNT_ID=42 NEW_RELIC_GRAPHQL_URL=" + fake.url() +
           " NEW_RELIC_REQUERIES=0";
}

// The demo's slow-search trace as New Relic rows, ten minutes old, with one span renamed to a
// name full of quotes, backslashes and unicode.
nlohmann::json search_rows() {
    auto rows = demo_trace_rows(kSearch);
    for (auto& row : rows) {
        if (row["name"] == "Function/search.serializers:serialize_results") row["name"] = kOdd;
    }
    return rebase_rows(rows, now_ms() - 600'000);
}

// Usual durations over the last hours: the query ~60 ms, the renamed function ~10 ms (so its
// 71 ms here is slower), and spans of this very trace that must not count.
void add_history(FakeNerdGraph& fake) {
    const auto to = now_ms() - 3'600'000;
    const auto from = to - 6 * 3'600'000;
    std::vector<double> usual(200, 60.0);
    for (std::size_t i = 0; i < usual.size(); i += 10) usual[i] = 150;
    fake.add_requests(
        42, make_span_events("search-service", ServiceKind::apm, kQuery, usual, from, to)
    );
    const std::vector<double> quick(50, 10.0);
    fake.add_requests(
        42, make_span_events("search-service", ServiceKind::apm, kOdd, quick, from, to)
    );
    const std::vector<double> own(30, 5000.0);  // would make the query look usual
    fake.add_requests(
        42, make_span_events("search-service", ServiceKind::apm, kQuery, own, from, to, kSearch)
    );
}

std::string baseline_nrql(const FakeNerdGraph& fake) {
    for (const auto& nrql : fake.nrql_log()) {
        if (nrql.find("FACET entity.name, name") != std::string::npos) return nrql;
    }
    return {};
}

const nlohmann::json* row_named(const nlohmann::json& list, const std::string& name) {
    for (const auto& item : list) {
        if (item["name"] == name) return &item;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("trace against New Relic says which part was unusual and by how much", "[e2e]") {
    FakeNerdGraph fake;
    fake.add_rows(42, search_rows());
    add_history(fake);
    auto run = run_cli(nr_env(fake), "trace " + kSearch + " --format json");
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const auto summary = nlohmann::json::parse(run.out);
    REQUIRE(summary["baseline"]["state"] == "applied");
    // 1,844 ms against a usual 60 ms: about 1.78 s of the 2.07 s request is unusual.
    CHECK(summary["unusual_ms"].get<double>() > 1700);
    CHECK(summary["unusual_ms"].get<double>() <= summary["duration_ms"].get<double>());
    const auto* query = row_named(summary["slow_spans"], kQuery);
    REQUIRE(query != nullptr);
    CHECK((*query)["baseline"]["verdict"] == "slower");
    CHECK((*query)["baseline"]["p50_ms"].get<double>() == Approx(60));
    CHECK((*query)["baseline"]["samples"] == 200);  // this trace's own spans excluded
    const auto* odd = row_named(summary["slow_spans"], kOdd);
    REQUIRE(odd != nullptr);
    CHECK((*odd)["baseline"]["verdict"] == "slower");  // the odd name came back intact
    CHECK(summary["baseline"]["unusual"][0]["name"] == kQuery);

    const auto nrql = baseline_nrql(fake);
    REQUIRE_FALSE(nrql.empty());
    CHECK(nrql.find(R"('Function/it\'s "odd" \\ naïve 検索')") != std::string::npos);
    CHECK(nrql.find("(trace.id IS NULL OR trace.id != '" + kSearch + "')") != std::string::npos);
    CHECK(nrql.size() < 4000);
    CHECK(run.err.find(FakeNerdGraph::kApiKey) == std::string::npos);
}

TEST_CASE(
    "a rate-limited baseline query still gives the summary, marked without baseline", "[e2e]"
) {
    FakeNerdGraph fake;
    fake.add_rows(42, search_rows());
    add_history(fake);
    for (int i = 0; i < 20; ++i) {
        fake.push_fault(NerdGraphFault::http(429, "0").when_nrql_contains("FACET entity.name"));
    }
    auto run = run_cli(nr_env(fake), "trace " + kSearch);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("GET /api/search") != std::string::npos);
    CHECK(run.out.find("No baseline:") != std::string::npos);
    CHECK(run.out.find("is unusual") == std::string::npos);
}

TEST_CASE("the demo's slow-query trace names the unusual query with no account", "[e2e]") {
    auto run = run_cli("", "trace " + kSearch);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("1.78 s of this 2.07 s request is unusual") != std::string::npos);
    CHECK(
        run.out.find("`" + kQuery + "` (search-service) took 1.84 s, usually 62.0 ms") !=
        std::string::npos
    );
}

TEST_CASE("a trace file has no baseline and says so once", "[e2e]") {
    auto run = run_cli("", "trace --file " + kDemoTrace);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const auto first = run.out.find("No baseline:");
    REQUIRE(first != std::string::npos);
    CHECK(run.out.find("No baseline:", first + 1) == std::string::npos);
    CHECK(run.out.find("--baseline FILE") != std::string::npos);
}

TEST_CASE("a trace file with a recorded baseline answer is compared with it", "[e2e]") {
    auto run = run_cli("", "trace --file " + kDemoTrace + " --baseline " + kDemoBaselines);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("1.78 s of this 2.07 s request is unusual") != std::string::npos);
    CHECK(run.out.find("No baseline:") == std::string::npos);

    SECTION("a file that is not a baseline answer is one clear error") {
        auto bad = run_cli("", "trace --file " + kDemoTrace + " --baseline " + kDemoTrace);
        CHECK(bad.exit_code == 1);
        CHECK(bad.err.rfind("error: ", 0) == 0);
        CHECK(bad.err.find("not a baseline answer") != std::string::npos);
        CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
    }
}

}  // namespace cli_baseline_test
