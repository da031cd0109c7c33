// The issue-6 Slack renderers: link unfurls, the "Full waterfall" answer (messages and text file)
// and the App Home view: content, Slack's limits on huge input, and escaping of <&>.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nra/render/render.hpp"
#include "nra/render/render_home.hpp"
#include "unit/block_kit_checks.hpp"
#include "unit/render_samples.hpp"

namespace render_slack_extras_test {

using nlohmann::json;
using namespace nra;
using test::all_text;
using test::check_block_kit;
using test::utf16_units;

namespace {

// A summary whose critical path has `rows` segments ("op 0" …) and `findings` findings.
Summary long_summary(int rows, int findings) {
    Summary s = test::small_summary();
    s.critical_path.clear();
    for (int i = 0; i < rows; ++i) {
        s.critical_path.push_back(
            {std::to_string(i), "svc", "op " + std::to_string(i), i * 1.0, 1.0, i % 5}
        );
    }
    s.duration_ms = rows;
    s.findings.clear();
    for (int i = 0; i < findings; ++i) {
        s.findings.push_back(
            {"slow_db",
             "db-" + std::to_string(i),
             "finding number " + std::to_string(i) + " <&>",
             {"x"},
             1,
             100.0,
             50.0,
             "SELECT " + std::to_string(i),
             "Add an index.",
             ""}
        );
    }
    return s;
}

std::size_t message_units(const json& message) {
    std::size_t units = 0;
    for (const auto& block : message.at("blocks")) {
        units += utf16_units(block.at("text").at("text").get<std::string>());
    }
    return units;
}

// The Home view checked as a message (≤ 50 blocks is stricter than Home's 100).
json check_home(const Blocks& rendered) {
    const json view = json::parse(rendered.dump());
    REQUIRE(view.at("type") == "home");
    CHECK(view.at("blocks").size() <= 100);
    const json message{{"text", "home"}, {"blocks", view.at("blocks")}};
    return check_block_kit(message.dump());
}

RecentAnalysis recent(const std::string& id, const std::string& request, int errors) {
    RecentAnalysis a;
    a.trace_id = id;
    a.request = request;
    a.duration_ms = 1450;
    a.span_count = 62;
    a.error_count = errors;
    a.top_finding = "N+1 queries in order-service — saves ~410 ms";
    a.channel = "C0123ABC";
    return a;
}

}  // namespace

TEST_CASE("unfurl: request, duration, counts, top finding, nr-analyzer context", "[unit][render]") {
    const json message = check_block_kit(render_blocks_unfurl(test::small_summary()));
    const json& blocks = message.at("blocks");
    CHECK(blocks.size() <= 5);
    CHECK(blocks[0].at("text").at("text") == "*GET /checkout* took *1.45 s*");
    CHECK(blocks[1].at("fields")[0].at("text") == "*Spans*\n312");
    CHECK(blocks[1].at("fields")[1].at("text") == "*Services*\n4");
    CHECK(blocks[1].at("fields")[2].at("text") == "*Errors*\n2");
    const std::string top = blocks[2].at("text").at("text");
    CHECK(
        top.rfind("*Top finding*\n*1. N+1 queries* in `order-service` — saves *~410 ms*", 0) == 0
    );
    CHECK(top.find("Sequential") == std::string::npos);
    const json& context = blocks.back();
    REQUIRE(context.at("type") == "context");
    CHECK(context.at("elements")[0].at("text") == "nr-analyzer");
    CHECK(context.at("elements")[1].at("text") == "Trace `4bf92f3577b34da6a3ce929d0e0e4736`");
    CHECK(message.at("text") == "GET /checkout took 1.45 s (312 spans, 4 services, 2 errors).");
}

TEST_CASE("unfurl: empty, hostile and enormous summaries stay valid", "[unit][render]") {
    const json empty = check_block_kit(render_blocks_unfurl(test::empty_summary()));
    CHECK(all_text(empty).find("No known slow pattern matched.") != std::string::npos);
    CHECK(all_text(empty).find("(incomplete trace)") != std::string::npos);
    check_block_kit(render_blocks_unfurl(Summary{}));

    Summary hostile = test::small_summary();
    hostile.request = "GET /a&b<c> <!channel>";
    hostile.findings[0].service = "<@U1>";
    const std::string text = all_text(check_block_kit(render_blocks_unfurl(hostile)));
    CHECK(text.find("*GET /a&amp;b&lt;c&gt; &lt;!channel&gt;*") != std::string::npos);
    CHECK(text.find("`&lt;@U1&gt;`") != std::string::npos);

    const json huge = check_block_kit(render_blocks_unfurl(test::enormous_summary()));
    CHECK(huge.at("blocks").size() <= 5);
    CHECK(all_text(huge).find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE(
    "full waterfall: a small trace is one message with every row and finding", "[unit][render]"
) {
    const FullRender full = render_blocks_full(test::small_summary());
    CHECK(full.complete);
    REQUIRE(full.messages.size() == 1);
    const json message = check_block_kit(full.messages[0]);
    CHECK(message.at("blocks")[0].at("text").at("text") == "Full waterfall · GET /checkout");
    const std::string text = all_text(message);
    CHECK(text.find("*Critical path* (6 segments, 1.45 s)") != std::string::npos);
    CHECK(text.find("payment-service · POST /charge") != std::string::npos);
    for (const char* needle :
         {"*Findings (4)*",
          "*1. N+1 queries*",
          "*4. Uninstrumented gap*",
          "_Fix:_ Load the items"}) {
        CHECK(text.find(needle) != std::string::npos);
    }
    CHECK(text.find("more segment") == std::string::npos);
}

TEST_CASE(
    "full waterfall: long paths spread over up to 3 messages, nothing left out", "[unit][render]"
) {
    const Summary s = long_summary(200, 30);
    const FullRender full = render_blocks_full(s);
    CHECK(full.complete);
    REQUIRE(full.messages.size() >= 2);
    REQUIRE(full.messages.size() <= 3);
    std::string text;
    for (const auto& m : full.messages) {
        const json message = check_block_kit(m);
        CHECK(message_units(message) <= 12'000);
        text += all_text(message);
    }
    for (int i = 0; i < 200; ++i) {
        INFO(i);
        CHECK(text.find("svc · op " + std::to_string(i) + "\n") != std::string::npos);
    }
    for (int i = 1; i <= 30; ++i) {
        CHECK(text.find("*" + std::to_string(i) + ". Slow query*") != std::string::npos);
    }
    CHECK(text.find("finding number 29 &lt;&amp;&gt;") != std::string::npos);
    CHECK(text.find("more segment") == std::string::npos);
    CHECK(text.find("(1/" + std::to_string(full.messages.size()) + ")") != std::string::npos);
}

TEST_CASE(
    "full waterfall: too long for 3 messages says so and keeps the first part", "[unit][render]"
) {
    const Summary s = long_summary(3000, 5);
    const FullRender full = render_blocks_full(s);
    CHECK_FALSE(full.complete);
    REQUIRE(full.messages.size() == 3);
    for (const auto& m : full.messages) {
        CHECK(message_units(check_block_kit(m)) <= 12'000);
    }
    CHECK(all_text(json::parse(full.messages[0].dump())).find("svc · op 0\n") != std::string::npos);
    CHECK(render_blocks_full(s, {}, 1).messages.size() == 1);
    CHECK(render_blocks_full(long_summary(200, 30), {}, 1).complete == false);
}

TEST_CASE(
    "full waterfall: empty and enormous hostile summaries stay within limits", "[unit][render]"
) {
    const FullRender empty = render_blocks_full(test::empty_summary());
    REQUIRE(empty.messages.size() == 1);
    const std::string text = all_text(check_block_kit(empty.messages[0]));
    CHECK(text.find("No critical path in this trace.") != std::string::npos);
    CHECK(text.find("No known slow pattern matched.") != std::string::npos);

    const FullRender huge = render_blocks_full(test::enormous_summary());
    CHECK_FALSE(huge.complete);
    REQUIRE(huge.messages.size() == 3);
    for (const auto& m : huge.messages) {
        const json message = check_block_kit(m);
        CHECK(message_units(message) <= 12'000);
        CHECK(all_text(message).find('\x1b') == std::string::npos);
    }
}

TEST_CASE("full text: every critical-path row and every finding, each once", "[unit][render]") {
    const Summary s = long_summary(500, 30);
    const std::string text = render_text_full(s);
    for (int i = 0; i < 500; ++i) {
        CHECK(text.find("svc · op " + std::to_string(i) + "\n") != std::string::npos);
    }
    CHECK(text.find("more rows") == std::string::npos);
    CHECK(text.find("more segments") == std::string::npos);
    CHECK(text.find("Findings 11 to 30") != std::string::npos);
    for (int i = 0; i < 30; ++i) {
        const std::string needle = "finding number " + std::to_string(i) + " <&>";
        const std::size_t at = text.find(needle);
        INFO(needle);
        REQUIRE(at != std::string::npos);
        CHECK(text.find(needle, at + 1) == std::string::npos);
    }
    // Without extra findings it is render_text with every row.
    RenderOptions all;
    all.max_path_rows = 1'000'000;
    CHECK(render_text_full(test::small_summary()) == render_text(test::small_summary(), all));
}

TEST_CASE("home: manual and 'none yet' for a workspace without analyses", "[unit][render]") {
    const json message = check_home(render_home_view({}));
    const std::string text = all_text(message);
    CHECK(message.at("blocks")[0].at("text").at("text") == "nr-analyzer");
    for (const char* needle :
         {"*What I do*",
          "`/trace &lt;trace id",
          "`/improve",
          "`@nr-analyzer &lt;trace id or link&gt;`",
          "*Analyze trace* shortcut",
          "Paste a New Relic trace link",
          "Latest analyses",
          "None yet."}) {
        INFO(needle);
        CHECK(text.find(needle) != std::string::npos);
    }
    HomeOptions no_improve;
    no_improve.improve = false;
    CHECK(
        all_text(check_home(render_home_view({}, no_improve))).find("/improve") == std::string::npos
    );
}

TEST_CASE("home: the latest analyses, newest first, with their facts", "[unit][render]") {
    const std::vector<RecentAnalysis> list{
        recent("4bf92f3577b34da6a3ce929d0e0e4736", "POST /api/checkout", 2),
        recent("0af7651916cd43dd8448eb211c80319c", "GET /profile/:userId", 0),
    };
    const std::string text = all_text(check_home(render_home_view(list)));
    const std::size_t first = text.find("*POST /api/checkout* · 1.45 s · 62 spans · 2 errors");
    const std::size_t second = text.find("*GET /profile/:userId* · 1.45 s · 62 spans · 0 errors");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    CHECK(first < second);
    // The top finding is stored as plain text with names in it: escaped as a whole, so our own
    // "~" shows as its look-alike.
    CHECK(
        text.find("Top finding: N+1 queries in order-service — saves ∼410 ms") != std::string::npos
    );
    CHECK(
        text.find("Trace `4bf92f3577b34da6a3ce929d0e0e4736` · in <#C0123ABC>") != std::string::npos
    );
    CHECK(text.find("None yet.") == std::string::npos);
    CHECK(text.find("<!date^") == std::string::npos);  // no time known: none shown
}

TEST_CASE("home: an analysis with a time shows it in the reader's time zone", "[unit][render]") {
    auto a = recent("4bf92f3577b34da6a3ce929d0e0e4736", "POST /api/checkout", 2);
    a.at_epoch_s = 1'700'000'000;
    const std::string text = all_text(check_home(render_home_view({a})));
    CHECK(
        text.find("<!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>") !=
        std::string::npos
    );
}

TEST_CASE("home: hostile and endless analyses are escaped and capped", "[unit][render]") {
    RecentAnalysis bad = recent("id<&>", test::hostile(5000, "GET <!channel> & <@U1>"), 3);
    bad.top_finding = test::hostile(5000, "<https://evil.test|click>");
    bad.channel = "C1><@U2";
    const std::string text = all_text(check_home(render_home_view({bad})));
    CHECK(text.find("GET &lt;!channel&gt; &amp; &lt;@U1&gt;") != std::string::npos);
    CHECK(text.find("&lt;https://evil.test|click&gt;") != std::string::npos);
    CHECK(text.find("<#C1") == std::string::npos);

    HomeOptions many;
    many.max_listed = 1000;
    const std::vector<RecentAnalysis> endless(500, bad);
    const json message = check_home(render_home_view(endless, many));
    CHECK(message.at("blocks").size() <= 30);
}

}  // namespace render_slack_extras_test
