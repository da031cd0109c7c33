// The renderers' private helpers: durations, UTF-8-safe clipping, Slack escaping.
#include "core/render/render_util.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "core/render/block_list.hpp"
#include "nra/render/render.hpp"
#include "unit/render_samples.hpp"

namespace render_util_test {

using namespace nra;
using namespace nra::render_detail;
using nra::test::valid_utf8;

namespace {

// True when text (minus a trailing "…") is only whole escape tokens and non-'&' characters.
bool escapes_intact(std::string_view text) {
    if (text.size() >= kEllipsis.size() &&
        text.substr(text.size() - kEllipsis.size()) == kEllipsis) {
        text.remove_suffix(kEllipsis.size());
    }
    for (std::size_t i = text.find('&'); i != std::string_view::npos; i = text.find('&', i + 1)) {
        const auto rest = text.substr(i);
        if (rest.rfind("&amp;", 0) != 0 && rest.rfind("&lt;", 0) != 0 &&
            rest.rfind("&gt;", 0) != 0) {
            return false;
        }
    }
    return text.find('<') == std::string_view::npos && text.find('>') == std::string_view::npos;
}

}  // namespace

TEST_CASE("durations read like a human wrote them", "[unit][render]") {
    CHECK(format_duration(0) == "0 µs");
    CHECK(format_duration(0.85) == "850 µs");
    CHECK(format_duration(0.9996) == "1.00 ms");
    CHECK(format_duration(1.234) == "1.23 ms");
    CHECK(format_duration(12.44) == "12.4 ms");
    CHECK(format_duration(99.96) == "100 ms");
    CHECK(format_duration(850) == "850 ms");
    CHECK(format_duration(999.6) == "1.00 s");
    CHECK(format_duration(1450) == "1.45 s");
    CHECK(format_duration(12'340) == "12.3 s");
    CHECK(format_duration(125'000) == "2 min 05 s");
    CHECK(format_duration(7'380'000) == "2 h 03 min");
    CHECK(format_duration(-5) == "-5.00 ms");
    CHECK(format_duration(std::nan("")) == "?");
    CHECK(format_duration(std::numeric_limits<double>::infinity()) == "?");
    CHECK_FALSE(format_duration(1e300).empty());
    CHECK(format_saving(0).empty());
    CHECK(format_saving(410) == "~410 ms");
}

TEST_CASE("milliseconds round to microsecond precision", "[unit][render]") {
    CHECK(round_ms(1.23456) == Approx(1.235).margin(1e-12));
    CHECK(round_ms(820.12345) == Approx(820.123).margin(1e-12));
    CHECK(round_ms(-0.0001) == 0.0);
    CHECK_FALSE(std::signbit(round_ms(-0.0001)));
    CHECK(round_ms(std::nan("")) == 0.0);
}

TEST_CASE("fit and pad count code points, not bytes", "[unit][render]") {
    CHECK(width_of("héllo €😀") == 8);
    CHECK(fit("héllo wörld", 5) == "héll…");
    CHECK(fit("héllo", 5) == "héllo");
    CHECK(fit("héllo", 0).empty());
    CHECK(pad_right("é", 3) == "é  ");
    CHECK(pad_left("é", 3) == "  é");
    CHECK(slack_length("a😀") == 3);
    CHECK(fit_units("😀😀😀", 4) == "😀…");
    const std::string bad =
        "ab\xff\xfe"
        "cd";
    CHECK(width_of(bad) == 6);
    CHECK(valid_utf8(clean(bad)));
    CHECK(
        clean(bad) ==
        "ab\xEF\xBF\xBD\xEF\xBF\xBD"
        "cd"
    );
}

TEST_CASE("fit_middle keeps both ends of long operation names", "[unit][render]") {
    const std::string name = "WebTransaction/SpringController/customers/{customerId}/orders (GET)";
    const std::string out = fit_middle(name, 30);
    CHECK(width_of(out) == 30);
    CHECK(out == "WebTransact…erId}/orders (GET)");  // 2/5 head, 3/5 tail
    CHECK(fit_middle("short", 30) == "short");
    CHECK(fit_middle("é€😀é€😀é€😀é€😀", 9) == "é€😀…€😀é€😀");
    CHECK(width_of(fit_middle(name, 5)) == 5);
}

TEST_CASE(
    "clean removes line breaks, terminal escapes, bidi and zero-width controls", "[unit][render]"
) {
    CHECK(clean("a\nb\tc\x1b[31md") == "a b c [31md");
    CHECK(clean("a\u2028b\u2029c\u0085d") == "a b c d");
    CHECK(
        clean("x\u202Ey\u200Bz\u200Ew\u200Fv\u061Cu\u2066t\u2069s\u2060r\uFEFFq") == "xyzwvutsrq"
    );
    CHECK(clean("€ ok \u200D") == "€ ok \u200D");  // joiners stay: emoji sequences need them
}

TEST_CASE("wrap keeps every line within width and marks the cut", "[unit][render]") {
    const auto lines = wrap("one two three four five six seven eight nine ten", 10, 3);
    REQUIRE(lines.size() == 3);
    for (const auto& line : lines) {
        CHECK(width_of(line) <= 10);
    }
    CHECK(lines[0] == "one two");
    CHECK(lines.back().size() >= kEllipsis.size());
    CHECK(lines.back().substr(lines.back().size() - kEllipsis.size()) == kEllipsis);
    CHECK(wrap("short", 10, 3) == std::vector<std::string>{"short"});
    CHECK(wrap(std::string(50, 'x'), 10, 2).front() == std::string(9, 'x') + "…");
    CHECK(wrap("anything", 10, 0).empty());
}

TEST_CASE(
    "slack_escape: no mention, link, code span, format or hidden character survives",
    "[unit][render]"
) {
    CHECK(slack_escape("a&b<c>d") == "a&amp;b&lt;c&gt;d");
    CHECK(slack_escape("&amp;") == "&amp;amp;");
    CHECK(
        slack_escape("<!here> <@U1> <https://evil.test|ok>") ==
        "&lt;!here&gt; &lt;@U1&gt; &lt;https://evil.test|ok&gt;"
    );
    CHECK(slack_escape("a`b ``` c") == "aˋb ˋˋˋ c");
    CHECK(slack_escape("*bold* _it_ ~st~ é") == "∗bold∗ ˍitˍ ∼st∼ é");
    CHECK(slack_escape("snake_case a*b x~y v2_1") == "snake_case a*b x~y v2_1");  // inside words
    CHECK(slack_escape("é_x _a b_") == "éˍx ˍa bˍ");
    CHECK(slack_escape("> quoted") == "› quoted");
    CHECK(slack_escape("  > quoted") == "  › quoted");
    CHECK(slack_escape("a > b") == "a &gt; b");
    CHECK(slack_escape("x\u202Eexe.txt\u200B\u2066y\u2069\nz") == "xexe.txty z");
    CHECK(slack_escape("bad \xff") == "bad \xEF\xBF\xBD");
}

TEST_CASE(
    "slack_escape in a code span leaves only the backtick and the markup to escape",
    "[unit][render]"
) {
    const auto code = SlackSpan::code;
    CHECK(slack_escape("*a* _b_ ~c~ `d` <e> & f", code) == "*a* _b_ ~c~ ˋdˋ &lt;e&gt; &amp; f");
    CHECK(slack_escape("> x\u202E", code) == "&gt; x");
}

TEST_CASE(
    "slack_escape_marked keeps our code spans and escapes in and around them", "[unit][render]"
) {
    CHECK(
        slack_escape_marked("no data for `a*b <!here>` in *x*") ==
        "no data for `a*b &lt;!here&gt;` in ∗x∗"
    );
    CHECK(slack_escape_marked("`a` and `b_c` and `d") == "`a` and `b_c` and ˋd");
    CHECK(slack_escape_marked("> `q`") == "› `q`");
    CHECK(slack_escape_marked("`q` > r") == "`q` &gt; r");
    CHECK(slack_escape_marked("") == "");
}

TEST_CASE("mrkdwn_marked clips without leaving a code span open", "[unit][render]") {
    const std::string raw = "slow: `SELECT * FROM a_very_long_table WHERE id = ?` in *svc*";
    for (std::size_t max = 0; max <= 70; ++max) {
        const std::string out = mrkdwn_marked(raw, max);
        INFO("max=" << max << " -> " << out);
        CHECK(slack_length(out) <= max);
        CHECK(std::count(out.begin(), out.end(), '`') % 2 == 0);
        CHECK(valid_utf8(out));
    }
    CHECK(mrkdwn_marked(raw, 20) == "slow: `SELECT * FR…`");
    CHECK(
        mrkdwn_marked(raw, 100) == "slow: `SELECT * FROM a_very_long_table WHERE id = ?` in ∗svc∗"
    );
    // A cut that falls inside a code span still closes it, even when the input was cut first.
    CHECK(mrkdwn_marked("`" + std::string(500, 'x') + "`", 10) == "`xxxxxxx…`");
}

TEST_CASE("mrkdwn clipping never cuts an escape or a UTF-8 character", "[unit][render]") {
    for (const std::string raw : {"&&&&&&&&&&", "<€>&😀<é>&<<>>", "plain text that is long"}) {
        for (std::size_t max = 0; max <= 40; ++max) {
            const std::string out = mrkdwn(raw, max);
            INFO(raw << " max=" << max << " -> " << out);
            CHECK(slack_length(out) <= max);
            CHECK(valid_utf8(out));
            CHECK(escapes_intact(out));
            const std::string clipped = clip_mrkdwn(slack_escape(raw), max);
            CHECK(slack_length(clipped) <= max);
            CHECK(valid_utf8(clipped));
            CHECK(escapes_intact(clipped));
        }
    }
    CHECK(mrkdwn("a<b", 100) == "a&lt;b");
    CHECK(mrkdwn("&&&", 7) == "&amp;…");
    CHECK(mrkdwn_code("a`b", 10) == "aˋb");
    CHECK(mrkdwn("*x*", 10) == "∗x∗");
    CHECK(mrkdwn("\u200B\u200B\u200B\u200Babcdef", 5) == "abcd…");  // hidden ones do not count
}

TEST_CASE("links percent-encode what would break them", "[unit][render]") {
    CHECK(
        slack_link("https://x.test/a?b=1&c=<2>|3 4", "Open") ==
        "<https://x.test/a?b=1&amp;c=%3C2%3E%7C3%204|Open>"
    );
    CHECK(slack_link("", "Open").empty());
    CHECK(slack_link(std::string(5000, 'a'), "Open").empty());
}

TEST_CASE("share bars have a fixed width", "[unit][render]") {
    CHECK(share_bar(0.5, 10) == "█████     ");
    CHECK(width_of(share_bar(0.33, 7)) == 7);
    CHECK(width_of(share_bar(2.0, 5)) == 5);
    CHECK(width_of(share_bar(std::nan(""), 5)) == 5);
    CHECK(share_bar(0.5, 1) == "▌");
    CHECK(share_bar(1.0 / 16, 1) == "▏");
}

TEST_CASE("kind labels", "[unit][render]") {
    CHECK(kind_label("n_plus_one_db") == "N+1 queries");
    CHECK(kind_label("retries") == "Retries");
    CHECK(kind_label("brand_new") == "brand_new");
    CHECK(kind_label("") == "Finding");
}

}  // namespace render_util_test
