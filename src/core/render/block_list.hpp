// Private: a Block Kit message under construction that cannot break Slack's limits (slack.md §5).
// Every add_* clips or refuses instead of producing a block Slack would reject.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "nra/render/block_message.hpp"

namespace nra::render_detail {

inline constexpr std::size_t kMaxBlocks = 50;
inline constexpr std::size_t kMaxSectionText = 3000;
inline constexpr std::size_t kMaxFields = 10;
inline constexpr std::size_t kMaxFieldText = 2000;
inline constexpr std::size_t kMaxHeaderText = 150;
inline constexpr std::size_t kMaxContextElements = 10;
inline constexpr std::size_t kMaxFallbackText = 3000;

// Cuts already-escaped mrkdwn to at most max_units UTF-16 units (ending in "…"), never inside a
// UTF-8 character or an &amp;/&lt;/&gt; escape.
std::string clip_mrkdwn(std::string_view text, std::size_t max_units);

class BlockList {
public:
    std::size_t size() const { return blocks_.size(); }
    std::size_t remaining() const { return kMaxBlocks - blocks_.size(); }

    // Header from plain text (cleaned, clipped to 150); `fallback` when text is empty.
    bool add_header(std::string_view plain, std::string_view fallback);
    // Section from escaped mrkdwn (clipped to 3000; "…" stands in for an empty text).
    bool add_section(std::string_view mrkdwn_text);
    // Section made of fields (escaped mrkdwn): at most 10 kept, each clipped to 2000.
    bool add_fields(const std::vector<std::string>& fields);
    // Context line of mrkdwn elements: at most 10 kept, each clipped to 3000.
    bool add_context(const std::vector<std::string>& elements);

    // The message: fallback clipped to 3000 (never empty) and the blocks.
    BlockMessage finish(std::string_view fallback_mrkdwn) const;

private:
    bool push(nlohmann::ordered_json block);
    nlohmann::ordered_json blocks_ = nlohmann::ordered_json::array();
};

// Packs mrkdwn items under a mrkdwn title into at most max_sections sections of at most 3000
// units each; items that do not fit are counted in a visible "… and N more <noun>s" line (noun
// given singular).
void add_item_sections(
    BlockList& blocks,
    std::string_view title,
    const std::vector<std::string>& items,
    std::size_t max_sections,
    std::string_view noun
);

}  // namespace nra::render_detail
