#include "core/render/typical_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "core/render/render_util.hpp"
#include "core/render/suspects_text.hpp"
#include "nra/render/render.hpp"

namespace nra::render_detail {
namespace {

using Json = nlohmann::ordered_json;
using K = TypicalDiff::Kind;

constexpr std::size_t kLeadParts = 3;
constexpr std::size_t kLeadChanges = 2;

std::string signed_duration(double ms) {
    return (ms < 0 ? "−" : "+") + format_duration(std::abs(ms));
}

std::string calls(int n) {
    return n == 1 ? "1 call" : fmt::format("{} calls", n);
}

// "+1.60 s in `search-service` `products select`", "39 more `order_items select`", …
std::string part_of(const TypicalDiff& d) {
    switch (d.kind) {
        case K::slower:
        case K::faster:
            return fmt::format(
                "{} in {} {}", signed_duration(d.delta_ms), marked(d.service), marked(d.operation)
            );
        case K::more:
            return fmt::format("{} more {}", d.count - d.typical_count, marked(d.operation));
        case K::fewer:
            return fmt::format("{} fewer {}", d.typical_count - d.count, marked(d.operation));
        case K::extra:
            return fmt::format("{} not in the typical request", marked(d.operation));
        case K::missing:
            break;
    }
    return fmt::format("no {} from {}", marked(d.operation), marked(d.caller));
}

// The lead names time differences that explain a fifth of the difference, then the cuts.
std::vector<const TypicalDiff*> lead_parts(const TypicalComparison& t) {
    std::vector<const TypicalDiff*> out;
    const double floor = std::max(kTypicalMinDeltaMs, 0.2 * std::abs(t.difference_ms));
    for (const auto& d : t.diff) {
        const bool timed = d.kind == K::slower || d.kind == K::faster;
        if (timed && std::abs(d.delta_ms) >= floor && out.size() < 2) out.push_back(&d);
    }
    for (const auto& d : t.diff) {
        if (out.size() >= kLeadParts) break;
        if (d.top && !d.after_failure && d.kind != K::slower && d.kind != K::faster) {
            out.push_back(&d);
        }
    }
    // Spread thin (no part a fifth of the difference): the largest parts all the same.
    for (const auto& d : t.diff) {
        if (!out.empty() || d.kind == K::missing || d.kind == K::extra) continue;
        out.push_back(&d);
        break;
    }
    return out;
}

std::string utc_minute(std::int64_t ms) {
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:02}:{:02} UTC", tm.tm_hour, tm.tm_min);
}

std::string before(std::int64_t at_ms, std::int64_t start_ms) {
    const double minutes = static_cast<double>(start_ms - at_ms) / 60'000.0;
    if (minutes < 0) return "during this request";
    if (minutes < 1) return "under a minute before this request";
    if (minutes < 120) return fmt::format("{:.0f} min before this request", minutes);
    return fmt::format("{:.0f} h before this request", minutes / 60);
}

// "`svc` runs `2` <here>, `1` <there>" or "`svc` deployed `2`" (the caller says when).
std::string change_head(const TraceChange& c, std::string_view here, std::string_view there) {
    if (c.kind == "version") {
        return fmt::format(
            "{} runs {} {}, {} {}",
            marked(c.service),
            marked(c.version),
            here,
            marked(c.previous_version),
            there
        );
    }
    std::string out = marked(c.service) + " deployed";
    if (!c.version.empty()) out += " " + marked(c.version);
    return out;
}

std::string change_text(const TraceChange& c, std::int64_t start_ms) {
    std::string out = change_head(c, "here", "in the typical request");
    if (c.kind != "version" && c.at_ms) {
        out += " at " + utc_minute(*c.at_ms) + ", " + before(*c.at_ms, start_ms);
    }
    return out;
}

}  // namespace

std::string window_change_text(const TraceChange& c) {
    std::string out = change_head(c, "in a failing or slow trace", "in its typical request");
    if (c.kind != "version" && c.at_ms) {
        const auto seconds = static_cast<std::time_t>(*c.at_ms / 1000);
        std::tm tm{};
        gmtime_r(&seconds, &tm);
        out += fmt::format(
            " at {} on {:04}-{:02}-{:02}",
            utc_minute(*c.at_ms),
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday
        );
    }
    return out;
}

std::string short_trace_id(const std::string& id) {
    return id.size() > 12 ? id.substr(0, 8) + "…" : id;
}

std::string typical_lead(const Summary& summary, Markup markup) {
    if (!summary.typical) return {};
    const auto& t = *summary.typical;
    std::string text = fmt::format(
        "Compared with a typical {} (trace {}, {}): ",
        marked(t.endpoint),
        marked(short_trace_id(t.trace_id)),
        format_duration(t.duration_ms)
    );
    if (!t.similar_shape) {
        text += fmt::format(
            "{} overall; the two share under half their operations, so no part is named.",
            signed_duration(t.difference_ms)
        );
        return worded(text, markup, 600);
    }
    std::string parts;
    for (const auto* d : lead_parts(t)) parts += (parts.empty() ? "" : "; ") + part_of(*d);
    if (parts.empty()) {
        parts = fmt::format(
            "{} overall, the same calls, no operation {} or more apart",
            signed_duration(t.difference_ms),
            format_duration(kTypicalMinDeltaMs)
        );
    }
    return worded(text + parts + ".", markup, 600);
}

std::string changes_lead(const Summary& summary, Markup markup) {
    if (summary.changes.empty()) return {};
    const std::int64_t start_ms = summary.start_us / 1000;
    std::string text = "Changed: ";
    for (std::size_t i = 0; i < summary.changes.size() && i < kLeadChanges; ++i) {
        text += (i == 0 ? "" : "; ") + change_text(summary.changes[i], start_ms);
    }
    if (summary.changes.size() > kLeadChanges) {
        text += fmt::format(" (and {} more)", summary.changes.size() - kLeadChanges);
    }
    return worded(text + ".", markup, 600);
}

std::vector<std::string> typical_items(
    const Summary& summary, Markup markup, std::string_view trace_link
) {
    std::vector<std::string> out;
    if (!summary.typical) return out;
    const auto& t = *summary.typical;
    std::string head = fmt::format(
        "Typical request: trace {} ({}; this one {})",
        marked(t.trace_id),
        format_duration(t.duration_ms),
        signed_duration(t.difference_ms)
    );
    std::string item = worded(head, markup, 400);
    // The typical trace's link is this trace's with the id swapped (same account, same site).
    if (!trace_link.empty() && !summary.trace_id.empty()) {
        std::string link(trace_link);
        for (auto at = link.find(summary.trace_id); at != std::string::npos;
             at = link.find(summary.trace_id, at + t.trace_id.size())) {
            link.replace(at, summary.trace_id.size(), t.trace_id);
        }
        item += markup == Markup::plain ? "\n" + clean(link)
                                        : " · " + slack_link(link, "open it in New Relic");
    }
    out.push_back(std::move(item));
    double rest = t.other_ms;  // with what lies under a cut, so the items add up
    for (const auto& d : t.diff) {
        if (!d.top && (d.kind == K::extra || d.kind == K::missing)) {
            rest += d.delta_ms;
            continue;
        }
        const std::string line = fmt::format(
            "{} · {}: {}, {} in the typical request ({} on the critical path)",
            marked(d.service),
            marked(d.operation),
            calls(d.count),
            d.typical_count,
            signed_duration(d.delta_ms)
        );
        out.push_back(worded(line, markup, 400));
    }
    if (std::abs(rest) >= 1) {
        out.push_back(fmt::format("Everything else: {}", signed_duration(rest)));
    }
    return out;
}

std::vector<std::string> change_items(const Summary& summary, Markup markup) {
    std::vector<std::string> out;
    const std::int64_t start_ms = summary.start_us / 1000;
    for (const auto& c : summary.changes) {
        std::string text = change_text(c, start_ms);
        if (!c.description.empty()) {
            std::string said = c.description.substr(0, 300);
            std::replace(said.begin(), said.end(), '`', '\'');  // keep our code spans paired
            text += ": " + said;
        }
        out.push_back(markup == Markup::plain ? fit(clean(text), 300) : mrkdwn_marked(text, 300));
    }
    return out;
}

Json typical_json(const Summary& summary) {
    if (!summary.typical) return nullptr;
    const auto& t = *summary.typical;
    Json diff = Json::array();
    for (const auto& d : t.diff) {
        diff.push_back(Json{
            {"kind", to_string(d.kind)},
            {"service", d.service},
            {"operation", d.operation},
            {"caller", d.caller},
            {"count", d.count},
            {"typical_count", d.typical_count},
            {"delta_ms", round_ms(d.delta_ms)},
            {"span_id", d.span_id.empty() ? Json(nullptr) : Json(d.span_id)},
            {"top", d.top},
            {"after_failure", d.after_failure},
        });
    }
    return Json{
        {"trace_id", t.trace_id},
        {"duration_ms", round_ms(t.duration_ms)},
        {"endpoint", t.endpoint},
        {"difference_ms", round_ms(t.difference_ms)},
        {"other_ms", round_ms(t.other_ms)},
        {"similar_shape", t.similar_shape},
        {"diff", std::move(diff)},
    };
}

Json changes_json(const Summary& summary) {
    return changes_json(summary.changes);
}

Json changes_json(const std::vector<TraceChange>& changes) {
    Json out = Json::array();
    for (const auto& c : changes) {
        out.push_back(Json{
            {"service", c.service},
            {"kind", c.kind},
            {"at_ms", c.at_ms ? Json(*c.at_ms) : Json(nullptr)},
            {"version", c.version.empty() ? Json(nullptr) : Json(c.version)},
            {"previous_version",
             c.previous_version.empty() ? Json(nullptr) : Json(c.previous_version)},
            {"description", c.description.empty() ? Json(nullptr) : Json(c.description)},
        });
    }
    return out;
}

}  // namespace nra::render_detail
