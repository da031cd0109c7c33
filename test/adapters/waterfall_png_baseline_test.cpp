// The painted "slower than usual" tag: an amber box right of the slower row's bar (after its
// duration label), none on the other rows, and a legend swatch. The PNG is also left in the
// test's scratch directory (waterfall_slower.png) for a look.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "nra/render/waterfall_picture.hpp"
#include "picture/cairo_painter.hpp"
#include "support/scratch_dir.hpp"
#include "unit/render_baseline_samples.hpp"
#include "unit/waterfall_picture_helpers.hpp"

namespace waterfall_png_baseline_test {

namespace {

bool is_tag_amber(const nra::Rgb& c) {
    const auto near = [](int a, int b) { return std::abs(a - b) <= 6; };
    return near(c.r, nra::kSlowerColour.r) && near(c.g, nra::kSlowerColour.g) &&
           near(c.b, nra::kSlowerColour.b);
}

// Amber pixels in [x0, x1) × [y0, y1).
int amber_pixels(const nra::picture::PngImage& image, int x0, int y0, int x1, int y1) {
    int count = 0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) count += is_tag_amber(image.at(x, y)) ? 1 : 0;
    }
    return count;
}

}  // namespace

TEST_CASE(
    "a row slower than usual carries an amber ×N tag right of its bar", "[adapters][picture]"
) {
    using namespace nra::test::picture;
    Analysed a = analyse(checkout());
    a.summary.baseline.state = nra::BaselineOverview::State::applied;
    a.summary.baseline.window = "last 24 h";
    a.summary.baseline.unusual_ms = 9.2;
    a.summary.baseline.slower_spans = 1;
    a.summary.baseline.unusual = {
        {"u", "mysql", "UPDATE cart", nra::test::slower(10, 0.8, 1.5, 9.2)}};
    // The root ends at the plot's right edge: its tag still has room.
    a.summary.critical_path.front().baseline = nra::test::slower(100, 40, 60, 0);
    const auto layout = nra::layout_waterfall(a.tree, a.summary);
    const std::string png = nra::picture::paint_png(layout);
    std::ofstream(std::string(NRA_TEST_TMP_DIR) + "/waterfall_slower.png", std::ios::binary) << png;
    const auto image = nra::picture::read_png(png);
    REQUIRE(image);

    const auto& g = layout.geometry;
    int tagged = 0;
    for (const auto& row : layout.rows) {
        INFO(row.label);
        // Right of the bar, where the duration label and the tag go.
        const int right = amber_pixels(
            *image,
            static_cast<int>(row.x1) + 2,
            row.top + 4,
            layout.width - g.margin,
            row.top + g.row_height - 4
        );
        if (row.slower_tag.empty()) {
            CHECK(right == 0);
        } else {
            CHECK(right > 100);  // a filled box, not a stray pixel
            CHECK(
                amber_pixels(*image, layout.width - g.margin, 0, layout.width, layout.height) == 0
            );
            ++tagged;
        }
    }
    CHECK(tagged == 2);
    REQUIRE(layout.legend.back().kind == nra::LegendKind::slower);
    const auto& swatch = layout.legend.back();
    CHECK(amber_pixels(*image, swatch.x, swatch.top, swatch.x + 14, swatch.top + 16) > 60);

    // Without baselines nothing is amber in the rows.
    const auto plain = nra::layout_waterfall(a.tree, analyse(checkout()).summary);
    const auto plain_image = nra::picture::read_png(nra::picture::paint_png(plain));
    REQUIRE(plain_image);
    CHECK(amber_pixels(*plain_image, 0, plain.geometry.rows_top, plain.width, plain.height) == 0);
}

}  // namespace waterfall_png_baseline_test
