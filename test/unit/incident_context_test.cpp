// Incident context in the core: log lines ordered and clipped, the blast radius's subject and
// judgement, its sentences, and how every output shows them (escaped, within Slack's limits).
#include "nra/analysis/incident_context.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nra/render/render.hpp"
#include "unit/block_kit_checks.hpp"
#include "unit/render_samples.hpp"

namespace incident_context_test {

using nlohmann::json;
using namespace nra;

constexpr std::int64_t kNow = 1'796'577'800'000;  // a 5-minute boundary
constexpr std::int64_t kBucket = 5 * 60'000;

LogLine line(std::int64_t at, std::string level, std::string message, std::string span = "d4") {
    return LogLine{at, std::move(level), std::move(message), std::move(span), "payment-service"};
}

BlastSeries series(const std::vector<std::int64_t>& matching, std::int64_t usual_per_bucket) {
    BlastSeries s;
    s.until_ms = kNow;
    std::vector<BlastBucket> before;
    for (std::size_t i = 0; i < matching.size(); ++i) {
        const auto start = kNow - static_cast<std::int64_t>(matching.size() - i) * kBucket;
        s.buckets.push_back({start, 1000, matching[i]});
        before.push_back({start - 86'400'000, 1000, usual_per_bucket});
    }
    s.previous_day = before;
    return s;
}

BlastSubject failure_subject() {
    BlastSubject subject;
    subject.service = "payment-service";
    subject.name = "POST /charge";
    subject.noun = "calls";
    subject.error_class = "CardDeclined";
    return subject;
}

TEST_CASE("log lines come errors first, then warnings, each in time order, repeats once") {
    const auto ordered = order_log_lines({
        line(5, "INFO", "started"),
        line(4, "Warning", "slow pool"),
        line(3, "ERROR", "declined"),
        line(1, "fatal", "gone"),
        line(6, "error", "declined"),  // the same line of the same span again
        line(2, "", "no level"),
    });
    REQUIRE(ordered.size() == 5);
    CHECK(ordered[0].message == "gone");
    CHECK(ordered[1].message == "declined");
    CHECK(ordered[1].level == "error");  // levels are lower-cased
    CHECK(ordered[2].message == "slow pool");
    CHECK(ordered[3].message == "no level");
    CHECK(ordered[4].message == "started");
}

TEST_CASE("log lines are capped and huge messages clipped on a UTF-8 boundary") {
    std::vector<LogLine> many;
    for (int i = 0; i < 1000; ++i) many.push_back(line(i, "info", "line " + std::to_string(i)));
    many.push_back(line(5000, "ERROR", std::string(kMaxLogMessage - 1, 'x') + "€€€"));
    const auto ordered = order_log_lines(std::move(many));
    REQUIRE(ordered.size() == kMaxLogLines);
    CHECK(ordered.front().level == "error");  // the error survives the cap
    const auto& clipped = ordered.front().message;
    CHECK(clipped == std::string(kMaxLogMessage - 1, 'x') + "…");  // no half of a € kept
    CHECK(log_severity("CRITICAL") == LogSeverity::error);
    CHECK(log_severity("warn") == LogSeverity::warning);
    CHECK(log_severity("debug") == LogSeverity::other);
}

TEST_CASE("the blast subject is the failing operation, or the entry point's slowness") {
    Summary s = test::small_summary();  // origin d4: payment-service POST /charge, CardDeclined
    auto subject = blast_subject(s);
    REQUIRE(subject);
    CHECK(subject->match == BlastSubject::Match::failure);
    CHECK(subject->service == "payment-service");
    CHECK(subject->name == "POST /charge");
    CHECK(subject->noun == "calls");  // not the root: calls of the failing operation
    CHECK(subject->error_class == "CardDeclined");
    CHECK(subject->error_message.empty());

    s.errors[0].error_class.clear();
    s.errors[0].message = "card declined\n  at Charge.java:12";  // a stack trace is no signature
    CHECK(blast_subject(s)->error_message.empty());
    s.errors[0].message = "card declined";
    CHECK(blast_subject(s)->error_message == "card declined");

    s.errors[0].span_id = s.root.span_id;  // the failure started at the entry point
    CHECK(blast_subject(s)->noun == "requests");

    s.errors.clear();
    subject = blast_subject(s);
    REQUIRE(subject);
    CHECK(subject->match == BlastSubject::Match::slowness);
    CHECK(subject->name == s.root.name);
    CHECK(subject->noun == "requests");
}

TEST_CASE("since is the first bucket above the usual level, still happening the latest two") {
    const auto subject = failure_subject();
    // Usual: 2 per bucket the day before. Above: more than 4 and at least 3.
    const auto r = judge_blast_radius(subject, series({2, 3, 4, 9, 40, 38, 41, 3, 2, 2, 50, 1}, 2));
    CHECK(r.matching == 195);
    CHECK(r.total == 12'000);
    REQUIRE(r.share);
    CHECK(*r.share == Approx(195.0 / 12'000));
    REQUIRE(r.since_ms);
    CHECK(*r.since_ms == kNow - 9 * kBucket);  // the 4th bucket (9)
    CHECK_FALSE(r.since_window_start);
    REQUIRE(r.still_happening);
    CHECK(*r.still_happening);  // the second to last (50): the last one is partial
    REQUIRE(r.previous_day);
    CHECK(*r.previous_day == 24);

    const auto calm = judge_blast_radius(subject, series({2, 3, 2, 1, 2, 2}, 2));
    CHECK_FALSE(calm.since_ms);
    CHECK_FALSE(*calm.still_happening);

    const auto new_failure = judge_blast_radius(subject, series({1, 0, 0, 0}, 0));
    CHECK(new_failure.since_window_start);  // 1 where the day before had none: from the start
    CHECK_FALSE(*new_failure.still_happening);

    auto no_yesterday = series({0, 5, 9}, 0);
    no_yesterday.previous_day.reset();  // no usual level: no "since", no "still happening"
    const auto unknown = judge_blast_radius(subject, no_yesterday);
    CHECK(unknown.matching == 14);
    CHECK_FALSE(unknown.since_ms);
    CHECK_FALSE(unknown.still_happening);

    BlastSeries empty;
    const auto nothing = judge_blast_radius(subject, empty);
    CHECK_FALSE(nothing.share);
    CHECK_FALSE(nothing.previous_day);
}

TEST_CASE("the blast sentence says how many, since when, and how the day before compares") {
    auto r = judge_blast_radius(
        failure_subject(), series({0, 0, 0, 0, 0, 0, 0, 212, 388, 402, 395, 410}, 0)
    );
    r.users = 1146;
    const auto text = blast_sentence(r, "`POST /charge`");
    CHECK(
        text.rfind(
            "Not alone: 1,807 of 12,000 `POST /charge` calls in the last hour failed the same way "
            "(15.1 %), since ",
            0
        ) == 0
    );
    CHECK(text.ends_with(" UTC, still happening, 1,146 users; yesterday at this time: 0."));

    auto alone = judge_blast_radius(failure_subject(), series({0, 0, 1}, 0));
    CHECK(blast_sentence(alone, "x").rfind("Alone so far: 1 of 3,000 x calls", 0) == 0);

    BlastSubject slow;
    slow.match = BlastSubject::Match::slowness;
    slow.noun = "requests";
    const auto usual = judge_blast_radius(slow, series({6, 6, 6}, 6));
    CHECK(
        blast_sentence(usual, "GET /x") ==
        "As usual: 18 of 3,000 GET /x requests in the last hour were slower than usual (0.6 %); "
        "yesterday at this time: 18."
    );

    CHECK(slo_burn_sentence({"o", 14.4}, "`o`") == "The `o` budget is burning 14.4× — act now.");
    CHECK(slo_burn_sentence({"o", 14.3}, "`o`").find("14.3×: faster") != std::string::npos);
    CHECK(slo_burn_sentence({"o", 250}, "`o`") == "The `o` budget is burning 250× — act now.");

    const auto none = judge_blast_radius(failure_subject(), series({0, 0, 0}, 0));
    CHECK(blast_sentence(none, "x") == "No other x calls in the last hour failed this way.");
    CHECK(slo_burn_sentence({"o", 2.5}, "`o`").find("burning 2.5×: faster") != std::string::npos);
    CHECK(slo_burn_sentence({"o", 0.4}, "`o`") == "The `o` SLO is within budget (0.4× burn).");
}

Summary with_context() {
    Summary s = test::small_summary();
    s.logs = order_log_lines({
        line(
            1'700'000'000'123,
            "ERROR",
            "<!channel> *declined* `rm -rf` <https://evil.example|click>"
        ),
        line(1'700'000'000'200, "WARN", "retrying", "c3"),
        line(1'700'000'000'300, "INFO", "hello"),
    });
    auto radius = judge_blast_radius(failure_subject(), series({0, 0, 5, 9}, 0));
    radius.subject.name = "POST /charge <!here>";
    radius.slo_burn = SloBurn{"checkout-availability", 20.0};
    s.blast_radius = radius;
    return s;
}

TEST_CASE("Summary JSON carries logs, blast_radius and what did not arrive") {
    Summary s = with_context();
    s.context.logs = "New Relic did not answer in time.";
    const json j = json::parse(render_json(s));
    REQUIRE(j.at("logs").size() == 3);
    CHECK(
        j["logs"][0] ==
        json{
            {"timestamp_ms", 1'700'000'000'123},
            {"level", "error"},
            {"message", "<!channel> *declined* `rm -rf` <https://evil.example|click>"},
            {"span_id", "d4"},
            {"service", "payment-service"}}
    );
    const auto& b = j.at("blast_radius");
    CHECK(b.at("window_minutes") == 60);
    CHECK(b.at("matching") == 14);
    CHECK(b.at("total") == 4000);
    CHECK(b.at("share") == 0.0035);
    CHECK(b.at("since_ms").is_number());
    CHECK(b.at("still_happening") == true);
    CHECK(b.at("previous_day") == 0);
    CHECK(b.at("users").is_null());
    CHECK(b.at("slo_burn") == json{{"slo", "checkout-availability"}, {"burn_rate", 20.0}});
    CHECK(j.at("context").at("logs") == "New Relic did not answer in time.");
    CHECK(j.at("context").at("blast_radius").is_null());

    const json none = json::parse(render_json(test::small_summary()));
    CHECK(none.at("logs") == json::array());
    CHECK(none.at("blast_radius").is_null());
}

TEST_CASE("Slack shows the context escaped: log text is never markup, a mention or a link") {
    const Summary s = with_context();
    for (const auto& message : {render_blocks_summary(s), render_blocks_detail(s)}) {
        const json blocks = test::check_block_kit(message);
        const std::string text = test::all_text(blocks);
        test::check_mrkdwn_escaping(text);
        CHECK(text.find("Not alone: 14 of 4,000") != std::string::npos);
        CHECK(text.find("act now") != std::string::npos);
        CHECK(text.find("&lt;!channel&gt;") != std::string::npos);
        CHECK(text.find("<!here>") == std::string::npos);
        CHECK(text.find("*declined*") == std::string::npos);  // look-alikes, no bold
    }
    const std::string detail = test::all_text(test::check_block_kit(render_blocks_detail(s)));
    CHECK(detail.find("Error and warning logs") != std::string::npos);
    CHECK(detail.find("retrying") != std::string::npos);
    CHECK(detail.find("hello") == std::string::npos);  // info lines stay in the JSON
    const std::string unfurl = test::all_text(test::check_block_kit(render_blocks_unfurl(s)));
    CHECK(unfurl.find("Not alone") != std::string::npos);
}

TEST_CASE("huge and hostile log volumes stay within Slack's limits and the terminal's width") {
    Summary s = test::small_summary();
    std::vector<LogLine> lines;
    for (int i = 0; i < 400; ++i) {
        lines.push_back(line(
            i,
            i % 2 ? "ERROR" : "WARN",
            test::hostile(5000, std::to_string(i) + "<&>"),
            "span" + std::to_string(i % 40)
        ));
    }
    s.logs = order_log_lines(std::move(lines));
    s.context.blast_radius = test::hostile(3000, "why<&>");
    test::check_block_kit(render_blocks_summary(s));
    const json detail = test::check_block_kit(render_blocks_detail(s));
    test::check_mrkdwn_escaping(test::all_text(detail));
    RenderOptions narrow;
    narrow.width = 60;
    const std::string text = render_text(s, narrow);
    CHECK(text.find("Error and warning logs (300 lines in all)") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
}

}  // namespace incident_context_test
