#include "core/render/suspects_text.hpp"

#include <fmt/format.h>

#include "core/render/render_util.hpp"
#include "nra/render/render.hpp"

namespace nra::render_detail {
namespace {

using Json = nlohmann::ordered_json;

std::string heading(const Suspect& s) {
    std::string out = marked(s.service);
    if (!s.operation.empty()) out += " · " + marked(s.operation);
    out += fmt::format(" ({}, {} confidence", to_string(s.kind), to_string(s.confidence));
    if (s.excess_ms >= 1) out += ", " + format_duration(s.excess_ms);
    return out + ")";
}

}  // namespace

std::string worded(const std::string& text, Markup markup, std::size_t max) {
    return markup == Markup::plain ? fit(clean(text), max) : mrkdwn_marked(text, max);
}

std::string marked(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c == '`') c = '\'';
    }
    return "`" + out + "`";
}

std::string suspect_lead(const Summary& summary, Markup markup) {
    if (summary.suspects.empty()) {
        return summary.suspects_note.empty() ? std::string()
                                             : worded(summary.suspects_note, markup, 400);
    }
    const Suspect& top = summary.suspects.front();
    std::string rest = ": " + heading(top);
    if (!top.evidence.empty()) rest += ": " + top.evidence.front().text;
    rest += ".";
    if (markup == Markup::mrkdwn) return "*Suspect*" + mrkdwn_marked(rest, 1200);
    return worded("Suspect" + rest, markup, 600);
}

std::vector<std::string> suspect_items(const Summary& summary, Markup markup) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < summary.suspects.size(); ++i) {
        const Suspect& s = summary.suspects[i];
        std::string item = worded(fmt::format("{}. {}", i + 1, heading(s)), markup, 400);
        for (const auto& e : s.evidence) {
            item += "\n" + std::string(markup == Markup::plain ? "   " : "• ") +
                    worded(e.text, markup, 500);
        }
        items.push_back(std::move(item));
    }
    return items;
}

Json suspects_json(const Summary& summary) {
    Json out = Json::array();
    for (const auto& s : summary.suspects) {
        Json evidence = Json::array();
        for (const auto& e : s.evidence) {
            Json ids = Json::array();
            for (const auto& id : e.span_ids) ids.push_back(shown_span_id(id));
            evidence.push_back(Json{{"text", e.text}, {"span_ids", ids}});
        }
        out.push_back(Json{
            {"service", s.service},
            {"operation", s.operation},
            {"kind", to_string(s.kind)},
            {"confidence", to_string(s.confidence)},
            {"score", round_ms(s.score)},
            {"excess_ms", round_ms(s.excess_ms)},
            {"evidence", evidence},
        });
    }
    return out;
}

}  // namespace nra::render_detail
