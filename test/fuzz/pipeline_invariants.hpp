// What must hold for ANY input document: the whole pipeline (read → assemble → summarize) and all
// four renderers run without crashing, and when analysis succeeds the outputs are consistent.
// Shared by the libFuzzer harness (fuzz_pipeline.cpp) and the Catch2 replay of its findings
// (test/unit/fuzz_regressions_test.cpp), so both check exactly the same things.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include "nra/pipeline.hpp"
#include "nra/render.hpp"

namespace nra::fuzz {

inline constexpr std::size_t kMaxBlocks = 50;  // Slack rejects messages with more blocks

// Code points of a line, or npos when it is not valid UTF-8 (renderers must clean trace text).
inline std::size_t utf8_width(std::string_view line) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < line.size(); ++n) {
        const auto lead = static_cast<unsigned char>(line[i]);
        const std::size_t len = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                                 : (lead >> 3) == 0x1E                    ? 4
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

// "" when `payload` is a Block Kit message {"text", "blocks": [≤ 50]}, else what is wrong.
inline std::string check_blocks(const std::string& payload, const char* which) {
    const auto message = nlohmann::json::parse(payload, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
        return std::string(which) + " is not a JSON object";
    }
    const auto blocks = message.find("blocks");
    const auto text = message.find("text");
    if (blocks == message.end() || !blocks->is_array() || text == message.end() ||
        !text->is_string()) {
        return std::string(which) + " lacks text or a blocks array";
    }
    if (blocks->size() > kMaxBlocks) {
        return std::string(which) + " has " + std::to_string(blocks->size()) + " blocks";
    }
    return {};
}

// "" when the critical path covers exactly the trace duration (within 1e-6 relative).
inline std::string check_critical_path(const Summary& summary) {
    if (!std::isfinite(summary.duration_ms) || summary.duration_ms < 0) {
        return "duration_ms is " + std::to_string(summary.duration_ms);
    }
    double sum = 0;
    for (const auto& segment : summary.critical_path) {
        if (!(segment.duration_ms > 0)) return "critical-path segment without a positive duration";
        sum += segment.duration_ms;
    }
    if (std::abs(sum - summary.duration_ms) > 1e-6 * summary.duration_ms + 1e-9) {
        return "critical path sums to " + std::to_string(sum) + " ms, trace lasts " +
               std::to_string(summary.duration_ms) + " ms";
    }
    return {};
}

// Runs the pipeline and every renderer on one document; "" when every invariant holds.
// `narrow_width` is a second terminal width to render at (the default 100 is always tried).
inline std::string check_document(std::string_view document, int narrow_width) {
    const auto summary = analyze_document(document);
    if (!summary) {
        return summary.error().find('\n') == std::string::npos ? "" : "error message has a newline";
    }
    std::string problem = check_critical_path(*summary);
    RenderOptions options;
    options.trace_link = "https://one.newrelic.com/distributed-tracing?id=x";
    for (const int width : {100, narrow_width}) {
        if (!problem.empty()) break;
        options.width = width;
        problem = check_text(render_text(*summary, options), width);
    }
    if (problem.empty()) {
        const auto json = nlohmann::json::parse(render_json(*summary, options), nullptr, false);
        if (json.is_discarded() || !json.is_object()) problem = "render_json is not a JSON object";
    }
    if (problem.empty()) problem = check_blocks(render_blocks_summary(*summary, options), "summary");
    if (problem.empty()) problem = check_blocks(render_blocks_detail(*summary, options), "detail");
    return problem;
}

}  // namespace nra::fuzz
