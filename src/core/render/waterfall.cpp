// The critical-path waterfall shared by the terminal and the Slack detail: one row per path row
// (offset and duration of the whole span, its time on the critical path, a "vs usual" column once
// baselines are applied, a bar on a time axis: █ on the path, ░ the rest of the span; service ·
// operation indented by depth).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/render/baseline_text.hpp"
#include "core/render/render_util.hpp"

namespace nra::render_detail {
namespace {

constexpr std::size_t kMaxServiceWidth = 30;
constexpr std::size_t kMaxUsualWidth = 24;  // "×26 (usually 35 ms)" and its longer cousins

// One waterfall row, whichever of the two Summary shapes it comes from.
struct RowView {
    const std::string* service;
    const std::string* name;
    int depth;
    int count;
    double start_ms;
    double duration_ms;  // the whole span (a critical-path segment: the segment)
    double path_ms;      // of it on the critical path
    const std::optional<Baseline>* baseline;
    const std::vector<std::pair<double, double>>* parts;  // null: the whole bar is on the path
};

const std::vector<std::pair<double, double>>& parts_of(const RowView& row) {
    static const std::vector<std::pair<double, double>> none;
    return row.parts != nullptr ? *row.parts : none;
}

std::vector<RowView> row_views(const Summary& summary) {
    std::vector<RowView> rows;
    if (!summary.path_rows.empty()) {
        rows.reserve(summary.path_rows.size());
        for (const auto& r : summary.path_rows) {
            rows.push_back(
                {&r.service,
                 &r.name,
                 r.depth,
                 r.count,
                 r.start_ms,
                 r.duration_ms,
                 r.path_ms,
                 &r.baseline,
                 &r.path_parts}
            );
        }
        return rows;
    }
    rows.reserve(summary.critical_path.size());
    for (const auto& s : summary.critical_path) {
        rows.push_back(
            {&s.service,
             &s.name,
             s.depth,
             1,
             s.start_ms,
             s.duration_ms,
             s.duration_ms,
             &s.baseline,
             nullptr}
        );
    }
    return rows;
}

// Cell range [first, last) of a row on a bar of `cells` cells; always at least one cell.
std::pair<std::size_t, std::size_t> bar_span(
    double start, double duration, double total, std::size_t cells
) {
    const auto cells_d = static_cast<double>(cells);
    const double scale = cells_d / total;
    const double from = std::isfinite(start) ? std::clamp(start * scale, 0.0, cells_d) : 0.0;
    const double length = std::isfinite(duration) ? std::max(duration, 0.0) * scale : 0.0;
    const double to = std::clamp(from + length, from, cells_d);
    auto first = static_cast<std::size_t>(std::floor(from));
    auto last = static_cast<std::size_t>(std::ceil(to));
    first = std::min(first, cells - 1);
    last = std::clamp(last, first + 1, cells);
    return {first, last};
}

double timeline_total(const Summary& summary, const std::vector<RowView>& rows) {
    double total = std::isfinite(summary.duration_ms) ? summary.duration_ms : 0.0;
    for (const auto& row : rows) {
        const double end = row.start_ms + row.duration_ms;
        if (std::isfinite(end)) {
            total = std::max(total, end);
        }
        for (const auto& part : parts_of(row)) {
            if (std::isfinite(part.second)) total = std::max(total, part.second);
        }
    }
    return total > 0 ? total : 1.0;
}

struct Layout {
    std::size_t offset = 10;
    std::size_t duration = 10;
    std::size_t on_path = 9;
    std::size_t usual = 0;  // the "vs usual" column; 0 (absent) without baselines
    std::size_t bar = 8;
    std::size_t label = 8;
};

Layout layout_for(std::size_t width, std::size_t usual) {
    Layout layout;
    layout.usual = usual;
    const std::size_t fixed = layout.offset + 1 + layout.duration + 1 + layout.on_path + 2 + 2 + 1 +
                              (usual > 0 ? usual + 2 : 0);
    const std::size_t room = width > fixed ? width - fixed : 0;
    layout.bar = std::clamp<std::size_t>(room / 4, 8, 40);
    layout.label = room > layout.bar + 8 ? room - layout.bar : 8;
    return layout;
}

// The "vs usual" cell after the duration: "  ×26 (usually 35 ms)" padded, or "" without the column.
std::string usual_cell(std::string_view note, const Layout& layout) {
    return layout.usual == 0 ? std::string()
                             : "  " + pad_right(fit(note, layout.usual), layout.usual);
}

// The bar: the span's cells ░, the cells of its critical-path stretches █ (a stretch may begin
// before the span: a queue wait credited to it).
std::string track_of(const RowView& row, const Layout& layout, double total) {
    std::vector<char> cell(layout.bar, 0);
    const auto mark = [&](double start, double duration, char value) {
        const auto [first, last] = bar_span(start, duration, total, layout.bar);
        for (std::size_t c = first; c < last; ++c) cell[c] = std::max(cell[c], value);
    };
    mark(row.start_ms, row.duration_ms, row.parts != nullptr ? 1 : 2);
    for (const auto& part : parts_of(row)) {
        mark(part.first, part.second - part.first, 2);
    }
    std::string track;
    for (const char c : cell) track += c == 2 ? "█" : c == 1 ? "░" : " ";
    return track;
}

std::string format_row(const RowView& row, const Layout& layout, double total, int base_depth) {
    const std::string track = track_of(row, layout, total);
    // Depth can be huge (1M-deep traces): the indent is capped, the order still shows nesting.
    const std::size_t max_indent = layout.label / 4;
    const auto relative = static_cast<std::size_t>(std::max(row.depth - base_depth, 0));
    const std::size_t indent = std::min(relative * 2, max_indent);
    std::string label = fit(clean(*row.service), kMaxServiceWidth);
    label += label.empty() ? "" : " · ";
    if (row.count > 1) {
        label = fmt::format("{}× {}", row.count, label);  // a folded loop: its size comes first
    }
    const std::size_t used = indent + width_of(label);
    label += fit_middle(clean(*row.name), layout.label > used + 8 ? layout.label - used : 8);
    return pad_left("+" + format_duration(row.start_ms), layout.offset) + " " +
           pad_left(format_duration(row.duration_ms), layout.duration) + " " +
           pad_left(format_duration(row.path_ms), layout.on_path) +
           usual_cell(usual_note(*row.baseline), layout) + "  |" + track + "| " +
           std::string(indent, ' ') + label;
}

}  // namespace

std::size_t waterfall_size(const Summary& summary) {
    return summary.path_rows.empty() ? summary.critical_path.size() : summary.path_rows.size();
}

std::string_view waterfall_noun(const Summary& summary) {
    return summary.path_rows.empty() ? "segment" : "row";
}

std::vector<std::string> waterfall_rows(
    const Summary& summary, std::size_t width, std::size_t max_rows
) {
    std::vector<std::string> lines;
    const std::vector<RowView> rows = row_views(summary);
    if (rows.empty()) {
        return lines;
    }
    const std::size_t shown = std::min(max_rows, rows.size());
    std::size_t usual = 0;
    for (std::size_t i = 0; i < shown; ++i) {
        usual = std::max(usual, width_of(usual_note(*rows[i].baseline)));
    }
    if (usual > 0) {
        usual = std::clamp(usual, width_of("vs usual"), kMaxUsualWidth);
    }
    const Layout layout = layout_for(width, usual);
    const double total = timeline_total(summary, rows);
    int base_depth = rows.front().depth;
    for (const auto& row : rows) {
        base_depth = std::min(base_depth, row.depth);
    }
    lines.push_back(
        fit(pad_left("offset", layout.offset) + " " + pad_left("duration", layout.duration) + " " +
                pad_left("on path", layout.on_path) + usual_cell("vs usual", layout) + "  " +
                pad_right("0 → " + format_duration(total), layout.bar + 2) + " service · operation",
            width)
    );
    for (std::size_t i = 0; i < shown; ++i) {
        lines.push_back(fit(format_row(rows[i], layout, total, base_depth), width));
    }
    if (shown < rows.size()) {
        lines.push_back(fit("  " + and_more(rows.size() - shown, waterfall_noun(summary)), width));
    }
    return lines;
}

}  // namespace nra::render_detail
