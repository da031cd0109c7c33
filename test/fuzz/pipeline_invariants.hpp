// What must hold for ANY input document: the whole pipeline (read → assemble → summarize) and all
// four renderers run without crashing, and when analysis succeeds the outputs are consistent.
// Shared by the libFuzzer harness (fuzz_pipeline.cpp) and the Catch2 replay of its findings
// (test/unit/fuzz_regressions_test.cpp), so both check exactly the same things.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "nra/analysis/pipeline.hpp"
#include "nra/render/render.hpp"

namespace nra::fuzz {

inline constexpr std::size_t kMaxBlocks = 50;  // Slack rejects messages with more blocks

// Code points of a line, or npos when it is not valid UTF-8 (renderers must clean trace text).
inline std::size_t utf8_width(std::string_view line) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < line.size(); ++n) {
        const auto lead = static_cast<unsigned char>(line[i]);
        const std::size_t len = lead < 0x80           ? 1
                                : (lead >> 5) == 0x6  ? 2
                                : (lead >> 4) == 0xE  ? 3
                                : (lead >> 3) == 0x1E ? 4
                                                      : 0;
        if (len == 0 || i + len > line.size()) return std::string::npos;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(line[i + k]) & 0xC0) != 0x80) return std::string::npos;
        }
        i += len;
    }
    return n;
}

// First line of `text` that is wider than `width` code points or not UTF-8, or "" when none is.
inline std::string check_text(const std::string& text, int width) {
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        const std::string_view line(text.data() + pos, nl - pos);
        const std::size_t w = utf8_width(line);
        if (w == std::string::npos || w > static_cast<std::size_t>(width)) {
            return "render_text line wider than " + std::to_string(width) + ": " +
                   std::string(line.substr(0, 200));
        }
        pos = nl + 1;
    }
    return {};
}

// UTF-16 code units: what Slack counts its character limits in.
inline std::size_t utf16_units(std::string_view text) {
    std::size_t n = 0;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        n += (b & 0xC0) != 0x80 ? ((b >> 3) == 30 ? 2 : 1) : 0;
    }
    return n;
}

// "" when a text object is non-empty, within `max_units` and, in mrkdwn, every '&' starts an
// escape and every '<' opens one of our <https://…|label> links (trace text cannot become markup).
inline std::string check_text_object(const nlohmann::json& object, std::size_t max_units) {
    const auto text = object.find("text");
    if (!object.is_object() || text == object.end() || !text->is_string()) return "no text";
    const auto& value = text->get_ref<const std::string&>();
    if (value.empty() || utf16_units(value) > max_units) return "text empty or too long: " + value;
    if (object.value("type", "") != "mrkdwn") {
        return value.find('\n') == std::string::npos ? "" : "newline in plain_text";
    }
    for (std::size_t i = value.find('&'); i != std::string::npos; i = value.find('&', i + 1)) {
        const std::string_view rest = std::string_view(value).substr(i, 5);
        if (rest != "&amp;" && rest.substr(0, 4) != "&lt;" && rest.substr(0, 4) != "&gt;") {
            return "unescaped & in " + value.substr(0, 300);
        }
    }
    for (std::size_t i = value.find('<'); i != std::string::npos; i = value.find('<', i + 1)) {
        const std::size_t close = value.find('>', i);
        if (value.compare(i, 9, "<https://") != 0 || close == std::string::npos ||
            value.substr(i, close - i).find('|') == std::string::npos) {
            return "stray < in " + value.substr(0, 300);
        }
    }
    return {};
}

// "" when every element of `items` (a non-empty array of at most 10) is a valid text object.
inline std::string check_text_list(const nlohmann::json& items, std::size_t max_units) {
    if (!items.is_array() || items.empty() || items.size() > 10) return "bad fields/elements";
    for (const auto& item : items) {
        if (auto problem = check_text_object(item, max_units); !problem.empty()) return problem;
    }
    return {};
}

// "" when an actions block holds 1–25 buttons with a label, an action_id and a value in limits.
inline std::string check_buttons(const nlohmann::json& elements) {
    if (!elements.is_array() || elements.empty() || elements.size() > 25) return "bad buttons";
    for (const auto& button : elements) {
        if (!button.is_object() || button.value("type", "") != "button") return "not a button";
        const auto problem = check_text_object(button.value("text", nlohmann::json()), 75);
        if (!problem.empty()) return "button: " + problem;
        const std::string id = button.value("action_id", "");
        const std::string value = button.value("value", "");
        if (id.empty() || id.size() > 255 || value.size() > 2000) return "bad button id or value";
    }
    return {};
}

// "" when one block is a header, section, context or actions within Slack's limits (slack.md §5).
inline std::string check_block(const nlohmann::json& block) {
    const std::string type = block.is_object() ? block.value("type", "") : "";
    if (type == "header") return check_text_object(block.value("text", nlohmann::json()), 150);
    if (type == "context") return check_text_list(block.value("elements", nlohmann::json()), 3000);
    if (type == "actions") return check_buttons(block.value("elements", nlohmann::json()));
    if (type != "section") return "unexpected block type " + type;
    if (!block.contains("text") && !block.contains("fields")) return "empty section";
    std::string problem;
    if (block.contains("text")) problem = check_text_object(block["text"], 3000);
    if (problem.empty() && block.contains("fields")) {
        problem = check_text_list(block["fields"], 2000);
    }
    return problem;
}

// "" when `payload` is a Block Kit message {"text", "blocks": [≤ 50]} within Slack's limits.
inline std::string check_blocks(const std::string& payload, const char* which) {
    const auto message = nlohmann::json::parse(payload, nullptr, false);
    if (message.is_discarded() || !message.is_object() || !message.contains("blocks")) {
        return std::string(which) + " is not a Block Kit message";
    }
    const auto& blocks = message["blocks"];
    if (!blocks.is_array() || blocks.empty() || blocks.size() > kMaxBlocks) {
        return std::string(which) + " has no blocks or more than 50";
    }
    nlohmann::json fallback = {{"type", "mrkdwn"}, {"text", message.value("text", "")}};
    std::string problem = check_text_object(fallback, 3000);
    for (std::size_t i = 0; problem.empty() && i < blocks.size(); ++i) {
        problem = check_block(blocks[i]);
    }
    return problem.empty() ? problem : std::string(which) + ": " + problem;
}

// "" when the critical path is contiguous and explains at least the root span and at most the
// trace's extent (it reaches past the root only along asynchronous work; within 1e-6 relative).
inline std::string check_critical_path(const Summary& summary) {
    if (!std::isfinite(summary.duration_ms) || summary.duration_ms < 0) {
        return "duration_ms is " + std::to_string(summary.duration_ms);
    }
    double sum = 0;
    for (std::size_t k = 0; k < summary.critical_path.size(); ++k) {
        const auto& segment = summary.critical_path[k];
        if (!(segment.duration_ms > 0)) return "critical-path segment without a positive duration";
        if (segment.start_ms < 0) return "critical-path segment before the trace starts";
        if (k > 0) {
            const auto& prev = summary.critical_path[k - 1];
            const double gap = segment.start_ms - (prev.start_ms + prev.duration_ms);
            if (std::abs(gap) > 1e-6 * summary.duration_ms + 1e-6) {
                return "critical-path segments not contiguous";
            }
        }
        sum += segment.duration_ms;
    }
    const double eps = 1e-6 * summary.duration_ms + 1e-9;
    if (sum < summary.root.duration_ms - eps || sum > summary.duration_ms + eps) {
        return "critical path sums to " + std::to_string(sum) + " ms, root lasts " +
               std::to_string(summary.root.duration_ms) + " ms, trace " +
               std::to_string(summary.duration_ms) + " ms";
    }
    return {};
}

// Every renderer on one successful analysis; "" when every invariant holds. `narrow_width` is a
// second terminal width to render at (the default 100 is always tried). `with_json` false skips
// render_json, whose full critical path dominates the cost for huge generated traces.
inline std::string check_summary(const Summary& summary, int narrow_width, bool with_json = true) {
    std::string problem = check_critical_path(summary);
    RenderOptions options;
    options.trace_link = "https://one.newrelic.com/distributed-tracing?id=x&a=<b>";
    for (const int width : {100, narrow_width}) {
        if (!problem.empty()) break;
        options.width = width;
        problem = check_text(render_text(summary, options), width);
    }
    if (problem.empty() && with_json) {
        const auto json = nlohmann::json::parse(render_json(summary, options), nullptr, false);
        if (json.is_discarded() || !json.is_object()) problem = "render_json is not a JSON object";
    }
    if (problem.empty())
        problem = check_blocks(render_blocks_summary(summary, options).dump(), "summary");
    if (problem.empty())
        problem = check_blocks(render_blocks_detail(summary, options).dump(), "detail");
    return problem;
}

// One analysis: a one-line error, or a summary that check_summary accepts.
inline std::string check_analysis(
    std::string_view document,
    const PipelineOptions& options,
    int narrow_width,
    std::string* trace_id = nullptr
) {
    const auto summary = analyze_document(document, options);
    if (!summary) {
        return summary.error().find('\n') == std::string::npos ? "" : "error message has a newline";
    }
    if (trace_id != nullptr) *trace_id = summary->trace_id;
    return check_summary(*summary, narrow_width);
}

// The whole pipeline on one document, then again selecting the trace it found by id (upper-cased,
// as users paste them), the way the Slack flow asks for one trace of a document.
inline std::string check_document(std::string_view document, int narrow_width) {
    std::string trace_id;
    std::string problem = check_analysis(document, {}, narrow_width, &trace_id);
    if (!problem.empty() || trace_id.empty()) return problem;
    std::transform(trace_id.begin(), trace_id.end(), trace_id.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    PipelineOptions by_id;
    by_id.trace_id = trace_id;
    return check_analysis(document, by_id, narrow_width);
}

}  // namespace nra::fuzz
