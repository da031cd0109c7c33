// `nr-analyzer trace <id>` as a user runs it: the real binary in a child process, configured
// only through the environment, against the fake NerdGraph over plain HTTP and TLS.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_run.hpp"
#include "support/fake_nerdgraph.hpp"
#include "support/fixtures.hpp"
#include "support/scratch_dir.hpp"
#include "support/test_pki.hpp"

namespace cli_newrelic_test {

using namespace nra::test;

namespace {

std::string nr_env(const FakeNerdGraph& fake, const std::string& accounts) {
    return std::string("NEW_RELIC_API_KEY=") + FakeNerdGraph::kApiKey +
           " NEW_RELIC_ACCOUNT_ID=" + accounts + " NEW_RELIC_GRAPHQL_URL=" + fake.url() +
           " NEW_RELIC_REQUERIES=0";
}

nlohmann::json rows_of(const std::string& fixture) {
    auto doc = nlohmann::json::parse(read_fixture(fixture));
    if (doc.contains("results")) return doc["results"];
    return doc["data"]["actor"]["account"]["nrql"]["results"];
}

const std::string kId = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kBig = "0123456789abcdef0123456789abcdef";

}  // namespace

TEST_CASE("agent and OpenTelemetry traces over plain HTTP, as JSON") {
    FakeNerdGraph fake;
    const auto fixture =
        GENERATE(std::string("newrelic/agent-rows.json"), std::string("newrelic/otel-rows.json"));
    fake.add_rows(42, rebase_rows(rows_of(fixture), now_ms() - 600'000));
    auto run = run_cli(nr_env(fake, "42"), "trace " + kId + " --format json");
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto summary = nlohmann::json::parse(run.out);
    CHECK(summary["trace_id"] == kId);
    CHECK(summary["span_count"] == 5);
    CHECK(summary["complete"] == true);
    CHECK(run.err.find(FakeNerdGraph::kApiKey) == std::string::npos);
}

TEST_CASE("a multi-account trace over TLS with a test CA") {
    FakeServerOptions tls;
    tls.tls = true;
    FakeNerdGraph fake(tls);
    auto rows = make_trace_rows(kBig, 60, RowDialect::otel, now_ms() - 600'000);
    nlohmann::json a = nlohmann::json::array();
    nlohmann::json b = nlohmann::json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) (i < 30 ? a : b).push_back(rows[i]);
    fake.add_rows(1, a);
    fake.add_rows(2, b);
    const std::string env = nr_env(fake, "1,2") + " NR_ANALYZER_CA_FILE=" + test_pki().ca_file;
    auto run = run_cli(env, "trace " + kBig + " --format json");
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto summary = nlohmann::json::parse(run.out);
    CHECK(summary["span_count"] == 60);
    CHECK(summary["complete"] == true);
    CHECK(fake.variables_log()[0]["accounts"] == nlohmann::json::array({1, 2}));

    SECTION("without the CA the certificate is refused") {
        auto refused = run_cli(nr_env(fake, "1,2"), "trace " + kBig);
        CHECK(refused.exit_code == 1);
        CHECK(refused.err.find("TLS certificate") != std::string::npos);
    }
}

TEST_CASE("a 12,000-span trace, paged") {
    FakeNerdGraph fake;
    fake.add_rows(9, make_trace_rows(kBig, 12'000, RowDialect::agent, now_ms() - 600'000));
    auto run = run_cli(nr_env(fake, "9"), "trace " + kBig + " --format json");
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto summary = nlohmann::json::parse(run.out);
    CHECK(summary["span_count"] == 12'000);
    CHECK(summary["complete"] == true);
    CHECK(fake.nrql_log().size() >= 5);
}

TEST_CASE("configuration and lookup errors are one clear line") {
    FakeNerdGraph fake;
    SECTION("no account") {
        auto run =
            run_cli(std::string("NEW_RELIC_API_KEY=") + FakeNerdGraph::kApiKey, "trace " + kId);
        CHECK(run.exit_code == 1);
        CHECK(run.err == "error: NEW_RELIC_ACCOUNT_ID is required with NEW_RELIC_API_KEY\n");
    }
    SECTION("unknown trace") {
        auto run = run_cli(nr_env(fake, "5"), "trace " + kId);
        CHECK(run.exit_code == 1);
        CHECK(run.err.rfind("error: no spans for trace " + kId, 0) == 0);
    }
    SECTION("injection attempt") {
        auto run = run_cli(nr_env(fake, "5"), "trace \"abc' OR trace.id LIKE '%\"");
        CHECK(run.exit_code == 1);
        CHECK(run.err.rfind("error: expected a trace id", 0) == 0);
        CHECK(fake.server().requests().empty());
    }
    SECTION("a CA file that is not there") {
        auto run =
            run_cli(nr_env(fake, "5") + " NR_ANALYZER_CA_FILE=/nonexistent/ca.pem", "trace " + kId);
        CHECK(run.exit_code == 1);
        CHECK(
            run.err ==
            "error: NR_ANALYZER_CA_FILE (/nonexistent/ca.pem) is not a readable PEM "
            "certificate\n"
        );
    }
    SECTION("the key comes from a file") {
        const std::string key_file = std::string(NRA_TEST_TMP_DIR) + "/nr_key.txt";  // one case
        std::ofstream(key_file) << FakeNerdGraph::kApiKey << "\n";
        fake.add_rows(5, rebase_rows(rows_of("newrelic/agent-rows.json"), now_ms() - 600'000));
        auto run = run_cli(
            "NEW_RELIC_API_KEY_FILE=" + key_file + " NEW_RELIC_ACCOUNT_ID=5" +
                " NEW_RELIC_GRAPHQL_URL=" + fake.url(),
            "trace " + kId
        );
        INFO(run.err);
        CHECK(run.exit_code == 0);
        CHECK(run.out.find("5 spans") != std::string::npos);
    }
}

}  // namespace cli_newrelic_test
