// Renderers: Summary → terminal text, Summary JSON (PRODUCT.md contract), Slack Block Kit.
// Pure; Block Kit output always stays inside Slack's limits (see render_blocks.cpp).
#pragma once

#include <string>

#include "nra/summary.hpp"

namespace nra {

struct RenderOptions {
    int width = 100;         // terminal columns
    std::string trace_link;  // link back to New Relic (empty: none)
    std::size_t max_path_rows = 25;
};

std::string render_text(const Summary& summary, const RenderOptions& options = {});
std::string render_json(const Summary& summary, const RenderOptions& options = {});

// Block Kit: the channel summary message and the thread detail, each a JSON object
// {"text": fallback, "blocks": [...]} ready for chat.postMessage.
std::string render_blocks_summary(const Summary& summary, const RenderOptions& options = {});
std::string render_blocks_detail(const Summary& summary, const RenderOptions& options = {});

// Slack mrkdwn escaping of &, <, > (only those three, & first).
std::string slack_escape(std::string_view text);

}  // namespace nra
