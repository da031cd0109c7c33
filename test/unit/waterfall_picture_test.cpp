// The waterfall picture's layout (pure): collapsed N+1 rows, critical-path and error flags,
// service colours, axis ticks, the row cap on a 100k-span trace, and degenerate traces.
#include "nra/render/waterfall_picture.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "support/trace_builder.hpp"
#include "waterfall_picture_helpers.hpp"

namespace waterfall_picture_test {

using nra::test::TraceBuilder;
using namespace nra::test::picture;

namespace {

const nra::PictureRow* row_named(const nra::WaterfallPicture& pic, const std::string& label) {
    for (const auto& row : pic.rows) {
        if (row.label == label) return &row;
    }
    return nullptr;
}

bool is_valid_utf8_without_controls(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80         ? 1
                                : (c >> 5) == 6  ? 2
                                : (c >> 4) == 14 ? 3
                                : (c >> 3) == 30 ? 4
                                                 : 0;
        if (len == 0 || i + len > s.size() || (len == 1 && (c < 0x20 || c == 0x7f))) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += len;
    }
    return true;
}

}  // namespace

TEST_CASE("an N+1 collapses into one ×N row spanning first start to last end", "[unit][picture]") {
    const auto a = analyse(checkout());
    const auto pic = picture_of(a);
    REQUIRE(pic.rows.size() == 4);
    CHECK(pic.rows[0].label == "frontend · GET /cart");
    CHECK(pic.rows[1].label == "order-service · CartController.show");
    const auto& loop = pic.rows[2];
    CHECK(loop.label == "mysql · SELECT items");
    CHECK(loop.count == 10);
    CHECK(loop.depth == 2);
    CHECK(pic.rows[3].count == 1);
    const auto& g = pic.geometry;
    const double px_per_us = (g.plot_x1 - g.plot_x0) / 100'000.0;
    CHECK(loop.x0 == Approx(g.plot_x0 + 2'000 * px_per_us));
    CHECK(loop.x1 == Approx(g.plot_x0 + (2'000 + 9 * 8'000 + 7'000) * px_per_us));
    CHECK(loop.duration_label == "79.0 ms");
    REQUIRE(loop.segments.size() == 10);  // the calls themselves, inside the run's extent
    CHECK(loop.segments.front().first == Approx(loop.x0));
    CHECK(loop.segments.back().second == Approx(loop.x1));
    CHECK(loop.segments[1].first == Approx(g.plot_x0 + 10'000 * px_per_us));
    CHECK(pic.rows[3].segments.empty());
    for (const auto& row : pic.rows) CHECK(row.show_service);  // every row changes service
    CHECK(pic.rows[0].x0 == Approx(g.plot_x0));
    CHECK(pic.rows[0].x1 == Approx(g.plot_x1));
    CHECK(pic.footer.empty());
    CHECK(pic.hidden_spans == 0);
    CHECK(pic.subtitle.find("×N") != std::string::npos);
}

TEST_CASE(
    "children of collapsed siblings collapse too, and only consecutive runs fold", "[unit][picture]"
) {
    TraceBuilder b;
    b.add("root", "", "checkout", "POST /checkout", 0, 100'000);
    for (int i = 0; i < 3; ++i) {  // three retried calls, each with its server span
        const auto id = std::to_string(i);
        b.add("c" + id, "root", "checkout", "POST /charge", 1'000 + i * 20'000, 15'000);
        b.add("s" + id, "c" + id, "payments", "ChargeHandler", 2'000 + i * 20'000, 12'000);
    }
    b.add("x1", "root", "checkout", "GET /a", 70'000, 5'000);
    b.add("x2", "root", "checkout", "GET /b", 76'000, 5'000);
    b.add("x3", "root", "checkout", "GET /a", 82'000, 5'000);
    const auto pic = picture_of(analyse(b));
    REQUIRE(pic.rows.size() == 6);
    CHECK(pic.rows[1].label == "checkout · POST /charge");
    CHECK(pic.rows[1].count == 3);
    CHECK(pic.rows[2].label == "payments · ChargeHandler");
    CHECK(pic.rows[2].count == 3);
    CHECK(pic.rows[2].depth == 2);
    CHECK(pic.rows[1].show_service == false);  // checkout under checkout: the name is enough
    CHECK(pic.rows[2].show_service);
    CHECK(pic.rows[3].label == "checkout · GET /a");
    CHECK(pic.rows[3].name == "GET /a");
    CHECK(pic.rows[3].count == 1);  // GET /a, GET /b, GET /a: not consecutive
    CHECK(pic.rows[4].count == 1);
    CHECK(pic.rows[5].count == 1);
}

TEST_CASE("critical-path rows are flagged, a short parallel call is not", "[unit][picture]") {
    TraceBuilder b;
    b.add("root", "", "web", "GET /slow", 0, 100'000);
    b.add("long", "root", "db", "SELECT report", 5'000, 90'000);
    b.add("short", "root", "cache", "GET key", 10'000, 2'000);
    const auto a = analyse(b);
    const auto pic = picture_of(a);
    std::set<std::string> path_ids;
    for (const auto& s : a.summary.critical_path) path_ids.insert(s.span_id);
    REQUIRE(path_ids.count("long") == 1);
    REQUIRE(path_ids.count("short") == 0);
    for (const auto& row : pic.rows) {
        const std::string id(a.tree.span(row.span).span_id);
        CHECK(row.on_critical_path == (path_ids.count(id) == 1));
    }
    CHECK(row_named(pic, "db · SELECT report")->on_critical_path);
    CHECK_FALSE(row_named(pic, "cache · GET key")->on_critical_path);
    bool legend_has_path = false;
    for (const auto& e : pic.legend) legend_has_path |= e.kind == nra::LegendKind::critical_path;
    CHECK(legend_has_path);
}

TEST_CASE("error spans are flagged, also inside a collapsed run", "[unit][picture]") {
    auto b = checkout();
    b.add("e", "h", "payments", "POST /charge", 96'000, 2'000).error = true;
    auto trace = b.build();
    trace.spans[5].error = true;  // one of the SELECTs
    Analysed a{nra::assemble(std::move(trace)), {}};
    a.summary = nra::summarize(a.tree);
    const auto pic = picture_of(a);
    CHECK(row_named(pic, "mysql · SELECT items")->error);
    CHECK(row_named(pic, "payments · POST /charge")->error);
    CHECK_FALSE(row_named(pic, "mysql · UPDATE cart")->error);
    CHECK_FALSE(row_named(pic, "frontend · GET /cart")->error);
    CHECK(pic.subtitle.find("2 error spans") != std::string::npos);
    CHECK(pic.legend.back().kind == nra::LegendKind::error);
}

TEST_CASE("service colours: distinct, path order first, stable", "[unit][picture]") {
    const auto& palette = nra::picture_palette();
    for (std::size_t i = 0; i < palette.size(); ++i) {
        for (std::size_t j = i + 1; j < palette.size(); ++j) {
            const int d = std::abs(palette[i].r - palette[j].r) +
                          std::abs(palette[i].g - palette[j].g) +
                          std::abs(palette[i].b - palette[j].b);
            CHECK(d > 60);
        }
        CHECK_FALSE((palette[i].r > 180 && palette[i].g < 40 && palette[i].b < 40)
        );  // not error red
    }

    const auto a = analyse(checkout());
    const auto pic = picture_of(a);
    std::map<std::string, int> colour_of;
    for (const auto& row : pic.rows) {
        const std::string service(a.tree.span(row.span).service);
        if (colour_of.count(service) > 0) CHECK(colour_of[service] == row.colour);
        colour_of[service] = row.colour;
    }
    REQUIRE(colour_of.size() == 3);
    std::set<int> distinct;
    for (const auto& [service, colour] : colour_of) distinct.insert(colour);
    CHECK(distinct.size() == 3);
    REQUIRE_FALSE(a.summary.path.empty());
    CHECK(colour_of[a.summary.path.front()] == 0);
    const auto again = picture_of(a);
    for (std::size_t i = 0; i < pic.rows.size(); ++i)
        CHECK(again.rows[i].colour == pic.rows[i].colour);
}

TEST_CASE("service colours: grey for every service past the tenth", "[unit][picture]") {
    TraceBuilder many;
    many.add("root", "", "svc-0", "GET /", 0, 100'000);
    for (int i = 1; i < 14; ++i) {
        many.add(
            "s" + std::to_string(i), "root", "svc-" + std::to_string(i), "call", i * 5'000, 4'000
        );
    }
    const auto wide = picture_of(analyse(many));
    std::set<int> used;
    int others = 0;
    for (const auto& row : wide.rows) {
        if (row.colour == nra::kOtherColour) {
            ++others;
        } else {
            CHECK(used.insert(row.colour).second);  // each palette colour names one service
        }
    }
    CHECK(used.size() == nra::kPaletteColours);
    CHECK(others == 4);
    bool other_entry = false;
    for (const auto& e : wide.legend) other_entry |= e.label == "other services (4)";
    CHECK(other_entry);
}

// 100,001 spans: 2,000 handlers (15 services) of 49 queries each, one failing deep inside;
// nothing collapses.
TraceBuilder hundred_thousand_spans() {
    TraceBuilder b;
    b.add("root", "", "gateway", "GET /big", 0, 10'000'000);
    int n = 1;
    for (int h = 0; h < 2'000; ++h) {
        const auto hid = "h" + std::to_string(h);
        b.add(
            hid,
            "root",
            "svc-" + std::to_string(h % 15),
            "handle " + std::to_string(h % 7),
            h * 5'000,
            4'000 + h % 13
        );
        ++n;
        for (int c = 0; c < 49; ++c, ++n) {  // alternating names: nothing collapses
            auto& s = b.add(
                hid + "c" + std::to_string(c),
                hid,
                "db",
                c % 2 == 0 ? "SELECT a" : "SELECT b",
                h * 5'000 + c * 80,
                70
            );
            s.error = (h == 1'234 && c == 17);
        }
    }
    REQUIRE(n == 100'001);
    return b;
}

TEST_CASE("a 100k-span trace gives a bounded picture with a footer", "[unit][picture]") {
    const auto a = analyse(hundred_thousand_spans());
    const auto pic = picture_of(a);
    CHECK(pic.rows.size() == 80);
    CHECK(pic.width <= 1600);
    CHECK(pic.height <= 80 * 22 + 400);
    CHECK(pic.footer.find("more spans not drawn") != std::string::npos);
    std::size_t drawn = 0;
    for (const auto& row : pic.rows) drawn += static_cast<std::size_t>(row.count);
    CHECK(pic.hidden_spans == a.tree.size() - drawn);
    // Rows stay a tree: each row's parent is drawn, so depth grows by at most one per row.
    CHECK(pic.rows.front().depth == 0);
    for (std::size_t i = 1; i < pic.rows.size(); ++i)
        CHECK(pic.rows[i].depth <= pic.rows[i - 1].depth + 1);
    bool error_row = false;
    int critical_rows = 0;
    for (const auto& row : pic.rows) {
        error_row |= row.error;
        critical_rows += row.on_critical_path ? 1 : 0;
    }
    CHECK(error_row);  // the one failing span deep inside survives the cap
    CHECK(critical_rows >= 2);

    nra::PictureOptions small;
    small.max_rows = 5;
    const auto five = picture_of(a, small);
    CHECK(five.rows.size() == 5);
    CHECK(five.rows.front().span == a.tree.root);
}

TEST_CASE("empty and one-span traces", "[unit][picture]") {
    const nra::TraceTree empty = nra::assemble(nra::Trace{});
    const auto none = nra::layout_waterfall(empty, nra::Summary{});
    CHECK(none.rows.empty());
    CHECK(none.ticks.empty());
    CHECK(none.width > 0);
    CHECK(none.height > 0);
    CHECK(none.height < 300);
    CHECK(none.footer == "No spans to draw.");

    TraceBuilder b;
    b.add("only", "", "api", "GET /health", 0, 1'500);
    const auto pic = picture_of(analyse(b));
    REQUIRE(pic.rows.size() == 1);
    CHECK(pic.rows[0].x0 == Approx(pic.geometry.plot_x0));
    CHECK(pic.rows[0].x1 == Approx(pic.geometry.plot_x1));
    CHECK(pic.rows[0].duration_label == "1.50 ms");
    CHECK(pic.title.find("GET /health") != std::string::npos);
}

TEST_CASE("hostile names become clean, clipped labels", "[unit][picture]") {
    TraceBuilder b;
    std::string name = "SELECT \x1b[31m\n\t";
    name += std::string(5'000, 'x') + "\xff\xfe";
    b.add("r", "", "svc\x07\xc3", name, 0, 1'000);
    b.add("c", "r", "", "   ", 10, 100);
    nra::PictureOptions o;
    o.max_label_cp = 60;
    const auto pic = picture_of(analyse(b), o);
    REQUIRE(pic.rows.size() == 2);
    for (const auto& row : pic.rows) {
        CHECK(is_valid_utf8_without_controls(row.label));
        CHECK(row.label.size() <= 60 * 4);
    }
    CHECK(pic.rows[1].label == "unknown");
    CHECK(is_valid_utf8_without_controls(pic.title));
}

TEST_CASE("deep traces: indentation is capped", "[unit][picture]") {
    TraceBuilder b;
    b.add("s0", "", "deep", "level 0", 0, 100'000);
    for (int i = 1; i < 60; ++i) {
        b.add(
            "s" + std::to_string(i),
            "s" + std::to_string(i - 1),
            "deep",
            "level " + std::to_string(i),
            i * 100,
            100'000 - i * 200
        );
    }
    const auto pic = picture_of(analyse(b));
    REQUIRE(pic.rows.size() == 60);
    CHECK(pic.rows.back().depth == 59);
    CHECK(pic.rows.back().indent_px <= pic.geometry.label_width * 3 / 10);
    CHECK(pic.rows[1].indent_px > pic.rows[0].indent_px);
}

}  // namespace waterfall_picture_test
