// The cairo painter: a real PNG with the layout's dimensions, service colours where the bars are,
// red error marks, and one golden picture (test/fixtures/golden/waterfall_small.png, compared
// with a tolerance; NRA_UPDATE_GOLDEN=1 rewrites it after an intended change).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/formats/formats.hpp"
#include "nra/render/waterfall_picture.hpp"
#include "picture/cairo_painter.hpp"
#include "support/fixtures.hpp"
#include "support/trace_builder.hpp"

namespace waterfall_png_test {

using nra::test::TraceBuilder;

namespace {

struct Analysed {
    nra::TraceTree tree;
    nra::Summary summary;
};

Analysed analyse(nra::Trace trace) {
    Analysed a{nra::assemble(std::move(trace)), {}};
    a.summary = nra::summarize(a.tree);
    return a;
}

Analysed checkout_with_error() {
    TraceBuilder b;
    b.add("root", "", "frontend", "GET /cart", 0, 100'000);
    b.add("h", "root", "order-service", "CartController.show", 1'000, 98'000);
    for (int i = 0; i < 10; ++i) {
        b.add("q" + std::to_string(i), "h", "mysql", "SELECT items", 2'000 + i * 6'000, 5'000);
    }
    b.add("e", "h", "payments", "POST /charge", 65'000, 30'000).error = true;
    return analyse(b.build());
}

int channel_distance(const nra::Rgb& a, const nra::Rgb& b) {
    return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

bool is_white(const nra::Rgb& c) {
    return c.r > 250 && c.g > 250 && c.b > 250;
}

// Pixels whose largest channel difference to `other` (white when null) is over 48.
std::size_t pixels_far_from(
    const nra::picture::PngImage& image, const nra::picture::PngImage* other
) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < image.pixels.size(); ++i) {
        const nra::Rgb ref = other == nullptr ? nra::Rgb{255, 255, 255} : other->pixels[i];
        count += channel_distance(image.pixels[i], ref) > 48 ? 1 : 0;
    }
    return count;
}

std::size_t pixels_near_white(const nra::picture::PngImage& image) {
    return static_cast<std::size_t>(std::count_if(
        image.pixels.begin(), image.pixels.end(), [](const nra::Rgb& c) { return is_white(c); }
    ));
}

// How many palette colours appear somewhere (bars, swatches).
std::size_t palette_colours_present(const nra::picture::PngImage& image) {
    std::set<std::size_t> found;
    for (const auto& px : image.pixels) {
        for (std::size_t i = 0; i < nra::kPaletteColours; ++i) {
            if (channel_distance(px, nra::picture_palette()[i]) <= 2) found.insert(i);
        }
    }
    return found.size();
}

// Dark (text) pixels in a rectangle.
int dark_pixels(const nra::picture::PngImage& image, int x0, int y0, int w, int h) {
    int dark = 0;
    for (int x = x0; x < x0 + w; ++x) {
        for (int y = y0; y < y0 + h; ++y) {
            const auto c = image.at(x, y);
            dark += c.r < 100 && c.g < 100 && c.b < 100 ? 1 : 0;
        }
    }
    return dark;
}

std::string read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("the picture is a PNG of the layout's size", "[adapters][picture]") {
    const auto a = checkout_with_error();
    const auto layout = nra::layout_waterfall(a.tree, a.summary);
    const std::string png = nra::picture::paint_png(layout);
    REQUIRE(png.size() > 1'000);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    const auto image = nra::picture::read_png(png);
    REQUIRE(image);
    CHECK(image->width == layout.width);
    CHECK(image->height == layout.height);

    nra::picture::CairoPainter painter;
    CHECK(painter.waterfall_png(a.tree, a.summary) == png);  // deterministic, same defaults
}

TEST_CASE("bars are drawn in their service's colour, errors in red", "[adapters][picture]") {
    const auto a = checkout_with_error();
    const auto layout = nra::layout_waterfall(a.tree, a.summary);
    const auto image = nra::picture::read_png(nra::picture::paint_png(layout));
    REQUIRE(image);
    const auto& g = layout.geometry;
    int checked = 0;
    for (const auto& row : layout.rows) {
        INFO(row.label);
        const int mid_y = row.top + g.row_height / 2;
        const auto want = nra::picture_palette()[static_cast<std::size_t>(row.colour)];
        if (row.count > 1) {  // each call solid, the gaps between them a pale tint
            REQUIRE(row.segments.size() == 10);
            const auto [a0, a1] = row.segments[0];
            const auto b0 = row.segments[1].first;
            CHECK(channel_distance(image->at(static_cast<int>((a0 + a1) / 2), mid_y), want) <= 2);
            const auto gap = image->at(static_cast<int>((a1 + b0) / 2), mid_y);
            CHECK(channel_distance(gap, want) > 40);
            CHECK_FALSE(is_white(gap));
            ++checked;
        } else if (row.x1 - row.x0 >= 8) {
            const auto px = image->at(static_cast<int>((row.x0 + row.x1) / 2), mid_y);
            CHECK(channel_distance(px, want) <= 2);
            ++checked;
        }
        const auto marker = image->at(g.marker_x - 4, mid_y);
        const bool red = marker.r > 150 && marker.g < 60 && marker.b < 60;
        CHECK(red == row.error);
        if (row.error) {  // the bar's outline is red too (top edge, middle)
            const auto edge = image->at(static_cast<int>((row.x0 + row.x1) / 2), row.top + 4);
            CHECK(channel_distance(edge, nra::kErrorColour) <= 8);
        }
    }
    CHECK(checked == 4);
    // The label column carries text: dark pixels left of the plot on the first row.
    CHECK(dark_pixels(*image, g.label_x, layout.rows[0].top, g.label_width, g.row_height) > 40);
}

TEST_CASE("a 100k-span trace still makes a bounded PNG", "[adapters][picture]") {
    TraceBuilder b;
    b.add("root", "", "gateway", "GET /big", 0, 10'000'000);
    for (int h = 0; h < 1'000; ++h) {
        const auto hid = "h" + std::to_string(h);
        b.add(hid, "root", "svc-" + std::to_string(h % 12), "handle", h * 9'000, 8'000);
        for (int c = 0; c < 99; ++c) {
            b.add(
                hid + "c" + std::to_string(c),
                hid,
                "db",
                c % 2 == 0 ? "SELECT a" : "SELECT b",
                h * 9'000 + c * 80,
                70
            );
        }
    }
    const auto a = analyse(b.build());
    nra::picture::CairoPainter painter;
    const auto image = nra::picture::read_png(painter.waterfall_png(a.tree, a.summary));
    REQUIRE(image);
    CHECK(image->width <= 1600);
    CHECK(image->height <= 80 * 22 + 400);
}

TEST_CASE("garbage is not a PNG", "[adapters][picture]") {
    CHECK_FALSE(nra::picture::read_png(""));
    CHECK_FALSE(nra::picture::read_png("\x89PNG\r\n\x1a\n but then nothing"));
}

TEST_CASE("golden picture: a small real trace", "[adapters][picture][golden]") {
    // yelp.json: 16 spans, 6 services (Zipkin v2, openzipkin/zipkin test data).
    auto trace = nra::read_trace(nra::test::read_fixture("zipkin/yelp.json"));
    REQUIRE(trace);
    const auto a = analyse(std::move(trace).value());
    const std::string png = nra::picture::CairoPainter{}.waterfall_png(a.tree, a.summary);
    const auto image = nra::picture::read_png(png);
    REQUIRE(image);

    // Broken rendering (blank, or one colour) fails even before the comparison.
    CHECK(image->pixels.size() - pixels_near_white(*image) > image->pixels.size() / 25);
    CHECK(palette_colours_present(*image) >= 4);

    const std::string golden_path = std::string(NRA_FIXTURES_DIR) + "/golden/waterfall_small.png";
    const char* update = std::getenv("NRA_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        std::ofstream(golden_path, std::ios::binary) << png;
        WARN("rewrote " << golden_path);
    }
    const auto golden = nra::picture::read_png(read_binary(golden_path));
    REQUIRE(golden);
    REQUIRE(golden->width == image->width);
    REQUIRE(golden->height == image->height);
    // The tolerance must see a blank picture: over 4 % of the golden's pixels are far from white.
    const std::size_t strong_ink = pixels_far_from(*golden, nullptr);
    INFO("golden pixels far from white: " << strong_ink);
    CHECK(strong_ink * 25 > golden->pixels.size());
    const std::size_t differing = pixels_far_from(*image, &*golden);
    INFO(
        "pixels differing by more than 48: "
        << differing << " of " << image->pixels.size()
        << " (set NRA_UPDATE_GOLDEN=1 after an intended change)"
    );
    CHECK(differing * 50 <= image->pixels.size());  // at most 2 %
}

}  // namespace waterfall_png_test
