// Baselines in every rendering: the shared phrases, the terminal lead and columns, the JSON
// fields, Block Kit (valid and within limits, hostile names included), the unfurl fact and the
// picture's "×N" tag — and no change at all when no baseline is set.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/render/baseline_text.hpp"
#include "nra/render/render.hpp"
#include "nra/render/waterfall_picture.hpp"
#include "unit/block_kit_checks.hpp"
#include "unit/render_baseline_samples.hpp"
#include "unit/waterfall_picture_helpers.hpp"

namespace render_baseline_test {

using namespace nra;
using namespace nra::render_detail;
using nlohmann::json;
using test::all_text;
using test::check_block_kit;

namespace {

bool contains(const std::string& text, const std::string& needle) {
    INFO("looking for: " << needle << "\nin: " << text.substr(0, 3000));
    return text.find(needle) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

constexpr const char* kLead =
    "1.20 s of this 1.45 s request is unusual: `SELECT items` (order-service) took 700 ms, "
    "usually 35.0 ms (p99 80.0 ms), 20× slower; also `POST /charge` 400 ms, usually 20.0 ms.";

}  // namespace

TEST_CASE("baseline phrases: ratios and the compact usual note", "[unit][render][baseline]") {
    CHECK(format_ratio(25.714) == "26");
    CHECK(format_ratio(1.64) == "1.6");
    CHECK(format_ratio(2.0) == "2");
    CHECK(format_ratio(9.96) == "10");
    CHECK(format_ratio(0) == "");
    CHECK(format_ratio(std::numeric_limits<double>::infinity()) == "");
    CHECK(format_ratio(1e12) == "10000+");

    CHECK(usual_note(test::slower(900, 35, 80, 865)) == "×26 (usually 35.0 ms)");
    CHECK(
        usual_note(Baseline{BaselineVerdict::faster, 1, 50, 35, 40, 80, 0.03, 0}) ==
        "fast (usually 35.0 ms)"
    );
    CHECK(usual_note(test::usual(36, 35)) == "usual");
    CHECK(usual_note(Baseline{}) == "");
    CHECK(usual_note(std::optional<Baseline>{}) == "");
    CHECK(slower_tag(test::slower(900, 35, 80, 865)) == "×26");
    CHECK(slower_tag(test::usual(36, 35)) == "");

    CHECK(context_label(FindingContext::standing) == "standing issue, usual for this request");
    CHECK(context_label(FindingContext::unusual) == "unusual in this trace");
    CHECK(context_label(FindingContext::unknown).empty());
}

TEST_CASE(
    "baseline lead: unusual time, the spans that carry it, in plain and mrkdwn",
    "[unit][render][baseline]"
) {
    Summary s = test::baseline_summary();
    const BaselineLead plain = baseline_lead(s, Markup::plain);
    CHECK(plain.sentence == kLead);
    CHECK(plain.note.empty());
    const BaselineLead slack = baseline_lead(s, Markup::mrkdwn);
    CHECK(
        slack.sentence.rfind(
            "*1.20 s of this 1.45 s request is unusual*: `SELECT items` "
            "(order-service) took 700 ms",
            0
        ) == 0
    );

    // The request's own verdict joins the sentence; at most 3 spans are named.
    s.baseline.request = test::slower(1450, 210, 400, 0);
    for (int i = 0; i < 3; ++i) {
        s.baseline.unusual.push_back(
            {"z", "svc", "op" + std::to_string(i), test::slower(9, 1, 2, 8)}
        );
    }
    const std::string more = baseline_lead(s, Markup::plain).sentence;
    CHECK(contains(more, "request is unusual (it usually takes 210 ms): `SELECT items`"));
    CHECK(contains(more, "; also `op0` 9.00 ms, usually 1.00 ms; and 2 more spans."));
    CHECK_FALSE(contains(more, "`op1`"));
}

TEST_CASE("baseline lead: nothing slower, faster spans, no baseline", "[unit][render][baseline]") {
    Summary s = test::usual_summary();
    CHECK(
        baseline_lead(s, Markup::plain).sentence ==
        "Nothing here is slower than usual (last 24 h): the spans with a baseline took their "
        "usual time. This request usually takes 1.20 s (p99 1.60 s)."
    );

    s.slow_spans[1].baseline = Baseline{BaselineVerdict::faster, 1, 300, 35, 40, 80, 0.03, 0};
    CHECK(contains(
        baseline_lead(s, Markup::plain).sentence,
        " `POST /charge` was unusually fast: 1.00 ms, usually 35.0 ms."
    ));

    s.baseline.slower_spans = 1;  // slower, but off the path: no unusual time
    CHECK(contains(
        baseline_lead(s, Markup::plain).sentence,
        "1 span was slower than usual (last 24 h), without adding to this request's "
        "time."
    ));
    s.baseline.judged_spans = 0;
    CHECK(contains(
        baseline_lead(s, Markup::plain).sentence,
        "No span here has enough history to compare with (last 24 h)."
    ));

    Summary none = test::small_summary();
    none.baseline.state = BaselineOverview::State::unavailable;
    none.baseline.note = "New Relic did not answer the baseline query in time.";
    const BaselineLead lead = baseline_lead(none, Markup::plain);
    CHECK(lead.sentence.empty());
    CHECK(lead.note == "No baseline: New Relic did not answer the baseline query in time.");
    none.baseline.state = BaselineOverview::State::not_asked;
    none.baseline.note = "Trace files carry no baselines; pass --baseline FILE.";
    CHECK(
        baseline_lead(none, Markup::plain).note ==
        "No baseline: Trace files carry no baselines; pass --baseline FILE."
    );
    none.baseline.note.clear();
    CHECK(baseline_lead(none, Markup::plain).note.empty());
}

TEST_CASE(
    "text: the lead comes first, findings are tagged, rows and spans say what is usual",
    "[unit][render][baseline]"
) {
    const std::string out = render_text(test::baseline_summary());
    const auto lines = lines_of(out);
    REQUIRE(lines.size() > 8);
    CHECK(lines[3].empty());
    CHECK(lines[4].rfind("1.20 s of this 1.45 s request is unusual: `SELECT items`", 0) == 0);
    CHECK(out.find("1.20 s of this") < out.find("Where the time went"));
    CHECK(contains(out, "\n  1. [standing] N+1 queries in order-service — saves ~410 ms"));
    CHECK(contains(out, "\n  2. Sequential calls in checkout"));
    CHECK(contains(out, "\n  3. [unusual] Slow query in order-service"));
    CHECK(contains(
        out, "\n     650 ms / 700 ms     ×20 (usually 35.0 ms)  order-service · SELECT items\n"
    ));
    CHECK(contains(out, "\n    offset   duration   on path  vs usual               0 → 1.45 s"));
    CHECK(contains(out, "\n   +312 ms     700 ms    700 ms  ×20 (usually 35.0 ms)  |  █████   |"));
    CHECK(contains(out, "\n  +12.5 ms     330 ms    330 ms  usual                  |███ "));
    // No baseline; the whole root (1.41 s) with its 20 ms on the path marked.
    CHECK(contains(out, "\n     +0 µs     1.41 s   20.0 ms                         |█░"));
    // Durations never break across lines.
    RenderOptions narrow;
    narrow.width = 60;
    CHECK(contains(
        render_text(test::baseline_summary(), narrow),
        "\n1.20 s of this 1.45 s request is unusual: `SELECT items`\n(order-service) "
        "took 700 ms, usually 35.0 ms (p99 80.0 ms),\n20× slower; also"
    ));
    CHECK(contains(
        render_text(test::baseline_summary()),
        "unusual: `SELECT items` (order-service) took 700 ms, usually\n35.0 ms (p99"
    ));
    for (const int width : {40, 60, 100, 160}) {
        RenderOptions options;
        options.width = width;
        for (const auto& line : lines_of(render_text(test::baseline_summary(), options))) {
            INFO(line);
            CHECK(test::code_points(line) <= static_cast<std::size_t>(width));
        }
    }
}

TEST_CASE("text: a summary without baselines reads exactly as before", "[unit][render][baseline]") {
    Summary s = test::folded_summary();
    const std::string before = render_text(s);
    CHECK_FALSE(contains(before, "usual"));
    CHECK_FALSE(contains(before, "baseline"));
    // A note from the source is one line after the header, and nothing else moves.
    s.baseline.state = BaselineOverview::State::unavailable;
    s.baseline.note = "The baseline query was rate-limited.";
    const std::string with_note = render_text(s);
    CHECK(contains(
        with_note,
        "COMPLETE\nRequest  GET /checkout\nPath     frontend → checkout → "
        "order-service → payment-service\n\nNo baseline: The baseline "
        "query was rate-limited.\n\nWhere the time went"
    ));
    CHECK(
        with_note.substr(with_note.find("Where the time went")) ==
        before.substr(before.find("Where the time went"))
    );
}

TEST_CASE(
    "JSON: baseline objects where verdicts are set, context, unusual_ms, overview",
    "[unit][render][baseline]"
) {
    const json j = json::parse(render_json(test::baseline_summary()));
    const json& select = j.at("critical_path")[2];
    REQUIRE(select.contains("baseline"));
    CHECK(
        select.at("baseline") ==
        json{
            {"verdict", "slower"},
            {"duration_ms", 700.0},
            {"samples", 500},
            {"p50_ms", 35.0},
            {"p90_ms", 52.5},
            {"p99_ms", 80.0},
            {"ratio", 20.0},
            {"unusual_ms", 800.0}}
    );
    CHECK_FALSE(j.at("critical_path")[0].contains("baseline"));  // nullopt: absent
    CHECK(j.at("slow_spans")[1].at("baseline").at("verdict") == "slower");
    // Rows repeat the segments' spans: their verdicts are on the segments only.
    for (const auto& row : j.at("path_rows")) CHECK_FALSE(row.contains("baseline"));
    CHECK(j.at("findings")[0].at("context") == "standing");
    CHECK(j.at("findings")[2].at("context") == "unusual");
    CHECK_FALSE(j.at("findings")[1].contains("context"));
    CHECK(j.at("unusual_ms") == 1200.0);
    // A verdict without a baseline has null figures, not zeros.
    auto none = test::baseline_summary();
    none.critical_path[2].baseline->verdict = BaselineVerdict::no_baseline;
    const json unknown = json::parse(render_json(none)).at("critical_path")[2].at("baseline");
    CHECK(unknown.at("verdict") == "no_baseline");
    CHECK(unknown.at("p50_ms").is_null());
    CHECK(unknown.at("ratio").is_null());
    // A span's later segments do not repeat its verdict.
    auto twice = test::baseline_summary();
    twice.critical_path.push_back(twice.critical_path[2]);
    const json again = json::parse(render_json(twice)).at("critical_path");
    CHECK(again[2].contains("baseline"));
    CHECK_FALSE(again.back().contains("baseline"));
    const json& overview = j.at("baseline");
    CHECK(overview.at("state") == "applied");
    CHECK(overview.at("window") == "last 24 h");
    CHECK(overview.at("judged_spans") == 5);
    CHECK(overview.at("slower_spans") == 2);
    CHECK(overview.at("request").is_null());
    REQUIRE(overview.at("unusual").size() == 2);
    CHECK(overview.at("unusual")[0].at("span_id") == "c3");
    CHECK(overview.at("unusual")[0].at("baseline").at("p99_ms") == 80.0);
    // Contract keys keep their place: the extras come after the findings.
    const std::string out = render_json(test::baseline_summary());
    CHECK(out.find("\n  \"findings\"") < out.find("\n  \"unusual_ms\""));
    CHECK(out.find("\n  \"unusual_ms\"") < out.find("\n  \"baseline\""));
}

TEST_CASE(
    "JSON: without baselines, unusual_ms is null and nothing else is added",
    "[unit][render][baseline]"
) {
    Summary s = test::folded_summary();
    s.baseline.state = BaselineOverview::State::unavailable;
    s.baseline.note = "Timed out.";
    const json j = json::parse(render_json(s));
    CHECK(j.at("unusual_ms").is_null());
    CHECK(j.at("baseline").at("state") == "unavailable");
    CHECK(j.at("baseline").at("note") == "Timed out.");
    CHECK(j.at("baseline").at("unusual").empty());
    for (const char* list : {"critical_path", "slow_spans", "path_rows"}) {
        for (const auto& item : j.at(list)) CHECK_FALSE(item.contains("baseline"));
    }
    for (const auto& finding : j.at("findings")) CHECK_FALSE(finding.contains("context"));
    CHECK(
        json::parse(render_json(test::small_summary())).at("baseline").at("state") == "not_asked"
    );
}

TEST_CASE(
    "Block Kit: the lead under the header, labelled findings, usual columns",
    "[unit][render][baseline]"
) {
    const json summary = check_block_kit(render_blocks_summary(test::baseline_summary()));
    const json& blocks = summary.at("blocks");
    REQUIRE(blocks.size() == 7);
    CHECK(
        blocks[1].at("text").at("text").get<std::string>().rfind(
            "*1.20 s of this 1.45 s request is unusual*: `SELECT items`", 0
        ) == 0
    );
    CHECK(blocks[2].contains("fields"));
    const std::string findings = blocks[3].at("text").at("text");
    CHECK(contains(findings, "— saves *~410 ms* · _standing issue, usual for this request_\n"));
    CHECK(contains(findings, "— saves *~150 ms* · _unusual in this trace_\n"));
    CHECK(contains(summary.at("text"), " Unusual: 1.20 s in `SELECT items` and 1 more span."));

    const json detail = check_block_kit(render_blocks_detail(test::baseline_summary()));
    const std::string text = all_text(detail);
    CHECK(detail.at("blocks")[1].at("text").at("text").get<std::string>().rfind("*1.20 s", 0) == 0);
    CHECK(contains(text, "vs usual"));
    CHECK(contains(text, "×20 (usually 35.0 ms)  |"));
    CHECK(contains(text, "· `order-service` · `SELECT items` · ×20 (usually 35.0 ms)"));

    const auto full = render_blocks_full(test::baseline_summary());
    REQUIRE(full.messages.size() == 1);
    CHECK(contains(all_text(check_block_kit(full.messages[0])), "+312 ms     700 ms    700 ms  ×20")
    );

    Summary none = test::small_summary();
    none.baseline.state = BaselineOverview::State::unavailable;
    none.baseline.note = "New Relic rate-limited the <baseline> query.";
    const json quiet = check_block_kit(render_blocks_summary(none));
    REQUIRE(quiet.at("blocks")[1].at("type") == "context");
    CHECK(
        quiet.at("blocks")[1].at("elements")[0].at("text") ==
        "No baseline: New Relic rate-limited the &lt;baseline&gt; query."
    );
    // No baseline asked for and nothing said: the messages are exactly as before.
    CHECK(check_block_kit(render_blocks_summary(test::small_summary())).at("blocks").size() == 6);
}

TEST_CASE(
    "Block Kit stays valid with hostile 5,000-character names in baselines",
    "[unit][render][baseline]"
) {
    Summary s = test::enormous_summary();
    const Baseline b = test::slower(900, 35, 80, 865);
    for (auto& segment : s.critical_path) segment.baseline = b;
    for (auto& span : s.slow_spans) span.baseline = b;
    for (auto& finding : s.findings) finding.context = FindingContext::standing;
    s.baseline.state = BaselineOverview::State::applied;
    s.baseline.window = test::hostile(5000, "win");
    s.baseline.note = test::hostile(5000, "note<&>");
    s.baseline.unusual_ms = 1200;
    s.baseline.slower_spans = 10;
    s.baseline.judged_spans = 10;
    s.baseline.request = b;
    for (int i = 0; i < 10; ++i) {
        s.baseline.unusual.push_back(
            {std::to_string(i), test::hostile(5000, "svc<&>"), test::hostile(5000, "op`<&>"), b}
        );
    }
    for (const auto& message : {render_blocks_summary(s), render_blocks_detail(s)}) {
        const json parsed = check_block_kit(message);
        CHECK(contains(all_text(parsed), "request is unusual"));
        CHECK(contains(all_text(parsed), "&lt;&amp;&gt;"));
    }
    const json unfurl = check_block_kit(render_blocks_unfurl(s));
    CHECK(unfurl.at("blocks").size() <= 5);
    CHECK(contains(all_text(unfurl), "*Unusual*\n1.20 s in `opˋ&lt;&amp;&gt;"));
    for (const auto& message : render_blocks_full(s).messages) check_block_kit(message);
    for (const auto& line : lines_of(render_text(s))) {
        CHECK(test::code_points(line) <= 100);
    }
    CHECK(test::valid_utf8(render_text(s)));
    CHECK_NOTHROW(json::parse(render_json(s)));
}

TEST_CASE("unfurl: the unusual time is one more fact", "[unit][render][baseline]") {
    const json message = check_block_kit(render_blocks_unfurl(test::baseline_summary()));
    CHECK(message.at("blocks").size() <= 5);
    const json& fields = message.at("blocks")[1].at("fields");
    REQUIRE(fields.size() == 4);
    CHECK(fields[3].at("text") == "*Unusual*\n1.20 s in `SELECT items` and 1 more span");
    CHECK(contains(message.at("text"), "Unusual: 1.20 s in `SELECT items` and 1 more span."));

    Summary one = test::baseline_summary();
    one.baseline.unusual.resize(1);
    CHECK(unusual_fact(one) == "1.20 s in `SELECT items`");
    one.baseline.unusual_ms = 0.4;  // under a millisecond: not a fact worth stating
    CHECK(unusual_fact(one).empty());
    CHECK(
        check_block_kit(render_blocks_unfurl(test::usual_summary()))
            .at("blocks")[1]
            .at("fields")
            .size() == 3
    );
}

TEST_CASE(
    "picture: rows slower than usual get a ×N tag, the legend and subtitle say so",
    "[unit][render][baseline][picture]"
) {
    using namespace test::picture;
    Analysed a = analyse(checkout());
    const WaterfallPicture before = picture_of(a);
    for (const auto& row : before.rows) CHECK(row.slower_tag.empty());

    // The UPDATE took 10 ms, usually 0.8 ms; the N+1's SELECTs are usual.
    a.summary.baseline.state = BaselineOverview::State::applied;
    a.summary.baseline.unusual_ms = 9.2;
    a.summary.baseline.slower_spans = 1;
    a.summary.baseline.unusual = {{"u", "mysql", "UPDATE cart", test::slower(10, 0.8, 1.5, 9.2)}};
    for (auto& segment : a.summary.critical_path) {
        if (segment.span_id == "q3") segment.baseline = test::usual(7, 7);
    }
    const WaterfallPicture pic = picture_of(a);
    REQUIRE(pic.rows.size() == before.rows.size());
    int tagged = 0;
    for (const auto& row : pic.rows) {
        INFO(row.label);
        CHECK(row.slower_tag == (row.name == "UPDATE cart" ? "×12" : ""));
        tagged += row.slower_tag.empty() ? 0 : 1;
    }
    CHECK(tagged == 1);
    CHECK(pic.legend.back().kind == LegendKind::slower);
    CHECK(pic.legend.back().label == "×N slower than usual");  // not the ×N of a folded loop
    CHECK(contains(pic.subtitle, " · 9.20 ms unusual"));
    CHECK(pic.geometry.plot_x1 < before.geometry.plot_x1);  // room for the tag

    // Verdicts without a slower row: same geometry and legend as without baselines.
    a.summary.baseline.unusual.clear();
    a.summary.baseline.unusual_ms = 0;
    const WaterfallPicture calm = picture_of(a);
    CHECK(calm.geometry.plot_x1 == before.geometry.plot_x1);
    CHECK(calm.legend.size() == before.legend.size());
    CHECK(calm.subtitle == before.subtitle);
}

}  // namespace render_baseline_test
