// Slack Block Kit: content of both messages, and every Slack limit (slack.md §5) checked on the
// parsed output, for small, empty and enormous hostile summaries.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nra/render/render.hpp"
#include "unit/block_kit_checks.hpp"
#include "unit/render_samples.hpp"

namespace render_blocks_test {

using nlohmann::json;
using namespace nra;
using test::all_text;
using test::check_block_kit;
using test::utf16_units;

namespace {

RenderOptions with_link() {
    RenderOptions options;
    options.trace_link = "https://one.newrelic.com/launcher/dt?id=4bf92f&x=<1>";
    return options;
}

}  // namespace

TEST_CASE("summary message: header, key numbers, top findings, origin, context", "[unit][render]") {
    const json message = check_block_kit(render_blocks_summary(test::small_summary(), with_link()));
    const json& blocks = message.at("blocks");
    REQUIRE(blocks.size() == 6);
    CHECK(blocks[0].at("type") == "header");
    CHECK(blocks[0].at("text").at("text") == "GET /checkout · 1.45 s");

    const json& fields = blocks[1].at("fields");
    CHECK(fields[0].at("text") == "*Duration*\n1.45 s");
    CHECK(fields[1].at("text") == "*Spans*\n312");
    CHECK(fields[2].at("text") == "*Services*\n4");
    CHECK(fields[3].at("text") == "*Errors*\n2");

    const std::string findings = blocks[2].at("text").at("text");
    const std::size_t first =
        findings.find("*1. N+1 queries* in `order-service` — saves *~410 ms*");
    const std::size_t second =
        findings.find("*2. Sequential calls* in `checkout` — saves *~200 ms*");
    const std::size_t third = findings.find("*3. Slow query*");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    REQUIRE(third != std::string::npos);
    CHECK(first < second);
    CHECK(second < third);
    CHECK(findings.find("Uninstrumented") == std::string::npos);  // only the top 3
    CHECK(findings.find("_… and 1 more finding in the thread_") != std::string::npos);

    const std::string origin = blocks[3].at("text").at("text");
    CHECK(
        origin.find(":rotating_light: *origin* `payment-service` · `POST /charge` · HTTP 402") !=
        std::string::npos
    );
    CHECK(origin.find("CardDeclined: card declined") != std::string::npos);
    CHECK(origin.find("… and 1 more error in the thread") != std::string::npos);

    const json& context = blocks[4].at("elements");
    CHECK(context[0].at("text") == "Trace `4bf92f3577b34da6a3ce929d0e0e4736`");
    CHECK(context[1].at("text") == "312 spans · 4 services");
    CHECK(context[2].at("text") == "complete");
    CHECK(
        context[3].at("text") ==
        "<https://one.newrelic.com/launcher/dt?id=4bf92f&amp;x=%3C1%3E|Open in New Relic>"
    );

    const std::string fallback = message.at("text");
    CHECK(fallback.rfind("GET /checkout took 1.45 s (312 spans, 4 services).", 0) == 0);
    CHECK(fallback.find("~410 ms") != std::string::npos);

    // A complete trace: only "Full waterfall", carrying the bare id.
    const json& actions = blocks[5];
    REQUIRE(actions.at("type") == "actions");
    REQUIRE(actions.at("elements").size() == 1);
    CHECK(actions.at("elements")[0].at("action_id") == kTraceWaterfallAction);
    CHECK(actions.at("elements")[0].at("text").at("text") == "Full waterfall");
    CHECK(actions.at("elements")[0].at("value") == "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_CASE("an incomplete summary also offers Re-analyze", "[unit][render]") {
    Summary s = test::small_summary();
    s.complete = false;
    const json message = check_block_kit(render_blocks_summary(s));
    const json& actions = message.at("blocks").back();
    REQUIRE(actions.at("type") == "actions");
    REQUIRE(actions.at("elements").size() == 2);
    CHECK(actions.at("elements")[0].at("action_id") == kTraceWaterfallAction);
    CHECK(actions.at("elements")[1].at("action_id") == kTraceReanalyzeAction);
    CHECK(actions.at("elements")[1].at("text").at("text") == "Re-analyze");
    CHECK(actions.at("elements")[1].at("value") == s.trace_id);
}

TEST_CASE("a summary whose id is not a plain trace id gets no buttons", "[unit][render]") {
    for (const std::string id : {"", "4BF92F3577B34DA6A3CE929D0E0E4736", "4bf92f35<&>", "abc"}) {
        Summary s = test::small_summary();
        s.trace_id = id;
        const json message = check_block_kit(render_blocks_summary(s));
        CHECK(message.at("blocks").back().at("type") == "context");
    }
    Summary legacy = test::small_summary();
    legacy.trace_id = "00f067aa0ba902b7";  // 16-hex New Relic ids are ids too
    CHECK(
        check_block_kit(render_blocks_summary(legacy)).at("blocks").back().at("type") == "actions"
    );
}

TEST_CASE("trace_headline: plain one-line facts for listings", "[unit][render]") {
    Summary s = test::small_summary();
    s.services[0].error_count = 5;
    const TraceHeadline h = trace_headline(s);
    CHECK(h.request == "GET /checkout");
    CHECK(h.duration == "1.45 s");
    CHECK(h.error_spans == 7);
    CHECK(h.top_finding == "N+1 queries in order-service — saves ~410 ms");
    const TraceHeadline e = trace_headline(test::enormous_summary());
    CHECK(e.request.find('\n') == std::string::npos);
    CHECK(e.request.find('\x1b') == std::string::npos);
    CHECK(test::utf16_units(e.request) <= 400);
    CHECK(test::utf16_units(e.top_finding) <= 600);
    CHECK(trace_headline(test::empty_summary()).top_finding.empty());
}

TEST_CASE(
    "detail message: waterfall, every finding, errors, slow spans, notes, link", "[unit][render]"
) {
    const json message = check_block_kit(render_blocks_detail(test::small_summary(), with_link()));
    const std::string text = all_text(message);
    const json& blocks = message.at("blocks");
    CHECK(blocks[0].at("text").at("text") == "Trace detail · GET /checkout");
    const std::string path = blocks[1].at("text").at("text");
    CHECK(path.rfind("*Critical path* (6 segments, 1.45 s)\n```\n", 0) == 0);
    CHECK(path.size() > 3);
    CHECK(path.substr(path.size() - 3) == "```");
    CHECK(path.find("|     order-service · SELECT items") != std::string::npos);
    CHECK(path.find("more segment") == std::string::npos);

    std::size_t last = 0;
    for (const char* needle :
         {"*Findings (4)*",
          "*1. N+1 queries*",
          "_Fix:_ Load the items in one query",
          "_At:_ `CartRepository.load (cart.py:42)`",
          "*2. Sequential calls*",
          "*3. Slow query*",
          "*4. Uninstrumented gap* in `checkout` (1 span, 120 ms)",
          "*Errors (2)*",
          ":rotating_light: *origin* `payment-service`",
          ":x: `checkout` · `POST /api/checkout` · HTTP 500",
          "*Slowest spans*",
          "• *650 ms* self / 700 ms · `order-service` · `SELECT items`",
          "*Notes*",
          "• 1 span re-keyed (duplicate id)",
          ":mag: <https://one.newrelic.com/launcher/dt?id=4bf92f&amp;x=%3C1%3E|Open this trace in "
          "New Relic>"}) {
        INFO(needle);
        const std::size_t at = text.find(needle);
        REQUIRE(at != std::string::npos);
        CHECK(at >= last);
        last = at;
    }
    CHECK(blocks.back().at("type") == "context");
}

TEST_CASE("the error count field counts every error span, not the capped list", "[unit][render]") {
    Summary s = test::small_summary();
    s.services[0].error_count = 5;  // 5 + 1 + 1 error spans, 2 listed
    const json message = check_block_kit(render_blocks_summary(s));
    CHECK(message.at("blocks")[1].at("fields")[3].at("text") == "*Errors*\n7");
}

TEST_CASE("the critical path in Slack honours max_path_rows", "[unit][render]") {
    RenderOptions options;
    options.max_path_rows = 2;
    const json message = check_block_kit(render_blocks_detail(test::small_summary(), options));
    const std::string path = message.at("blocks")[1].at("text").at("text");
    CHECK(path.find("frontend · GET /checkout") != std::string::npos);
    CHECK(path.find("order-service") == std::string::npos);
    CHECK(path.find("… and 4 more segments\n```") != std::string::npos);
}

TEST_CASE("the Slack waterfall uses folded path rows when there are some", "[unit][render]") {
    const json message = check_block_kit(render_blocks_detail(test::folded_summary()));
    const std::string path = message.at("blocks")[1].at("text").at("text");
    CHECK(path.rfind("*Critical path* (4 rows, 1.45 s)\n```\n", 0) == 0);
    CHECK(path.find("48× order-service · SELECT items") != std::string::npos);
    CHECK(
        message.at("text").get<std::string>().find("critical path of 4 rows") != std::string::npos
    );
}

TEST_CASE("user text is escaped in mrkdwn and left alone in plain_text", "[unit][render]") {
    Summary s = test::small_summary();
    s.request = "GET /a&b<c>";
    s.findings[0].service = "<!channel> & co";
    s.findings[0].summary = "x < y && y > z `code`";
    s.errors[0].message = "<@U123> failed & <https://evil.test|click>";
    const json summary = check_block_kit(render_blocks_summary(s));
    CHECK(summary.at("blocks")[0].at("text").at("text") == "GET /a&b<c> · 1.45 s");
    const std::string text = all_text(summary);
    CHECK(text.find("`&lt;!channel&gt; &amp; co`") != std::string::npos);
    CHECK(text.find("x &lt; y &amp;&amp; y &gt; z `code`") != std::string::npos);
    CHECK(
        text.find("&lt;@U123&gt; failed &amp; &lt;https://evil.test|click&gt;") != std::string::npos
    );
    CHECK(text.find("GET /a&amp;b&lt;c&gt; took") != std::string::npos);  // fallback text too
    const json detail = check_block_kit(render_blocks_detail(s));
    CHECK(all_text(detail).find("`&lt;!channel&gt; &amp; co`") != std::string::npos);
}

TEST_CASE("empty-ish summaries still produce valid, non-empty messages", "[unit][render]") {
    const Summary s = test::empty_summary();
    const json summary = check_block_kit(render_blocks_summary(s));
    const std::string text = all_text(summary);
    CHECK(summary.at("blocks")[0].at("text").at("text") == "Trace 0000000000000000 · 0 µs");
    CHECK(text.find("No known slow pattern matched.") != std::string::npos);
    CHECK(text.find(":warning: *incomplete*") != std::string::npos);
    CHECK(text.find("Incomplete trace: the root span never arrived.") != std::string::npos);
    const json detail = check_block_kit(render_blocks_detail(s));
    CHECK(all_text(detail).find("*Notes*\n• Incomplete trace") != std::string::npos);

    Summary blank;
    check_block_kit(render_blocks_summary(blank));
    check_block_kit(render_blocks_detail(blank));
}

TEST_CASE("enormous hostile summary: summary message stays within every limit", "[unit][render]") {
    const Summary s = test::enormous_summary();
    const json message = check_block_kit(render_blocks_summary(s, with_link()));
    const std::string text = all_text(message);
    CHECK(text.find("_… and 497 more findings in the thread_") != std::string::npos);
    CHECK(text.find("… and 999 more errors in the thread") != std::string::npos);
    CHECK(text.find("&lt;script&gt;") != std::string::npos);
    // (no raw "<script>" in mrkdwn: check_block_kit allows '<' only as one of our links)
    CHECK(text.find('\x1b') == std::string::npos);
    const std::string header = message.at("blocks")[0].at("text").at("text");
    CHECK(header.rfind("GET /<script>&", 0) == 0);  // plain_text: not escaped
    const std::string tail = "… · 1.45 s";          // request clipped, number whole
    REQUIRE(header.size() > tail.size());
    CHECK(header.substr(header.size() - tail.size()) == tail);
}

TEST_CASE(
    "enormous hostile summary: detail stays within every limit and says what it left out",
    "[unit][render]"
) {
    const Summary s = test::enormous_summary();
    const json message = check_block_kit(render_blocks_detail(s, with_link()));
    const std::string text = all_text(message);
    const json& blocks = message.at("blocks");
    CHECK(blocks.size() <= 50);
    CHECK(blocks.size() >= 30);  // the budget is used, not wasted
    const std::string path = blocks[1].at("text").at("text");
    CHECK(path.find(" more segments\n```") != std::string::npos);
    CHECK(text.find("*1. N+1 queries*") != std::string::npos);
    CHECK(text.find("*2. new_kind&lt;&amp;&gt;*") != std::string::npos);
    CHECK(text.find(" more findings_") != std::string::npos);
    CHECK(text.find(" more errors_") != std::string::npos);
    CHECK(text.find(" more notes_") != std::string::npos);
    CHECK(text.find("Open this trace in New Relic>") != std::string::npos);
    CHECK(text.find('\n' + std::string("INJECTED")) == std::string::npos);
    // Findings are listed in order: 1, 2, 3 … before the "more" notice.
    CHECK(text.find("*3. N+1 queries*") < text.find(" more findings_"));
    CHECK(text.find("*2. new_kind") < text.find("*3. N+1 queries*"));
}

TEST_CASE("a huge trace link is dropped rather than cut", "[unit][render]") {
    RenderOptions options;
    options.trace_link = "https://one.newrelic.com/" + std::string(5000, 'x');
    const json detail = check_block_kit(render_blocks_detail(test::small_summary(), options));
    CHECK(all_text(detail).find("Open this trace in New Relic") == std::string::npos);
    check_block_kit(render_blocks_summary(test::small_summary(), options));
}

TEST_CASE("slack_escape", "[unit][render]") {
    CHECK(slack_escape("<&>") == "&lt;&amp;&gt;");
    CHECK(slack_escape("") == "");
}

}  // namespace render_blocks_test
