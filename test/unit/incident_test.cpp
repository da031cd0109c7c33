// The window's suspects: each trace votes with the share of its request a suspect explains, so a
// service that explains most of many requests leads and noise stays small; inconclusive when no
// trace points anywhere; the typical request of each endpoint chosen within the window.
#include "nra/analysis/incident.hpp"

#include <catch2/catch.hpp>

#include "support/trace_builder.hpp"

namespace incident_test {

using namespace nra;
using nra::test::TraceBuilder;

namespace {

Summary trace_with(
    std::string id, double ms, std::vector<std::pair<std::string, double>> suspects
) {
    Summary s;
    s.trace_id = std::move(id);
    s.duration_ms = ms;
    s.root.service = "web";
    s.root.name = "GET /x";
    for (auto& [service, score] : suspects) {
        Suspect suspect;
        suspect.service = service;
        suspect.score = score;
        suspect.excess_ms = score;
        suspect.evidence.push_back({"`" + service + "` did it", {"span-1"}});
        s.suspects.push_back(std::move(suspect));
    }
    return s;
}

}  // namespace

TEST_CASE("incident: the service explaining most of many requests leads, noise stays small") {
    const auto a = trace_with("a", 1000, {{"db", 800}, {"cache", 30}});
    const auto b = trace_with("b", 500, {{"db", 450}});
    const auto c = trace_with("c", 100, {{"cache", 10}});
    const auto d = trace_with("d", 100, {});
    const auto report = aggregate_incident("", {&a, &b, &c, &d});
    CHECK(report.service == "web");
    CHECK(report.traces_analysed == 4);
    REQUIRE(report.suspects.size() == 2);
    CHECK(report.suspects[0].service == "db");
    CHECK(report.suspects[0].score == Approx(1.7));
    CHECK(report.suspects[0].traces_with == 2);
    CHECK(report.suspects[0].confidence == Confidence::high);
    CHECK(report.suspects[0].evidence.front().trace_id == "b");  // the larger share first
    CHECK(report.suspects[1].service == "cache");
    CHECK(report.notes.back().find("1 of the 4 traces") != std::string::npos);
    REQUIRE(report.endpoints.size() == 1);
    CHECK(report.endpoints[0].traces == 4);
}

TEST_CASE("incident: nothing points anywhere, or nothing to analyse, is inconclusive") {
    const auto a = trace_with("a", 100, {});
    auto report = aggregate_incident("web", {&a});
    CHECK(report.suspects.empty());
    CHECK(report.notes.front().rfind("Inconclusive", 0) == 0);
    report = aggregate_incident("web", {});
    CHECK(report.traces_analysed == 0);
    CHECK(report.notes.front().rfind("Inconclusive", 0) == 0);
}

TEST_CASE("incident: the typical request of each endpoint is an error-free one near its median") {
    std::vector<TraceTree> trees;
    const std::int64_t durations[] = {100, 110, 500, 120, 90};
    for (int i = 0; i < 5; ++i) {
        TraceBuilder b(std::string(32, static_cast<char>('a' + i)));
        b.add("r", "", "web", "GET /x", 0, durations[i] * 1000).error = i == 3;
        trees.push_back(assemble(b.build()));
    }
    TraceBuilder lone(std::string(32, 'f'));
    lone.add("r", "", "web", "POST /y", 0, 1000);
    trees.push_back(assemble(lone.build()));
    std::vector<const TraceTree*> views;
    for (const auto& t : trees) views.push_back(&t);
    const auto typical = typical_in_window(views);
    CHECK(typical[0] == 1);  // clean: 100, 110, 500, 90 → median 110 (index 1)
    CHECK(typical[1] == 0);  // itself excluded: the next nearest (100)
    CHECK(typical[3] == 1);
    CHECK(typical[5] == -1);  // alone on its endpoint
}

}  // namespace incident_test
