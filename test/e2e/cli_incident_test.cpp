// `nr-analyzer incident` offline, as a user runs it: a window of trace files (a directory, files,
// documents holding several traces) with recorded baselines, the Incident JSON contract, and bad
// input (nothing given, a missing directory, junk files, a service no trace passes through).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.hpp"

namespace cli_incident_test {

using namespace nra::test;

namespace {

const std::string kDemo = std::string(NRA_SOURCE_DIR) + "/demo";

std::string write(const std::string& name, const std::string& text) {
    const std::string path = std::string(NRA_TEST_TMP_DIR) + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

}  // namespace

TEST_CASE("incident over the demo traces: the contract, suspects with trace ids, the endpoints") {
    const auto run = run_cli(
        "",
        "incident --dir " + kDemo + "/traces --baseline " + kDemo + "/baselines.json --format json"
    );
    REQUIRE(run.exit_code == 0);
    const auto j = nlohmann::json::parse(run.out);
    CHECK(j["traces_analysed"] == 12);
    CHECK(
        j["window"]["since_ms"].get<std::int64_t>() < j["window"]["until_ms"].get<std::int64_t>()
    );
    REQUIRE_FALSE(j["suspects"].empty());
    for (const auto& s : j["suspects"]) {
        for (const char* key :
             {"service",
              "operation",
              "kind",
              "confidence",
              "score",
              "excess_ms",
              "traces_with",
              "evidence"}) {
            CHECK(s.contains(key));
        }
        REQUIRE_FALSE(s["evidence"].empty());
        CHECK(s["evidence"][0]["trace_id"].get<std::string>().size() == 32);
    }
    CHECK(j["endpoints"].size() == 6);  // six endpoints, four of them more than once
    CHECK(j.contains("changes"));
    CHECK(j.contains("notes"));
}

TEST_CASE("incident text leads with the top suspect, a service keeps only its traces") {
    const auto run = run_cli(
        "",
        "incident fraud-check --file " + kDemo +
            "/traces/a1b2c3d4e5f60718293a4b5c6d7e8f90.json --file " + kDemo +
            "/traces/7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d.json --baseline " + kDemo + "/baselines.json"
    );
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.rfind("Incident · fraud-check · 1 traces analysed", 0) == 0);
    CHECK(run.out.find("Suspect: ") != std::string::npos);
    CHECK(run.out.find("do not pass through fraud-check") != std::string::npos);
}

TEST_CASE("incident: a document with several traces counts each of them") {
    const std::string rows = R"({"results":[
      {"trace.id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","id":"a1","name":"GET /x","service.name":"web","timestamp":1700000000000,"duration.ms":100},
      {"trace.id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","id":"b1","name":"GET /x","service.name":"web","timestamp":1700000001000,"duration.ms":120},
      {"trace.id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","id":"b2","parent.id":"b1","name":"SELECT","service.name":"web","timestamp":1700000001001,"duration.ms":50}]})";
    const auto run =
        run_cli("", "incident --file " + write("two/traces.json", rows) + " --format json");
    REQUIRE(run.exit_code == 0);
    CHECK(nlohmann::json::parse(run.out)["traces_analysed"] == 2);
}

TEST_CASE("incident: bad input gets one clear line") {
    auto run = run_cli("", "incident");
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("--file F") != std::string::npos);
    run = run_cli("", "incident --dir /nonexistent/window");
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("cannot list /nonexistent/window") != std::string::npos);
    write("junk/a.json", "{\"not\": \"a trace\"}");
    write("junk/b.txt", "\x1b[31mhello");
    run = run_cli("", "incident --dir " + std::string(NRA_TEST_TMP_DIR) + "/junk");
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("Skipped") != std::string::npos);
    CHECK(run.out.find("\x1b") == std::string::npos);
    run = run_cli("", "incident nobody --dir " + kDemo + "/traces");
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("Inconclusive") != std::string::npos);
}

TEST_CASE("incident <service> on the demo: the rare endpoint's fault, found with no account") {
    const auto run = run_cli("", "incident web-gateway --since 1h --format json");
    REQUIRE(run.exit_code == 0);
    const auto j = nlohmann::json::parse(run.out);
    CHECK(j["service"] == "web-gateway");
    CHECK(
        j["window"]["until_ms"].get<std::int64_t>() - j["window"]["since_ms"].get<std::int64_t>() ==
        3'600'000
    );
    REQUIRE_FALSE(j["suspects"].empty());
    CHECK(j["suspects"][0]["service"] == "giftcard-service");
    CHECK(j["suspects"][0]["evidence"][0]["trace_id"] == "b7e1c4d2a9f04e3b8c6d5a4f3e2d1c0b");
    CHECK(j["suspects"][0]["blast_radius"]["matching"].get<int>() > 0);
    REQUIRE_FALSE(j["endpoints"].empty());
    CHECK(j["endpoints"][0]["name"] == "POST /api/gift-cards/redeem");
    CHECK(j["endpoints"][0]["window"]["failing"] == true);
    CHECK(run.out.find("\"version\": \"2.8.0\"") != std::string::npos);
    const auto blocks = run_cli("", "incident web-gateway --format blocks");
    REQUIRE(blocks.exit_code == 0);
    CHECK(nlohmann::json::parse(blocks.out)["summary"]["blocks"].size() >= 3);
}

TEST_CASE("incident <service>: a week, a typo, options that do not go together") {
    const auto week = run_cli("", "incident web-gateway --since 7d");
    CHECK(week.exit_code == 2);
    CHECK(week.err.find("24h") != std::string::npos);
    const auto typo = run_cli("", "incident web-gatewy");
    CHECK(typo.exit_code == 1);
    CHECK(typo.err.find("did you mean `web-gateway`") != std::string::npos);
    const auto mixed = run_cli("", "incident --file x.json --since 1h");
    CHECK(mixed.exit_code == 2);
    const auto none = run_cli("", "incident");
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("give a service") != std::string::npos);
}

}  // namespace cli_incident_test
