// All the text a Slack message carries, for finding trace ids in it: its `text`, its legacy
// attachments (pretext, title, title_link, text, fallback, footer, fields) and every text, URL and
// value inside its blocks (sections, fields, context, rich text, links, buttons). Integrations
// such as New Relic's alerts put what matters in attachments or blocks, not in `text`. Bounded:
// at most kMaxMessageText bytes and 32 levels of nesting, whatever the message holds.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace nra::slack {

inline constexpr std::size_t kMaxMessageText = std::size_t{64} * 1024;

std::string message_search_text(const nlohmann::json& message);

}  // namespace nra::slack
