// Every series the metrics table of docs/production.md documents is on a fresh server's /metrics
// from the start (unlabelled ones at 0), and everything /metrics exports is documented there.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "slack_e2e.hpp"

namespace metrics_documented_test {

using namespace nra::test;

namespace {

struct Documented {
    std::string name;
    bool labelled = false;
};

// The `nra_…` names in the first column of the metrics table of docs/production.md (the first
// table after "## Metrics", up to the blank line after it).
std::vector<Documented> readme_metrics() {
    std::ifstream in(std::string(NRA_SOURCE_DIR) + "/docs/production.md");
    std::stringstream text;
    text << in.rdbuf();
    const std::string readme = text.str();
    const auto start = readme.find("\n## Metrics\n");
    REQUIRE(start != std::string::npos);
    const auto table = readme.find("\n|", start);
    const auto end = readme.find("\n\n", table);
    std::istringstream rows(readme.substr(table, end - table));
    static const std::regex name(R"(`(nra_[a-z_]+)(\{[a-z_,]+\})?`)");
    std::vector<Documented> out;
    for (std::string row; std::getline(rows, row);) {
        const auto first_cell = row.substr(0, row.find('|', 1));
        for (std::sregex_iterator m(first_cell.begin(), first_cell.end(), name), e; m != e; ++m) {
            out.push_back({(*m)[1], (*m)[2].matched});
        }
    }
    return out;
}

std::string scrape(const ServerProcess& server) {
    boost::asio::io_context ioc;
    nra::http::Client client(ioc.get_executor(), {});
    nra::http::Request request;
    request.method = "GET";
    request.url = server.url("/metrics");
    const auto out = run_blocking(ioc, client.send(request));
    REQUIRE(out.ok());
    REQUIRE(out.response.status == 200);
    return out.response.body;
}

}  // namespace

TEST_CASE("a fresh server's /metrics has every documented series and only those") {
    const auto documented = readme_metrics();
    REQUIRE(documented.size() >= 14);
    ServerProcess server(
        {{"PORT", "0"},
         {"SLACK_SIGNING_SECRET", kSecret},
         {"SLACK_BOT_TOKEN", "xoxb-metrics"},
         {"SLACK_API_URL", "http://127.0.0.1:9/api"}}
    );
    const std::string text = "\n" + scrape(server);
    INFO(text);
    std::set<std::string> names;
    for (const auto& d : documented) {
        INFO(d.name);
        names.insert(d.name);
        CHECK(text.find("\n# TYPE " + d.name + " ") != std::string::npos);
        if (!d.labelled) CHECK(text.find("\n" + d.name + " 0\n") != std::string::npos);
    }
    static const std::regex type(R"(\n# TYPE (nra_[a-z_]+) )");
    for (std::sregex_iterator m(text.begin(), text.end(), type), e; m != e; ++m) {
        INFO("exported but not documented: " << (*m)[1]);
        CHECK(names.contains((*m)[1]));
    }
    CHECK(server.terminate() == 0);
}

}  // namespace metrics_documented_test
