// SLO review digest renderers: the terminal text says every number a reviewer needs,
// the JSON keeps its contract with nulls for unknowns, and the Slack message mentions owners,
// offers the review buttons only where a review is due and stays inside Block Kit's limits.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "nra/report/slo_digest.hpp"
#include "unit/block_kit_checks.hpp"
#include "unit/slo_digest_samples.hpp"

namespace slo_digest_render_test {

using nlohmann::json;
using namespace nra;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

namespace {

bool is_id_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Local allowance for the shared escaping check, which knows links and channels but not the
// owner mentions: each well-formed <@U…>/<@W…>/<!subteam^S…> becomes plain "@ID"; anything
// malformed is left in place for check_mrkdwn_escaping to reject.
std::string without_mentions(std::string payload) {
    for (const std::string open : {"<@", "<!subteam^"}) {
        for (std::size_t i = payload.find(open); i != std::string::npos;
             i = payload.find(open, i + 1)) {
            const std::size_t close = payload.find('>', i);
            if (close == std::string::npos) break;
            const std::string id = payload.substr(i + open.size(), close - i - open.size());
            const bool kind_ok = open == "<@" ? (id.rfind('U', 0) == 0 || id.rfind('W', 0) == 0)
                                              : id.rfind('S', 0) == 0;
            if (!kind_ok || id.size() < 3 || !std::all_of(id.begin(), id.end(), is_id_char)) {
                continue;
            }
            payload.replace(i, close - i + 1, "@" + id);
        }
    }
    return payload;
}

json checked_blocks(const slo::Digest& digest) {
    return test::check_block_kit(without_mentions(slo::render_digest_blocks(digest).dump()));
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The section whose text starts with the SLO's bold name, or null.
const json* section_of(const json& blocks, const std::string& escaped_name) {
    for (const json& b : blocks) {
        if (b.at("type") == "section" &&
            b.at("text").at("text").get<std::string>().rfind("*" + escaped_name + "*", 0) == 0) {
            return &b;
        }
    }
    return nullptr;
}

// The slice of `text` from `from` up to `to` (or the end).
std::string slice(const std::string& text, const std::string& from, const std::string& to) {
    const std::size_t a = text.find(from);
    const std::size_t b = text.find(to, a == std::string::npos ? 0 : a + 1);
    return a == std::string::npos ? std::string()
                                  : text.substr(a, b == std::string::npos ? b : b - a);
}

void check_contains_all(const std::string& text, const std::vector<std::string>& parts) {
    for (const std::string& part : parts) {
        CHECK_THAT(text, Contains(part));
    }
}

}  // namespace

TEST_CASE(
    "owner_mention: Slack ids become mentions, anything else stays plain", "[unit][slo_digest]"
) {
    CHECK(slo::owner_mention("") == "nobody");
    CHECK(slo::owner_mention("U123") == "<@U123>");
    CHECK(slo::owner_mention("W024BE7LH") == "<@W024BE7LH>");
    CHECK(slo::owner_mention("S0123ABCD") == "<!subteam^S0123ABCD>");
    CHECK(slo::owner_mention("u123") == "u123");
    CHECK(slo::owner_mention("SRE") == "SRE");  // a word, not an id: no broken group mention
    CHECK(slo::owner_mention("U12 3") == "U12 3");
    CHECK(slo::owner_mention("<!channel> & co") == "&lt;!channel&gt; &amp; co");
}

TEST_CASE("digest text: promise, windows, suggestion, spenders and reviews", "[unit][slo_digest]") {
    const std::string text = slo::render_digest_text(test::sample_digest(), 100);
    INFO(text);
    CHECK_THAT(text, StartsWith("SLO review: checkout · 2026-11-23 · 6 SLOs, 2 reviews due\n"));
    // The tighten SLO: promise, plain sentence, the four windows, the advice and its numbers.
    check_contains_all(
        slice(text, "checkout-availability\n", "search-latency\n"),
        {
            "checkout · availability · 99.9 % over 30 days",
            "Checkout answered 99.99 % of requests without an error this month",
            "Windows (oldest first):\n    2026-07-26 → 2026-08-25",
            "2026-10-24 → 2026-11-23    99.99 %  met     90 % of budget left",
            "Suggestion: Tighten to 99.95 %",
            "The last 3 windows spent only 10 % of their error budget",
            "Rule: SRE Workbook, \"Implementing SLOs\"",
            "The error budget policy would have stopped releases in 0 of 4 windows.",
            "What spent the budget:\n    GET /cart: 60 errors (60 %)\n    POST /pay",
            "Owner: U024BE7LH · Next review 2027-01-22",
        }
    );
    // The loosen SLO: latency kind, endpoint glob, missed windows and release stops.
    check_contains_all(
        slice(text, "search-latency\n", "payments-availability\n"),
        {
            "search · endpoints GET /search* · latency within 500 ms · 99 % over 30 days",
            "   98 %  missed  budget used up (200 % spent)",
            "Suggestion: Loosen to 98 %",
            "The error budget policy would have stopped releases in 4 of 4 windows.",
            "GET /search/full: 15,000 slow requests (75 %)",
        }
    );
    const std::string keep = slice(text, "payments-availability\n", "inventory-availability\n");
    check_contains_all(keep, {"Suggestion: Keep 99.9 %", "Owner: S0123ABCD\n"});
    CHECK_THAT(keep, !Contains("Review"));  // never due: no review date
    // No data: windows say so, no release-stop sentence, due today.
    const std::string empty = slice(text, "inventory-availability\n", "checkout-latency\n");
    check_contains_all(
        empty,
        {
            "2026-10-24 → 2026-11-23  no data",
            "Suggestion: Not enough data",
            "Owner: nobody · Review due today",
        }
    );
    CHECK_THAT(empty, !Contains("stopped releases"));
    // The problem SLO: named with its problem, nothing else.
    CHECK(
        slice(text, "checkout-latency\n", "billing-availability\n") ==
        "checkout-latency\n  ! checkout-latency could not be computed: New Relic did not answer in "
        "time\n\n"
    );
    // Overdue with why, decision and the history note.
    check_contains_all(
        slice(text, "billing-availability\n", "Reviews due"),
        {
            "Owner: U0BILLING1 · Review 12 days overdue",
            "Why this target: Invoices must go out the same day.",
            "Last review: keep, by U0ALICE42 on 2026-08-01",
            "Note: New Relic keeps 8 days of events",
        }
    );
    CHECK_THAT(text, EndsWith("\n\nReviews due: inventory-availability, billing-availability\n"));
    CHECK(text.find('<') == std::string::npos);  // no Slack markup
    CHECK(text.find('*') == text.find("GET /search*") + 11);
}

TEST_CASE(
    "digest text: every line fits the width and hostile text is cleaned", "[unit][slo_digest]"
) {
    slo::Digest digest = test::sample_digest();
    digest.slos[0].spec.name = "evil\x1b[31m-slo";
    digest.slos[0].spec.review.why = std::string(500, 'w') + " and more words to wrap around";
    const std::string text = slo::render_digest_text(digest, 60);
    for (const std::string& line : lines_of(text)) {
        INFO(line);
        CHECK(test::code_points(line) <= 60);
    }
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK_THAT(text, Contains("evil [31m-slo"));
}

TEST_CASE("digest text: nothing due says so", "[unit][slo_digest]") {
    const slo::Digest digest = test::single_digest(test::tighten_entry(), "all");
    const std::string text = slo::render_digest_text(digest);
    CHECK_THAT(text, EndsWith("No review is due.\n"));
    CHECK_THAT(text, Contains("1 SLO, no review due"));
}

TEST_CASE(
    "digest JSON: the contract's fields, nulls for unknowns, due names", "[unit][slo_digest]"
) {
    const std::string text = slo::render_digest_json(test::sample_digest());
    const json j = json::parse(text);
    CHECK(j.at("scope") == "checkout");
    CHECK(j.at("generated") == "2026-11-23T09:00:00Z");
    CHECK(j.at("due") == json::array({"inventory-availability", "billing-availability"}));
    const json& slos = j.at("slos");
    REQUIRE(slos.size() == 6);
    std::vector<std::string> keys;
    const auto ordered = nlohmann::ordered_json::parse(text);  // keys in the order written
    for (const auto& [key, value] : ordered.at("slos")[0].items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"name",          "service",      "endpoint",
                                           "kind",          "target",       "latency_ms",
                                           "window_days",   "owner",        "review_every_days",
                                           "last_reviewed", "why",          "problem",
                                           "history_note",  "windows",      "suggestion",
                                           "summary",       "review_due",   "overdue_days",
                                           "spenders",      "last_decision"});

    const json& tighten = slos[0];
    CHECK(tighten.at("latency_ms").is_null());
    CHECK(tighten.at("owner") == "U024BE7LH");
    CHECK(tighten.at("last_reviewed") == "2026-10-24");
    CHECK(tighten.at("why").is_null());
    CHECK(tighten.at("problem").is_null());
    CHECK(tighten.at("review_due") == false);
    CHECK(tighten.at("overdue_days").is_null());
    CHECK(tighten.at("last_decision").is_null());
    REQUIRE(tighten.at("windows").size() == 4);
    const json& w = tighten.at("windows")[3];
    CHECK(w.at("since") == "2026-10-24T00:00:00Z");
    CHECK(w.at("until_ms") == test::digest_today() * test::kDigestDayMs);
    CHECK(w.at("total") == 1'000'000);
    CHECK(w.at("attainment").get<double>() == Approx(0.9999));
    CHECK(w.at("budget_remaining").get<double>() == Approx(0.9));
    CHECK(w.at("met") == true);
    const json& s = tighten.at("suggestion");
    CHECK(s.at("kind") == "tighten");
    CHECK(s.at("proposed_target").get<double>() == Approx(0.9995));
    CHECK(s.at("windows_with_data") == 4);
    CHECK(s.at("release_stops") == 0);
    CHECK(
        tighten.at("spenders")[0] == json{{"endpoint", "GET /cart"}, {"bad", 60}, {"share", 0.6}}
    );

    CHECK(slos[1].at("latency_ms") == 500.0);
    CHECK(slos[1].at("kind") == "latency");
    CHECK(slos[1].at("windows")[0].at("met") == false);
    CHECK(slos[1].at("suggestion").at("release_stops") == 4);
    const json& empty = slos[3];
    CHECK(empty.at("windows")[0].at("attainment").is_null());
    CHECK(empty.at("windows")[0].at("met").is_null());
    CHECK(empty.at("suggestion").at("proposed_target").is_null());
    CHECK(empty.at("suggestion").at("best_attainment").is_null());
    CHECK(empty.at("overdue_days") == 0);
    CHECK(empty.at("review_due") == true);
    CHECK(empty.at("owner").is_null());
    const json& problem = slos[4];
    CHECK_THAT(problem.at("problem").get<std::string>(), Contains("could not be computed"));
    CHECK(problem.at("suggestion").is_null());
    CHECK(problem.at("summary").is_null());
    const json& overdue = slos[5];
    CHECK(overdue.at("overdue_days") == 12);
    CHECK(
        overdue.at("last_decision") ==
        json{{"decision", "keep"}, {"user", "U0ALICE42"}, {"at", "2026-08-01T00:00:00Z"}}
    );
    CHECK(
        overdue.at("history_note") ==
        "New Relic keeps 8 days of events: only the current 30-day window"
    );
}

TEST_CASE(
    "digest blocks: mentions, buttons only for due reviews, the full story", "[unit][slo_digest]"
) {
    const std::string payload = slo::render_digest_blocks(test::sample_digest()).dump();
    const json message = checked_blocks(test::sample_digest());
    const json& blocks = message.at("blocks");
    CHECK(message.at("text") == "SLO review for checkout: 6 SLOs, 2 reviews due");
    CHECK(blocks[0].at("text").at("text") == "SLO review: checkout");
    CHECK_THAT(payload, Contains("owner <@U0BILLING1>"));
    CHECK_THAT(payload, Contains("Owner: <!subteam^S0123ABCD>"));
    CHECK_THAT(payload, Contains("Last review: keep, by <@U0ALICE42> on 2026-08-01"));

    std::vector<std::string> buttoned;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (blocks[i].at("type") != "actions") continue;
        const json& elements = blocks[i].at("elements");
        REQUIRE(elements.size() == 2);
        CHECK(elements[0].at("action_id") == slo::kReviewKeepAction);
        CHECK(elements[0].at("text").at("text") == "Reviewed, keep");
        CHECK(elements[0].at("style") == "primary");
        CHECK(elements[1].at("action_id") == slo::kReviewChangeAction);
        CHECK(elements[1].at("text").at("text") == "Propose change");
        CHECK(elements[0].at("value") == elements[1].at("value"));
        const std::string name = elements[0].at("value").get<std::string>();
        buttoned.push_back(name);
        // Right under the SLO's own section.
        CHECK_THAT(blocks[i - 1].at("text").at("text").get<std::string>(), Contains(name));
    }
    CHECK(buttoned == std::vector<std::string>{"inventory-availability", "billing-availability"});

    const json* tighten = section_of(blocks, "checkout-availability");
    REQUIRE(tighten != nullptr);
    const std::string t = tighten->at("text").at("text").get<std::string>();
    CHECK_THAT(t, Contains("*Suggestion: Tighten to 99.95 %* — The last 3 windows"));
    CHECK_THAT(t, Contains("• 2026-10-24 → 2026-11-23: 99.99 % (met, 90 % of budget left)"));
    CHECK_THAT(t, Contains("• `GET /cart` 60 errors (60 %)"));
    CHECK_THAT(t, Contains("Next review 2027-01-22"));
    const json* loosen = section_of(blocks, "search-latency");
    REQUIRE(loosen != nullptr);
    const std::string l = loosen->at("text").at("text").get<std::string>();
    CHECK_THAT(l, Contains("endpoints `GET /search*`"));
    CHECK_THAT(l, Contains("would have stopped releases in 4 of 4 windows"));
    CHECK_THAT(l, Contains("98 % (missed, budget used up (200 % spent))"));
    CHECK(section_of(blocks, "checkout-latency") == nullptr);  // the problem line stands alone
    CHECK_THAT(payload, Contains(":warning: checkout-latency could not be computed"));
    CHECK_THAT(payload, Contains("_Why this target:_ Invoices must go out the same day."));
}

TEST_CASE(
    "digest blocks: hostile names are escaped, their buttons carry the raw name",
    "[unit][slo_digest]"
) {
    slo::Digest digest = test::sample_digest();
    digest.scope = "<!here> & co";
    digest.slos[5].spec.name = "<script>&alert";
    digest.slos[5].spec.review.owner = "<!channel>";
    const std::string payload = slo::render_digest_blocks(digest).dump();
    const json message = checked_blocks(digest);
    const std::string all = test::all_text(message);
    CHECK_THAT(all, Contains("*&lt;script&gt;&amp;alert*"));
    CHECK_THAT(all, Contains("owner &lt;!channel&gt;"));
    CHECK_THAT(message.at("text").get<std::string>(), Contains("&lt;!here&gt; &amp; co"));
    CHECK(payload.find("<script>&alert*") == std::string::npos);
    CHECK_THAT(payload, Contains("\"value\":\"<script>&alert\""));
}

TEST_CASE("digest blocks: a name too long for a button gets a note instead", "[unit][slo_digest]") {
    slo::DigestEntry e = test::overdue_entry();
    e.spec.name = std::string(2001, 'n');
    const slo::Digest digest = test::single_digest(e);
    const json message = checked_blocks(digest);
    const std::string all = test::all_text(message);
    for (const json& b : message.at("blocks")) CHECK(b.at("type") != "actions");
    CHECK_THAT(all, Contains("too long for review buttons"));
}

TEST_CASE("digest blocks: 60 SLOs stay within 50 blocks and count the rest", "[unit][slo_digest]") {
    for (const bool due : {false, true}) {
        slo::Digest digest;
        digest.scope = "all";
        for (int i = 0; i < 60; ++i) {
            slo::DigestEntry e = test::tighten_entry();
            e.spec.name = "slo-" + std::to_string(i);
            e.spec.review.why = std::string(4000, 'y');
            if (due) e.overdue_days = i;
            digest.slos.push_back(e);
        }
        INFO("due " << due);
        const json message = checked_blocks(digest);
        const json& blocks = message.at("blocks");
        CHECK(blocks.size() == 50);
        const std::size_t sections =
            static_cast<std::size_t>(std::count_if(blocks.begin(), blocks.end(), [](const json& b) {
                return b.at("type") == "section";
            }));
        CHECK(sections == (due ? 24U : 48U));
        const json& last = blocks.back();
        REQUIRE(last.at("type") == "context");
        CHECK(
            last.at("elements")[0].at("text") ==
            "+" + std::to_string(60 - sections) + " more SLOs: see `nr-analyzer slo review`"
        );
        CHECK_THAT(
            message.at("text").get<std::string>(),
            Contains(due ? "60 SLOs, 60 reviews due" : "60 SLOs, no review due")
        );
    }
}

TEST_CASE(
    "digest blocks: a section with everything at its longest is clipped, owner kept",
    "[unit][slo_digest]"
) {
    slo::DigestEntry e = test::overdue_entry();
    e.spec.name = std::string(500, 'n');
    e.spec.service = std::string(500, 's');
    e.spec.endpoint = std::string(500, 'e');
    e.summary = std::string(2000, 'm');
    e.advice.because = std::string(2000, 'b');
    e.advice.rule = std::string(2000, 'r');
    e.history = test::digest_history(30, 1'000, std::vector<std::int64_t>(40, 1));
    e.history_note = std::string(2000, 'h');
    e.spenders.assign(3, slo::BudgetSpender{std::string(1000, 'p'), 5, 0.3});
    e.spec.review.why = std::string(2000, 'w');
    const slo::Digest digest = test::single_digest(e);
    const json message = checked_blocks(digest);
    const std::string text = message.at("blocks")[1].at("text").at("text").get<std::string>();
    CHECK_THAT(text, EndsWith("…"));
    CHECK(test::utf16_units(text) > 2900);
    CHECK_THAT(text, Contains("owner @U0BILLING1"));  // near the top, so clipping spares it
    CHECK_THAT(text, Contains("28 earlier windows not shown"));
    CHECK(message.at("blocks")[2].at("type") == "actions");
}

TEST_CASE("digest blocks: an empty digest still says something", "[unit][slo_digest]") {
    slo::Digest digest;
    digest.scope = "all";
    const json message = checked_blocks(digest);
    REQUIRE(message.at("blocks").size() == 2);
    CHECK(message.at("blocks")[1].at("text").at("text") == "No SLOs are configured here.");
    CHECK(message.at("text") == "SLO review for all: 0 SLOs, no review due");
}

}  // namespace slo_digest_render_test
