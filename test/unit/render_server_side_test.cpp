// Zipkin client/server halves sharing one span id: assembly keeps ids unique internally, but
// outputs show the real id (which can be searched for in Zipkin) and "(server side)".
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/formats/formats.hpp"
#include "nra/render/render.hpp"
#include "nra/span.hpp"
#include "support/fixtures.hpp"

namespace render_server_side_test {

namespace {

bool contains(const nlohmann::json& list, const std::string& id) {
    return std::find(list.begin(), list.end(), id) != list.end();
}

}  // namespace

TEST_CASE("shown_span_id: the real id and the side for a server half, other ids unchanged") {
    const std::string server_half = "c47bff7f7964b321" + std::string(nra::kServerHalfSuffix);
    CHECK(nra::shown_span_id(server_half) == "c47bff7f7964b321 (server side)");
    CHECK(nra::shown_span_id("c47bff7f7964b321") == "c47bff7f7964b321");
    CHECK(nra::shown_span_id(nra::kServerHalfSuffix) == nra::kServerHalfSuffix);
    CHECK(nra::shown_span_id("") == "");
    CHECK(nra::shown_span_id("a#2") == "a#2");
}

TEST_CASE("smartthings: shared server halves keep unique ids inside, real ids in the JSON") {
    // Not support/trace_reading.hpp: its parameter `json` would shadow nra::test::json of
    // block_kit_checks.hpp, which a renderer test in the same unity batch includes.
    auto read =
        nra::read_trace(nra::test::read_fixture("zipkin/smartthings-oauth-authorization.json"));
    REQUIRE(read.ok());
    nra::Trace trace = std::move(read).value();
    CHECK(std::count_if(trace.spans.begin(), trace.spans.end(), [](const nra::Span& s) {
              return s.shared;
          }) == 45);
    const nra::TraceTree tree = nra::assemble(std::move(trace));

    // Inside: every id is unique, and the re-keyed server halves carry the model's suffix.
    std::set<std::string_view> ids;
    std::size_t server_halves = 0;
    for (const nra::Span& s : tree.trace.spans) {
        CHECK(ids.insert(s.span_id).second);
        server_halves += s.span_id.ends_with(nra::kServerHalfSuffix) ? 1 : 0;
    }
    CHECK(server_halves > 0);

    const nra::Summary summary = nra::summarize(tree);
    const std::string text = nra::render_json(summary);
    CHECK(text.find(nra::kServerHalfSuffix) == std::string::npos);
    const auto json = nlohmann::json::parse(text);
    CHECK(json.at("errors").at(0).at("span_id") == "c47bff7f7964b321 (server side)");
    CHECK(json.at("slow_spans").at(0).at("span_id") == "61d0055f29150e03 (server side)");
    bool listed = false;
    for (const auto& finding : json.at("findings")) {
        listed = listed || contains(finding.at("span_ids"), "c47bff7f7964b321 (server side)");
    }
    CHECK(listed);

    const std::string terminal = nra::render_text_full(summary);
    CHECK(terminal.find(nra::kServerHalfSuffix) == std::string::npos);
}

}  // namespace render_server_side_test
