// Terminal text: widths honoured for any input, sections in reading order, durations and marks.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "nra/render/render.hpp"
#include "unit/render_samples.hpp"

namespace render_text_test {

using namespace nra;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::size_t position(const std::string& text, const std::string& needle) {
    const std::size_t at = text.find(needle);
    INFO("missing: " << needle);
    REQUIRE(at != std::string::npos);
    return at;
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("text: header, request, path, then sections in reading order", "[unit][render]") {
    const std::string out = render_text(test::small_summary());
    const auto lines = lines_of(out);
    REQUIRE(lines.size() > 10);
    CHECK(
        lines[0] ==
        "Trace 4bf92f3577b34da6a3ce929d0e0e4736 · 1.45 s · 312 spans · 4 services · COMPLETE"
    );
    CHECK(lines[1] == "Request  GET /checkout");
    CHECK(lines[2] == "Path     frontend → checkout → order-service → payment-service");
    const std::vector<std::string> order = {
        "Where the time went",
        "Findings (4)",
        "Errors (2)",
        "Slowest spans",
        "Critical path (6",
        "Notes"};
    std::size_t last = 0;
    for (const auto& heading : order) {
        const std::size_t at = position(out, "\n" + heading);
        CHECK(at > last);
        last = at;
    }
    CHECK(out.back() == '\n');
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find(" \n") == std::string::npos);  // no trailing spaces
}

TEST_CASE("text: services by self time with share and bar", "[unit][render]") {
    const std::string out = render_text(test::small_summary());
    // 820.12345 / (820.12345 + 310.5 + 200 + 119.4) = 56.6 %
    CHECK(
        out.find("  order-service       820 ms   56.6%  █████████████████\n") != std::string::npos
    );
    CHECK(position(out, "\n  order-service ") < position(out, "\n  checkout "));
    CHECK(position(out, "\n  payment-service ") < position(out, "\n  frontend "));
}

TEST_CASE("text: findings are first-class, in order, with their saving", "[unit][render]") {
    const std::string out = render_text(test::small_summary());
    CHECK(
        out.find("  1. N+1 queries in order-service — saves ~410 ms (48 spans, 520 ms)\n") !=
        std::string::npos
    );
    CHECK(out.find("     48 identical SELECTs under GET /cart: N+1\n") != std::string::npos);
    CHECK(out.find("     Statement: SELECT * FROM items WHERE id = ?\n") != std::string::npos);
    CHECK(out.find("     At: CartRepository.load (cart.py:42)\n") != std::string::npos);
    CHECK(position(out, "  1. N+1") < position(out, "  2. Sequential calls"));
    CHECK(position(out, "  2. Sequential") < position(out, "  3. Slow query"));
    CHECK(out.find("  4. Uninstrumented gap in checkout (1 span, 120 ms)\n") != std::string::npos);
}

TEST_CASE("text: errors show the origin first and marked", "[unit][render]") {
    const std::string out = render_text(test::small_summary());
    const std::size_t origin =
        position(out, "  ✖ ORIGIN  payment-service · POST /charge · HTTP 402\n");
    const std::size_t other =
        position(out, "  ✖         checkout · POST /api/checkout · HTTP 500\n");
    CHECK(origin < other);
    CHECK(out.find("            CardDeclined: card declined\n") != std::string::npos);
}

TEST_CASE("text: critical path waterfall places bars on a time axis", "[unit][render]") {
    const std::string out = render_text(test::small_summary());
    const auto lines = lines_of(out);
    std::vector<std::string> rows;
    for (const auto& line : lines) {
        if (line.find('|') != std::string::npos && line.find(" · ") != std::string::npos) {
            rows.push_back(line);
        }
    }
    REQUIRE(rows.size() == 6);
    const auto bar_of = [](const std::string& row) {
        const std::size_t open = row.find('|');
        return row.substr(open + 1, row.find('|', open + 1) - open - 1);
    };
    // 16 cells for 1.45 s: the order-service segment (312.5..1012.5 ms) covers cells 3..11.
    CHECK(bar_of(rows[2]) == "   █████████    ");
    CHECK(bar_of(rows[0]) == "█               ");  // 12.5 ms: at least one cell
    CHECK(bar_of(rows[5]) == "               █");  // ends at the end of the axis
    CHECK(rows[0].find("+0 µs    12.5 ms") != std::string::npos);
    CHECK(rows[1].find("|   checkout · POST /api/checkout") != std::string::npos);   // depth 1
    CHECK(rows[2].find("|     order-service · SELECT items") != std::string::npos);  // depth 2
    CHECK(rows[3].find("+1.01 s") != std::string::npos);
}

TEST_CASE(
    "text: the waterfall prefers folded path rows and shows the loop size", "[unit][render]"
) {
    RenderOptions options;
    options.max_path_rows = 3;
    const std::string out = render_text(test::folded_summary(), options);
    CHECK(out.find("Critical path (4 rows)") != std::string::npos);
    CHECK(out.find("|     48× order-service · SELECT items\n") != std::string::npos);
    CHECK(out.find("\n  … and 1 more row\n") != std::string::npos);
    CHECK(out.find("|     payment-service") == std::string::npos);  // the 4th row is cut
}

TEST_CASE("text: long critical paths stop at max_path_rows", "[unit][render]") {
    RenderOptions options;
    options.max_path_rows = 7;
    const std::string out = render_text(test::enormous_summary(), options);
    CHECK(out.find("\n  … and 4993 more segments\n") != std::string::npos);
    CHECK(count(out, "290 µs    290 µs  |") == 7);
    CHECK(out.find("Critical path (5000 segments)") != std::string::npos);
    CHECK(out.find("… and 490 more findings") != std::string::npos);
    CHECK(out.find("… and 992 more errors") != std::string::npos);
    CHECK(out.find("… and 192 more services") != std::string::npos);
}

TEST_CASE("text: every line fits the width for every summary", "[unit][render]") {
    const std::vector<Summary> summaries = {
        test::small_summary(), test::empty_summary(), test::enormous_summary()};
    for (const int width : {1, 20, 40, 57, 80, 100, 160}) {
        for (std::size_t i = 0; i < summaries.size(); ++i) {
            RenderOptions options;
            options.width = width;
            options.trace_link = "https://one.newrelic.com/" + std::string(300, 'x');
            const std::string out = render_text(summaries[i], options);
            REQUIRE(test::valid_utf8(out));
            CHECK(out.find('\x1b') == std::string::npos);
            CHECK(out.find('\t') == std::string::npos);
            for (const auto& line : lines_of(out)) {
                INFO("width " << width << " summary " << i << ": " << line);
                CHECK(test::code_points(line) <= static_cast<std::size_t>(width));
            }
        }
    }
}

TEST_CASE("text: hostile names cannot add lines or escapes", "[unit][render]") {
    Summary s = test::small_summary();
    s.request = "GET /x\n\nINJECTED LINE\x1b[2J";
    s.services[0].service = "svc\r\nfake";
    const std::string out = render_text(s);
    CHECK(out.find("\nINJECTED") == std::string::npos);
    CHECK(out.find("Request  GET /x  INJECTED LINE [2J\n") != std::string::npos);
    CHECK(out.find('\r') == std::string::npos);
    CHECK(out.find('\x1b') == std::string::npos);
}

TEST_CASE("text: bidi and zero-width controls never reach the terminal", "[unit][render]") {
    Summary s = test::small_summary();
    // "GET /invoice" shown reversed after U+202E; U+200E/F, U+061C, U+2066–9 and U+200B hide or
    // reorder text the same way.
    s.request = "GET /\u202Eeciovni\u202C x\u200Ey\u200Fz\u061C\u2066w\u2069\u200Bv";
    s.services[0].service = "svc\u2067a\u2068b\u202Ac\u202Bd\u202De";
    s.findings[0].summary = "N+1 in \u202Esvc";
    const std::string out = render_text(s);
    for (const std::string_view bad :
         {"\u202A",
          "\u202B",
          "\u202C",
          "\u202D",
          "\u202E",
          "\u200E",
          "\u200F",
          "\u061C",
          "\u2066",
          "\u2067",
          "\u2068",
          "\u2069",
          "\u200B"}) {
        INFO("U+" << std::hex << static_cast<int>(static_cast<unsigned char>(bad.back())));
        CHECK(out.find(bad) == std::string::npos);
    }
    CHECK(out.find("xyzwv") != std::string::npos);
    const TraceHeadline headline = trace_headline(s);
    CHECK(headline.request == "GET /eciovni xyzwv");
}

TEST_CASE("text: empty and incomplete traces say so plainly", "[unit][render]") {
    const std::string out = render_text(test::empty_summary());
    CHECK(out.rfind("Trace 0000000000000000 · 0 µs · 0 spans · 0 services · INCOMPLETE\n", 0) == 0);
    CHECK(out.find("No spans in this trace.") != std::string::npos);
    CHECK(out.find("Incomplete trace: the root span never arrived.") != std::string::npos);
    CHECK(out.find("Findings") == std::string::npos);
    CHECK(out.find("Critical path") == std::string::npos);
}

TEST_CASE("text: link and non-default width", "[unit][render]") {
    RenderOptions options;
    options.trace_link = "https://one.newrelic.com/t?id=1";
    options.width = 0;  // nonsense widths fall back to 100
    const std::string out = render_text(test::small_summary(), options);
    CHECK(out.find("\nNew Relic\n  https://one.newrelic.com/t?id=1\n") != std::string::npos);
    for (const auto& line : lines_of(out)) {
        CHECK(test::code_points(line) <= 100);
    }
}

}  // namespace render_text_test
