// layout_waterfall: rows (grouped and capped in waterfall_picture_rows.cpp) placed on a canvas
// with a title, a legend of service colours and a time axis.
#include "nra/render/waterfall_picture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/render/baseline_text.hpp"
#include "core/render/render_util.hpp"
#include "core/render/waterfall_picture_parts.hpp"

namespace nra {
namespace {

using picture_detail::RowGroup;
using render_detail::clean;
using render_detail::fit;

constexpr int kIndentStep = 12;            // px per depth level
constexpr std::size_t kLegendNameCp = 30;  // service names in the legend
constexpr std::size_t kTitleCp = 120;

PictureOptions clamped(PictureOptions o) {
    o.width = std::clamp(o.width, 600, 1600);
    o.max_rows = std::clamp<std::size_t>(o.max_rows, 1, 200);
    o.font_px = std::clamp(o.font_px, 13, 24);
    o.row_height = std::clamp(o.row_height, o.font_px + 6, 3 * o.font_px);
    o.max_label_cp = std::clamp<std::size_t>(o.max_label_cp, 16, 400);
    return o;
}

// Conservative text width for DejaVu Sans (lower case averages ~0.6 em, "m" and capitals more).
int estimated_width(std::string_view text, int font_px) {
    return static_cast<int>(
        std::ceil(static_cast<double>(render_detail::width_of(text)) * font_px * 0.68)
    );
}

std::vector<char> critical_flags(const TraceTree& tree, const Summary& summary) {
    std::unordered_set<std::string_view> ids;
    for (const auto& segment : summary.critical_path) ids.insert(segment.span_id);
    std::vector<char> flags(tree.size(), 0);
    if (ids.empty()) return flags;
    for (std::size_t i = 0; i < tree.size(); ++i) {
        flags[i] = ids.contains(tree.trace.spans[i].span_id) ? 1 : 0;
    }
    return flags;
}

struct TimeExtent {
    double t0 = 0;
    double total = 1;  // µs, > 0
};

TimeExtent time_extent(const std::vector<RowGroup>& rows) {
    if (rows.empty()) return {};
    double t0 = rows.front().start_us;
    double t1 = rows.front().end_us;
    for (const auto& row : rows) {
        t0 = std::min(t0, row.start_us);
        t1 = std::max(t1, row.end_us);
    }
    const double total = t1 - t0;
    return {t0, std::isfinite(total) && total >= 1 ? total : 1};
}

// Fills label, service and name: cleaned, and clipped before cleaning too, since names can be
// statements of many kilobytes.
void set_label(PictureRow& row, const Span& span, std::size_t max_cp) {
    row.service = fit(render_detail::service_name(span.service), kLegendNameCp + 10);
    row.name = render_detail::is_blank(span.name)
                   ? ""
                   : fit(clean(span.name.substr(0, 4 * max_cp)), max_cp);
    row.label = fit(row.name.empty() ? row.service : row.service + " · " + row.name, max_cp);
}

// Service → palette index, by first appearance on the critical path, then in drawn rows.
class ColourBook {
public:
    int colour(const std::string& service) {
        if (auto it = index_.find(service); it != index_.end()) return it->second;
        const int c = next_ < static_cast<int>(kPaletteColours) ? next_++ : kOtherColour;
        index_.emplace(service, c);
        return c;
    }

private:
    std::unordered_map<std::string, int> index_;
    int next_ = 0;
};

PictureGeometry base_geometry(const PictureOptions& o) {
    PictureGeometry g;
    g.title_px = o.font_px + 4;
    g.title_top = g.margin;
    g.subtitle_top = g.title_top + g.title_px + 8;
    g.legend_top = g.subtitle_top + o.font_px + 12;
    g.legend_line = o.font_px + 10;
    g.row_height = o.row_height;
    g.font_px = o.font_px;
    g.marker_x = g.margin + 8;
    g.label_x = g.margin + 20;
    g.plot_x0 = o.width * 38 / 100;
    g.label_width = g.plot_x0 - 16 - g.label_x;
    g.plot_x1 = o.width - g.margin - 6 * o.font_px;  // room for the duration label
    return g;
}

// Places legend entries left to right, wrapping lines; returns the number of lines.
int flow_legend(std::vector<LegendEntry>& legend, const PictureGeometry& g, int width) {
    const int font = g.font_px - 1;
    const int limit = width - g.margin;
    int x = g.margin;
    int line = 0;
    for (auto& entry : legend) {
        const int text = estimated_width(entry.label, font);
        const int item = 14 + 6 + text;
        if (x + item > limit && x > g.margin) {
            ++line;
            x = g.margin;
        }
        entry.x = x;
        entry.top = g.legend_top + line * g.legend_line;
        entry.width = std::max(0, std::min(text, limit - x - 20));
        x += item + 20;
    }
    return legend.empty() ? 0 : line + 1;
}

std::vector<LegendEntry> legend_entries(
    const std::vector<std::pair<std::string, int>>& drawn,
    bool any_critical,
    bool any_error,
    bool any_slower
) {
    std::vector<LegendEntry> legend;
    std::size_t others = 0;
    for (const auto& [service, colour] : drawn) {
        if (colour == kOtherColour) {
            ++others;
        } else {
            legend.push_back({LegendKind::service, fit(service, kLegendNameCp), colour});
        }
    }
    std::stable_sort(legend.begin(), legend.end(), [](const auto& a, const auto& b) {
        return a.colour < b.colour;
    });
    if (others > 0) {
        legend.push_back(
            {LegendKind::service, fmt::format("other services ({})", others), kOtherColour}
        );
    }
    if (any_critical) legend.push_back({LegendKind::critical_path, "critical path", 0});
    if (any_error) legend.push_back({LegendKind::error, "error", 0});
    if (any_slower) legend.push_back({LegendKind::slower, "×N slower than usual", 0});
    return legend;
}

std::string grouped(std::size_t n) {
    std::string digits = std::to_string(n);
    for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), 1, ',');
    }
    return digits;
}

std::string title_of(const TraceTree& tree, const Summary& summary) {
    if (tree.root < 0) return "Empty trace · no spans";
    std::string request = clean(summary.request);
    if (render_detail::is_blank(request)) request = clean(tree.span(tree.root).name);
    if (render_detail::is_blank(request)) request = "(unnamed request)";
    const auto spans =
        summary.span_count > 0 ? static_cast<std::size_t>(summary.span_count) : tree.size();
    return fit(
        fmt::format(
            "{} · {} · {} spans · {} services",
            request,
            render_detail::format_duration(summary.duration_ms),
            grouped(spans),
            summary.service_count
        ),
        kTitleCp
    );
}

std::string subtitle_of(
    const TraceTree& tree, const Summary& summary, const TimeExtent& extent, bool collapsed
) {
    std::string text = "trace " + fit(clean(tree.trace.trace_id), 40);
    if (const auto unusual = render_detail::unusual_amount(summary.baseline); !unusual.empty()) {
        text += " · " + unusual;
    }
    if (!summary.complete) text += " · incomplete: some spans never arrived";
    // Spans far outside the request (a trace id reused over a whole flow) set the axis.
    if (extent.total > 1500.0 * std::max(summary.duration_ms, 0.001)) {
        text += " · spans run over " + render_detail::format_duration(extent.total / 1000.0);
    }
    std::size_t errors = 0;
    for (const auto& span : tree.trace.spans) errors += span.error ? 1 : 0;
    if (errors > 0)
        text += fmt::format(" · {} error span{}", grouped(errors), errors == 1 ? "" : "s");
    if (collapsed) text += " · ×N: identical calls in a row, drawn as one";
    return text;
}

// Time (µs since the epoch) → x in px, on the plot.
struct Scale {
    const PictureGeometry& g;
    TimeExtent extent;
    double operator()(double us) const {
        const double x = g.plot_x0 + (us - extent.t0) / extent.total * (g.plot_x1 - g.plot_x0);
        return std::isfinite(x) ? std::clamp<double>(x, g.plot_x0, g.plot_x1) : g.plot_x0;
    }
};

// Each member's bar (at least a pixel), merged with the previous one where they overlap on
// screen: at most one segment per pixel, however many calls.
std::vector<std::pair<double, double>> segments_of(
    const TraceTree& tree,
    const picture_detail::Grouping& grouping,
    const RowGroup& group,
    const Scale& at
) {
    std::vector<std::pair<double, double>> out;
    for (std::size_t k = 0; k < static_cast<std::size_t>(group.count); ++k) {
        const Span& span = tree.span(grouping.members[group.members + k]);
        const auto start = static_cast<double>(span.start_us);
        const double x0 = at(start);
        const double x1 = std::max(at(start + static_cast<double>(span.duration_us)), x0 + 1);
        if (!out.empty() && x0 < out.back().second - 0.5) {  // overlapping on screen
            out.back().second = std::max(out.back().second, x1);
        } else {
            out.emplace_back(x0, x1);
        }
    }
    return out;
}

PictureRow place_row(
    const TraceTree& tree,
    const picture_detail::Grouping& grouping,
    const RowGroup& group,
    const Scale& at,
    std::size_t max_label_cp
) {
    const PictureGeometry& g = at.g;
    PictureRow row;
    const Span& span = tree.span(group.first);
    set_label(row, span, max_label_cp);
    row.show_service =
        group.parent < 0 ||
        tree.span(grouping.rows[static_cast<std::size_t>(group.parent)].first).service !=
            span.service;
    row.duration_label = render_detail::format_duration((group.end_us - group.start_us) / 1000.0);
    row.count = group.count;
    row.depth = group.depth;
    row.indent_px = std::min(group.depth * kIndentStep, g.label_width * 3 / 10);
    row.x0 = at(group.start_us);
    row.x1 = std::max(at(group.end_us), row.x0 + 2);  // a zero-length span is still visible
    if (row.x1 > g.plot_x1) {
        row.x1 = g.plot_x1;
        row.x0 = row.x1 - 2;
    }
    if (group.count > 1) row.segments = segments_of(tree, grouping, group, at);
    row.on_critical_path = group.critical;
    row.error = group.error;
    row.span = group.first;
    return row;
}

// What the drawn rows hold: their services with colours (first seen first), and which marks.
struct Survey {
    std::vector<std::pair<std::string, int>> services;
    bool any_critical = false;
    bool any_error = false;
    bool collapsed = false;
    std::size_t spans = 0;
};

Survey survey(
    const TraceTree& tree,
    const Summary& summary,
    const std::vector<RowGroup>& groups,
    const std::vector<std::size_t>& kept
) {
    ColourBook book;
    for (const auto& service : summary.path) book.colour(render_detail::service_name(service));
    Survey out;
    std::unordered_set<std::string> seen;
    for (const std::size_t i : kept) {
        const auto service = render_detail::service_name(tree.span(groups[i].first).service);
        if (seen.insert(service).second) out.services.emplace_back(service, book.colour(service));
        out.any_critical = out.any_critical || groups[i].critical;
        out.any_error = out.any_error || groups[i].error;
        out.collapsed = out.collapsed || groups[i].count > 1;
        out.spans += static_cast<std::size_t>(groups[i].count);
    }
    return out;
}

void place_ticks(WaterfallPicture& pic, const TimeExtent& extent) {
    const auto& g = pic.geometry;
    for (auto& tick : nice_ticks(extent.total, 7)) {
        const double x = g.plot_x0 + tick.us / extent.total * (g.plot_x1 - g.plot_x0);
        pic.ticks.push_back({x, std::move(tick.label)});
    }
}

// The footer (spans left out, or an empty trace) and the canvas height.
void finish(WaterfallPicture& pic, const TraceTree& tree, std::size_t drawn_spans) {
    PictureGeometry& g = pic.geometry;
    pic.hidden_spans = tree.size() > drawn_spans ? tree.size() - drawn_spans : 0;
    if (pic.hidden_spans > 0) {
        pic.footer = fmt::format(
            "… {} more span{} not drawn: the critical path, errors and the longest spans come "
            "first",
            grouped(pic.hidden_spans),
            pic.hidden_spans == 1 ? "" : "s"
        );
    } else if (tree.root < 0) {
        pic.footer = "No spans to draw.";
    }
    const int rows_bottom = g.rows_top + static_cast<int>(pic.rows.size()) * g.row_height;
    g.footer_top = rows_bottom + 8;
    pic.height = (pic.footer.empty() ? rows_bottom : g.footer_top + g.font_px + 8) + g.margin;
}

}  // namespace

WaterfallPicture layout_waterfall(
    const TraceTree& tree, const Summary& summary, const PictureOptions& options
) {
    const PictureOptions o = clamped(options);
    WaterfallPicture pic;
    pic.width = o.width;
    PictureGeometry& g = pic.geometry;
    g = base_geometry(o);

    const auto grouping = picture_detail::group_rows(tree, critical_flags(tree, summary));
    const auto& groups = grouping.rows;
    const auto kept = picture_detail::select_rows(groups, o.max_rows);
    const TimeExtent extent = time_extent(groups);
    const Survey drawn = survey(tree, summary, groups, kept);

    pic.title = title_of(tree, summary);
    pic.subtitle = tree.root < 0 ? "" : subtitle_of(tree, summary, extent, drawn.collapsed);
    const auto tags = picture_detail::slower_tags(tree, summary, grouping, kept);
    const bool any_slower =
        std::any_of(tags.begin(), tags.end(), [](const auto& t) { return !t.empty(); });
    if (any_slower) g.plot_x1 -= 4 * g.font_px;  // room for "×26" after the duration label
    pic.legend = legend_entries(drawn.services, drawn.any_critical, drawn.any_error, any_slower);
    const int legend_lines = flow_legend(pic.legend, g, pic.width);
    g.axis_top = g.legend_top + legend_lines * g.legend_line + 6;
    g.rows_top = g.axis_top + g.font_px + 10;

    const std::unordered_map<std::string, int> colour_of(
        drawn.services.begin(), drawn.services.end()
    );
    pic.rows.reserve(kept.size());
    for (const std::size_t i : kept) {
        PictureRow row = place_row(tree, grouping, groups[i], Scale{g, extent}, o.max_label_cp);
        row.top = g.rows_top + static_cast<int>(pic.rows.size()) * g.row_height;
        const Span& first = tree.span(groups[i].first);
        row.colour = colour_of.at(render_detail::service_name(first.service));
        row.slower_tag = tags[pic.rows.size()];
        pic.rows.push_back(std::move(row));
    }
    if (!groups.empty()) place_ticks(pic, extent);
    finish(pic, tree, drawn.spans);
    return pic;
}

}  // namespace nra
