// Draws the layout as it is: every position comes from the WaterfallPicture; this file only
// measures text (to ellipsise it) and picks strokes and fills.
#include "picture/cairo_painter.hpp"

#include <cairo.h>

#include <algorithm>
#include <exception>
#include <memory>

#include "log/log.hpp"
#include "picture/cairo_handles.hpp"

// fontconfig (behind cairo's toy text API) keeps its configuration in process-wide caches that it
// never frees, so LeakSanitizer reports them at exit in the sanitizer builds: not our memory.
// LeakSanitizer reads this hook from any binary that draws pictures (this file is linked in).
// Only sanitizer builds define the hooks (GCC sets __SANITIZE_ADDRESS__ with -fsanitize=address).
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n";
}
extern "C" const char* __lsan_default_options() {
    return "print_suppressions=0";  // the CLI's stderr stays one line
}
#endif

namespace nra::picture {
namespace {

constexpr const char* kFont = "DejaVu Sans";
constexpr std::string_view kEllipsis = "…";

struct Colour {
    double r = 0;
    double g = 0;
    double b = 0;
};

constexpr Colour kText{0.13, 0.13, 0.13};
constexpr Colour kMuted{0.40, 0.40, 0.40};
constexpr Colour kGrid{0.88, 0.88, 0.88};
constexpr Colour kZebra{0.972, 0.976, 0.984};
constexpr Colour kBadge{0.30, 0.30, 0.33};
constexpr Colour kWhite{1, 1, 1};

Colour from(Rgb c) {
    return {c.r / 255.0, c.g / 255.0, c.b / 255.0};
}

Colour darker(Colour c) {
    return {c.r * 0.65, c.g * 0.65, c.b * 0.65};
}

void set_colour(cairo_t* cr, Colour c) {
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void set_font(cairo_t* cr, double px, bool bold = false) {
    cairo_select_font_face(
        cr, kFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
    );
    cairo_set_font_size(cr, px);
}

double text_width(cairo_t* cr, const std::string& text) {
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.c_str(), &extents);
    return extents.x_advance;
}

// Byte offsets where each code point starts, then the text's size.
std::vector<std::size_t> code_points(const std::string& text) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) cuts.push_back(i);
    }
    cuts.push_back(text.size());
    return cuts;
}

// The most code points `keep` (0..n) for which make(keep) fits max_width; text shaping is not
// monotonic to the pixel, but close enough for a binary search.
template <class Make>
std::string longest_fit(cairo_t* cr, std::size_t n, double max_width, Make make) {
    std::size_t lo = 0;
    std::size_t hi = n;  // make(n) would be the whole text, which did not fit
    while (hi - lo > 1) {
        const std::size_t mid = (lo + hi) / 2;
        (text_width(cr, make(mid)) <= max_width ? lo : hi) = mid;
    }
    std::string out = make(lo);
    return text_width(cr, out) <= max_width ? out : std::string{};
}

// The longest prefix, cut on a code point boundary and ending in "…", that fits max_width.
std::string fit_text(cairo_t* cr, const std::string& text, double max_width) {
    if (max_width <= 0) return {};
    if (text_width(cr, text) <= max_width) return text;
    const auto cuts = code_points(text);
    return longest_fit(cr, cuts.size() - 1, max_width, [&](std::size_t keep) {
        return text.substr(0, cuts[keep]) + std::string(kEllipsis);
    });
}

// Like fit_text, but keeps the start and the end ("Datastore/stat…/orders/select"): operation
// names carry their kind first and their specifics last.
std::string fit_middle(cairo_t* cr, const std::string& text, double max_width) {
    if (max_width <= 0) return {};
    if (text_width(cr, text) <= max_width) return text;
    const auto cuts = code_points(text);
    const std::size_t n = cuts.size() - 1;
    return longest_fit(cr, n, max_width, [&](std::size_t keep) {
        const std::size_t head = (keep + 1) / 2;
        return text.substr(0, cuts[head]) + std::string(kEllipsis) +
               text.substr(cuts[n - keep / 2]);
    });
}

void show(cairo_t* cr, double x, double baseline, const std::string& text) {
    cairo_move_to(cr, x, baseline);
    cairo_show_text(cr, text.c_str());
}

void rounded_rect(cairo_t* cr, double x, double y, double w, double h, double r) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

// A red disc with a white "!": the error mark, in rows and in the legend.
void error_mark(cairo_t* cr, double cx, double cy, double radius) {
    set_colour(cr, from(kErrorColour));
    cairo_arc(cr, cx, cy, radius, 0, 2 * M_PI);
    cairo_fill(cr);
    set_colour(cr, kWhite);
    set_font(cr, radius * 1.6, true);
    const double w = text_width(cr, "!");
    show(cr, cx - w / 2, cy + radius * 0.55, "!");
}

// The "slower than usual" tag: an amber rounded box with a darker edge, text in kText.
void slower_box(cairo_t* cr, double x, double y, double w, double h) {
    rounded_rect(cr, x + 0.5, y + 0.5, w - 1, h - 1, 3);
    set_colour(cr, from(kSlowerColour));
    cairo_fill_preserve(cr);
    set_colour(cr, darker(from(kSlowerColour)));
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
}

void paint_header(cairo_t* cr, const WaterfallPicture& pic) {
    const PictureGeometry& g = pic.geometry;
    const double room = pic.width - 2 * g.margin;
    set_colour(cr, kText);
    set_font(cr, g.title_px, true);
    show(cr, g.margin, g.title_top + g.title_px, fit_text(cr, pic.title, room));
    set_colour(cr, kMuted);
    set_font(cr, g.font_px - 1);
    show(cr, g.margin, g.subtitle_top + g.font_px, fit_text(cr, pic.subtitle, room));
}

void paint_legend(cairo_t* cr, const WaterfallPicture& pic) {
    const auto& palette = picture_palette();
    const double font = pic.geometry.font_px - 1;
    for (const auto& entry : pic.legend) {
        const double y = entry.top + 2;
        if (entry.kind == LegendKind::service) {
            const Colour c = from(palette[static_cast<std::size_t>(entry.colour)]);
            set_colour(cr, c);
            cairo_rectangle(cr, entry.x, y, 14, 14);
            cairo_fill_preserve(cr);
            set_colour(cr, darker(c));
            cairo_set_line_width(cr, 1);
            cairo_stroke(cr);
        } else if (entry.kind == LegendKind::critical_path) {
            set_colour(cr, from(kCriticalBand));
            cairo_rectangle(cr, entry.x, y, 14, 14);
            cairo_fill(cr);
        } else if (entry.kind == LegendKind::slower) {
            slower_box(cr, entry.x, y, 14, 14);
        } else {
            error_mark(cr, entry.x + 7, y + 7, 7);
        }
        set_colour(cr, kText);
        set_font(cr, font);
        show(cr, entry.x + 20, y + 12, fit_text(cr, entry.label, entry.width + 16));
    }
}

int rows_bottom(const WaterfallPicture& pic) {
    const auto& g = pic.geometry;
    return g.rows_top + static_cast<int>(pic.rows.size()) * g.row_height;
}

// Row bands (critical path, zebra), then the tick grid and labels over them.
void paint_background(cairo_t* cr, const WaterfallPicture& pic) {
    const auto& g = pic.geometry;
    for (std::size_t i = 0; i < pic.rows.size(); ++i) {
        const auto& row = pic.rows[i];
        if (!row.on_critical_path && i % 2 == 0) continue;
        set_colour(cr, row.on_critical_path ? from(kCriticalBand) : kZebra);
        cairo_rectangle(cr, g.margin, row.top, pic.width - 2 * g.margin, g.row_height);
        cairo_fill(cr);
    }
    set_font(cr, g.font_px - 1);
    for (const auto& tick : pic.ticks) {
        const double x = std::round(tick.x) + 0.5;  // crisp one-pixel lines
        set_colour(cr, kGrid);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, x, g.rows_top - 4);
        cairo_line_to(cr, x, rows_bottom(pic));
        cairo_stroke(cr);
        const double w = text_width(cr, tick.label);
        const double left =
            std::clamp(tick.x - w / 2, double(g.plot_x0) - 8, pic.width - g.margin - w);
        set_colour(cr, kMuted);
        show(cr, left, g.axis_top + g.font_px - 1, tick.label);
    }
}

// The ×N badge at the label column's right edge; returns its width.
double paint_badge(cairo_t* cr, const WaterfallPicture& pic, const PictureRow& row) {
    const auto& g = pic.geometry;
    const std::string badge = "×" + std::to_string(row.count);
    set_font(cr, g.font_px - 1, true);
    const double w = text_width(cr, badge) + 10;
    const double x = g.label_x + g.label_width - w;
    set_colour(cr, kBadge);
    rounded_rect(cr, x, row.top + 3, w, g.row_height - 6, 4);
    cairo_fill(cr);
    set_colour(cr, kWhite);
    show(cr, x + 5, row.top + g.row_height / 2.0 + g.font_px * 0.33, badge);
    return w;
}

// The label column: error mark, then the indented name, with its service (muted) where the
// service changes; the ×N badge at the column's right.
void paint_label(cairo_t* cr, const WaterfallPicture& pic, const PictureRow& row) {
    const auto& g = pic.geometry;
    const double mid = row.top + g.row_height / 2.0;
    const double baseline = mid + g.font_px * 0.36;
    if (row.error) error_mark(cr, g.marker_x, mid, 7);
    double room = g.label_width - row.indent_px;
    if (row.count > 1) room -= paint_badge(cr, pic, row) + 6;
    double x = g.label_x + row.indent_px;
    set_font(cr, g.font_px, row.on_critical_path);
    if (row.name.empty()) {
        set_colour(cr, kText);
        show(cr, x, baseline, fit_text(cr, row.service, room));
        return;
    }
    if (row.show_service) {
        const std::string prefix = fit_text(cr, row.service, room * 0.45) + " · ";
        set_colour(cr, kMuted);
        show(cr, x, baseline, prefix);
        x += text_width(cr, prefix);
        room -= text_width(cr, prefix);
    }
    set_colour(cr, kText);
    show(cr, x, baseline, fit_middle(cr, row.name, room));
}

Colour tint(Colour c) {
    return {0.3 * c.r + 0.7, 0.3 * c.g + 0.7, 0.3 * c.b + 0.7};
}

// Width of the row's "×26" tag box (0 without a tag); sets the tag's font.
double tag_width(cairo_t* cr, const WaterfallPicture& pic, const PictureRow& row) {
    if (row.slower_tag.empty()) return 0;
    set_font(cr, pic.geometry.font_px - 2, true);
    return text_width(cr, row.slower_tag) + 8;
}

// The duration label right of the bar (left of it, or against the margin, when it does not fit),
// followed by the row's "×26" tag when it is slower than usual.
void paint_duration(cairo_t* cr, const WaterfallPicture& pic, const PictureRow& row) {
    const auto& g = pic.geometry;
    const double tag = tag_width(cr, pic, row);
    set_font(cr, g.font_px - 1, row.error);
    const double label = text_width(cr, row.duration_label);
    const double w = label + (tag > 0 ? 6 + tag : 0);
    double x = row.x1 + 6;
    if (x + w > pic.width - g.margin) {
        x = row.x0 - 6 - w >= g.plot_x0 ? row.x0 - 6 - w : pic.width - g.margin - w;
    }
    const double baseline = row.top + g.row_height / 2.0 + g.font_px * 0.33;
    set_colour(cr, row.error ? from(kErrorColour) : kMuted);
    show(cr, x, baseline, row.duration_label);
    if (tag <= 0) return;
    const double tag_x = x + label + 6;
    slower_box(cr, tag_x, row.top + 4, tag, g.row_height - 8);
    set_colour(cr, kText);
    set_font(cr, g.font_px - 2, true);
    show(cr, tag_x + 4, baseline, row.slower_tag);
}

// A single span: a solid bar. A collapsed run: its extent faint, each call solid inside it.
void paint_bar(cairo_t* cr, const WaterfallPicture& pic, const PictureRow& row) {
    const auto& g = pic.geometry;
    const Colour c = from(picture_palette()[static_cast<std::size_t>(row.colour)]);
    const double top = row.top + 4;
    const double height = g.row_height - 8;
    set_colour(cr, row.segments.empty() ? c : tint(c));
    cairo_rectangle(cr, row.x0, top, row.x1 - row.x0, height);
    cairo_fill(cr);
    set_colour(cr, c);
    for (const auto& [x0, x1] : row.segments) {  // a pixel of tint between back-to-back calls
        cairo_rectangle(cr, x0, top, x1 - x0 >= 3 ? x1 - x0 - 1 : x1 - x0, height);
    }
    cairo_fill(cr);
    // An outline keeps light colours (yellow) visible on white; errors get a red one.
    set_colour(cr, row.error ? from(kErrorColour) : darker(c));
    cairo_set_line_width(cr, row.error ? 2 : 1);
    cairo_rectangle(cr, row.x0 + 0.5, top + 0.5, row.x1 - row.x0 - 1, height - 1);
    cairo_stroke(cr);
    paint_duration(cr, pic, row);
}

void paint(cairo_t* cr, const WaterfallPicture& pic) {
    set_colour(cr, kWhite);
    cairo_paint(cr);
    paint_header(cr, pic);
    paint_legend(cr, pic);
    paint_background(cr, pic);
    for (const auto& row : pic.rows) {
        paint_label(cr, pic, row);
        paint_bar(cr, pic, row);
    }
    if (!pic.footer.empty()) {
        const auto& g = pic.geometry;
        set_colour(cr, kMuted);
        set_font(cr, g.font_px - 1);
        show(
            cr,
            g.margin,
            g.footer_top + g.font_px,
            fit_text(cr, pic.footer, pic.width - 2.0 * g.margin)
        );
    }
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

std::string encode(const WaterfallPicture& pic) {
    Surface surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pic.width, pic.height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
        log::warn("waterfall picture: cannot create a {}x{} surface", pic.width, pic.height);
        return {};
    }
    Context cr(cairo_create(surface.get()));
    paint(cr.get(), pic);
    if (const auto status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
        log::warn("waterfall picture: drawing failed: {}", cairo_status_to_string(status));
        return {};
    }
    std::string png;
    const auto status = cairo_surface_write_to_png_stream(surface.get(), append_bytes, &png);
    if (status != CAIRO_STATUS_SUCCESS) {
        log::warn("waterfall picture: PNG encoding failed: {}", cairo_status_to_string(status));
        return {};
    }
    return png;
}

}  // namespace

std::string paint_png(const WaterfallPicture& picture) {
    try {
        return encode(picture);
    } catch (const std::exception& e) {
        log::warn("waterfall picture: {}", e.what());
        return {};
    }
}

std::string CairoPainter::waterfall_png(const TraceTree& tree, const Summary& summary) {
    try {
        return paint_png(layout_waterfall(tree, summary, options_));
    } catch (const std::exception& e) {
        log::warn("waterfall picture: {}", e.what());
        return {};
    }
}

}  // namespace nra::picture
