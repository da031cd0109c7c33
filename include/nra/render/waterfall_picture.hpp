// Waterfall picture layout: an analysed trace → a display model in pixels (rows, bars, colours,
// time axis, legend) that a painter draws as it is. Pure, O(n log n) in spans, and bounded: the
// row count and canvas size are capped whatever the trace's size.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"

namespace nra {

struct PictureOptions {
    int width = 1200;                // canvas width in px (clamped to 600..1600)
    std::size_t max_rows = 80;       // rows drawn at most (clamped to 1..200)
    int row_height = 22;             // px per row
    int font_px = 14;                // label text; titles are larger
    std::size_t max_label_cp = 160;  // labels are clipped to this many code points first
};

struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
};

// Service colours: ten colour-blind-friendly hues (Okabe-Ito without black, plus three of Paul
// Tol's), then a neutral grey for every service past the tenth ("other services").
inline constexpr std::size_t kPaletteColours = 10;
inline constexpr int kOtherColour = static_cast<int>(kPaletteColours);
const std::array<Rgb, kPaletteColours + 1>& picture_palette();
// Colours of the marks that are not services.
inline constexpr Rgb kErrorColour{200, 0, 0};
inline constexpr Rgb kCriticalBand{255, 244, 214};  // pale amber behind critical-path rows
// The "×26" tag of a row slower than usual: dark text on amber, told apart from the error red by
// its lightness (which survives every colour-vision deficiency) and by its shape.
inline constexpr Rgb kSlowerColour{255, 190, 60};

// One drawn row: a span, or a run of consecutive identical siblings (an N+1, retries).
struct PictureRow {
    std::string label;           // "service · name", cleaned, clipped to max_label_cp
    std::string service;         // cleaned ("(unknown)" when unnamed)
    std::string name;            // cleaned, clipped; empty when the span has none
    bool show_service = true;    // the root, or a row whose parent row is another service:
                                 // other rows show the name only (the colour names the service)
    std::string duration_label;  // "12.4 ms": the row's extent (first start .. last end)
    int count = 1;               // > 1: this many siblings collapsed into the row (×N badge)
    int depth = 0;               // tree depth (the root is 0)
    int indent_px = 0;           // label indent (depth, capped)
    int top = 0;                 // y of the row's top edge
    double x0 = 0;               // bar start, px
    double x1 = 0;               // bar end, px (x1 - x0 >= 2)
    // Collapsed rows: each member's own bar [x0, x1) in px, merged where they overlap on screen
    // (an N+1 shows its separate calls inside the row's extent). Empty for single spans.
    std::vector<std::pair<double, double>> segments;
    int colour = 0;  // index into picture_palette()
    bool on_critical_path = false;
    bool error = false;      // a collapsed member or the span itself failed
    std::string slower_tag;  // "×26": the span (or a collapsed member) is slower than usual
    std::int32_t span = -1;  // the first span of the row (index into the tree)
};

struct PictureTick {
    double x = 0;       // px
    std::string label;  // "0 ms", "250 ms", "1.2 s"
};

enum class LegendKind { service, critical_path, error, slower };

struct LegendEntry {
    LegendKind kind = LegendKind::service;
    std::string label;  // service name, "other services (N)", "critical path", "error",
                        // "slower than usual"
    int colour = 0;     // for services
    int x = 0;          // swatch's left edge
    int top = 0;        // line top
    int width = 0;      // px the text may take (names are clipped to it)
};

// Where everything goes; the painter adds no geometry of its own.
struct PictureGeometry {
    int margin = 16;
    int title_top = 0;  // title baseline area top
    int title_px = 18;  // title font size
    int subtitle_top = 0;
    int legend_top = 0;
    int legend_line = 20;  // px per legend line
    int axis_top = 0;      // tick labels line
    int rows_top = 0;      // first row's top
    int row_height = 22;
    int font_px = 14;
    int marker_x = 0;     // centre of the error marker in the label gutter
    int label_x = 0;      // label column start (before indent)
    int label_width = 0;  // label column width (indent, text and ×N badge)
    int plot_x0 = 0;      // time 0
    int plot_x1 = 0;      // end of the trace
    int footer_top = 0;   // "… N more spans not drawn" line (when any)
};

struct WaterfallPicture {
    int width = 0;
    int height = 0;
    PictureGeometry geometry;
    std::string title;     // "GET /checkout · 1.45 s · 312 spans · 4 services"
    std::string subtitle;  // "trace 4bf9… · 1.20 s unusual · …" (+ "incomplete", errors, ×N)
    std::vector<PictureRow> rows;
    std::vector<PictureTick> ticks;
    std::vector<LegendEntry> legend;
    std::string footer;            // "… 99,920 more spans not drawn", or empty
    std::size_t hidden_spans = 0;  // spans not represented by any drawn row
};

WaterfallPicture layout_waterfall(
    const TraceTree& tree, const Summary& summary, const PictureOptions& options = {}
);

// Nice axis ticks for a trace of total_us: 0, then steps of 1-2-5 × 10^k (or whole minutes and
// hours) up to the end, with labels like "0 ms", "250 ms", "1.2 s", "5 min". Exposed for tests.
struct TickValue {
    double us = 0;
    std::string label;
};
std::vector<TickValue> nice_ticks(double total_us, std::size_t target_count = 8);

}  // namespace nra
