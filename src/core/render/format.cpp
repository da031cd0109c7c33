// Numbers, labels, bars and notes shared by the text and Slack renderers.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

#include "core/render/render_util.hpp"

namespace nra::render_detail {
namespace {

std::string format_long_duration(double seconds) {
    if (seconds < 3599.5) {
        const long long rounded = std::llround(seconds);
        return fmt::format("{} min {:02} s", rounded / 60, rounded % 60);
    }
    double hours = std::floor(seconds / 3600);
    double minutes = std::round((seconds - hours * 3600) / 60);
    if (minutes >= 60) {
        hours += 1;
        minutes = 0;
    }
    if (hours >= 1e6) {
        return fmt::format("{:.3g} h", hours);
    }
    return fmt::format("{:.0f} h {:02.0f} min", hours, minutes);
}

}  // namespace

double round_ms(double ms) {
    if (!std::isfinite(ms)) {
        return 0.0;
    }
    const double rounded = std::round(ms * 1000.0) / 1000.0;
    return rounded == 0.0 ? 0.0 : rounded;  // no "-0"
}

std::string format_duration(double ms) {
    if (!std::isfinite(ms)) {
        return "?";
    }
    if (ms < 0) {
        return "-" + format_duration(-ms);
    }
    const double us = std::round(ms * 1000.0);
    if (us < 1000) {
        return fmt::format("{:.0f} µs", us);
    }
    if (ms < 9.995) {
        return fmt::format("{:.2f} ms", ms);
    }
    if (ms < 99.95) {
        return fmt::format("{:.1f} ms", ms);
    }
    if (ms < 999.5) {
        return fmt::format("{:.0f} ms", ms);
    }
    const double seconds = ms / 1000.0;
    if (seconds < 9.995) {
        return fmt::format("{:.2f} s", seconds);
    }
    if (seconds < 59.95) {
        return fmt::format("{:.1f} s", seconds);
    }
    return format_long_duration(seconds);
}

std::string format_trace_duration(const Summary& summary) {
    const double extent = summary.duration_ms;
    const double root = summary.root.duration_ms;
    // Rounding (whole-millisecond timestamps) and skew leave small differences: not worth a word.
    if (!std::isfinite(extent) || !std::isfinite(root) ||
        extent - root <= std::max(1.0, 0.05 * extent)) {
        return format_duration(extent);
    }
    return format_duration(extent) + " (root span " + format_duration(root) + ")";
}

std::string format_saving(double ms) {
    if (!std::isfinite(ms) || ms <= 0) {
        return {};
    }
    return "~" + format_duration(ms);
}

std::string counted(std::size_t count, std::string_view noun) {
    return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string and_more(std::size_t count, std::string_view noun) {
    return "… and " + counted(count, "more " + std::string(noun));
}

std::string kind_label(std::string_view kind) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kLabels{{
        {"n_plus_one_db", "N+1 queries"},
        {"n_plus_one_http", "N+1 HTTP calls"},
        {"sequential_calls", "Sequential calls"},
        {"slow_db", "Slow query"},
        {"retries", "Retries"},
        {"uninstrumented_gap", "Uninstrumented gap"},
        {"call_gap", "Time lost between services"},
        {"error_origin", "Error origin"},
    }};
    for (const auto& [key, label] : kLabels) {
        if (key == kind) {
            return std::string(label);
        }
    }
    return kind.empty() ? std::string("Finding") : clean(kind);
}

std::string share_bar(double fraction, std::size_t width) {
    static constexpr std::array<std::string_view, 7> kPartial{"▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    const double clamped = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
    const auto eighths =
        static_cast<std::size_t>(std::lround(clamped * 8.0 * static_cast<double>(width)));
    std::string out;
    std::size_t cells = 0;
    for (; cells < eighths / 8; ++cells) {
        out += "█";
    }
    if (eighths % 8 != 0) {
        out += kPartial[eighths % 8 - 1];
        ++cells;
    }
    out.append(width - cells, ' ');
    return out;
}

std::vector<std::string> display_notes(const Summary& summary) {
    std::vector<std::string> notes;
    if (!summary.complete) {
        // The headline reason; the assembly's own notes follow with the details.
        const int orphans = summary.assembly.orphans;
        std::string why = "some spans are missing";
        if (summary.assembly.missing_root) {
            why = "the root span never arrived";
        } else if (orphans > 0) {
            why = fmt::format(
                "{} {} without their parent",
                orphans,
                orphans == 1 ? "span arrived" : "spans arrived"
            );
        }
        notes.push_back(
            "Incomplete trace: " + why + ". Numbers cover only the spans that arrived."
        );
    }
    if (!summary.suspects_note.empty()) notes.push_back(summary.suspects_note);
    std::unordered_set<std::string_view> seen;
    for (const auto* source : {&summary.notes, &summary.assembly.notes}) {
        for (const auto& note : *source) {
            if (!note.empty() && seen.insert(note).second) {
                notes.push_back(note);
            }
        }
    }
    return notes;
}

}  // namespace nra::render_detail
