// Block Kit building blocks that enforce Slack's limits (slack.md §5) by construction.
#include "core/render/block_list.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/render/render_util.hpp"

namespace nra {

Blocks BlockMessage::document() const {
    return Blocks{{"text", text}, {"blocks", blocks}};
}

std::string BlockMessage::dump() const {
    return document().dump(-1, ' ', false, Blocks::error_handler_t::replace);
}

}  // namespace nra

namespace nra::render_detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kMoreReserve = 80;  // room kept for the "… and N more" line

Json mrkdwn_object(std::string_view text, std::size_t max_units) {
    std::string clipped = clip_mrkdwn(text, max_units);
    if (clipped.empty()) {
        clipped = std::string(kEllipsis);  // Slack rejects empty texts
    }
    return Json{{"type", "mrkdwn"}, {"text", std::move(clipped)}};
}

}  // namespace

std::string clip_mrkdwn(std::string_view text, std::size_t max_units) {
    if (slack_length(text) <= max_units) {
        return std::string(text);
    }
    std::string body = fit_units(text, max_units);
    if (body.size() >= kEllipsis.size()) {
        body.resize(body.size() - kEllipsis.size());
    }
    // User text is always escaped, so a raw '&' starts one of our escapes and a raw '<' one of our
    // links: never leave either half-open.
    const std::size_t amp = body.rfind('&');
    if (amp != std::string::npos && body.find(';', amp) == std::string::npos) {
        body.resize(amp);
    }
    const std::size_t open = body.rfind('<');
    if (open != std::string::npos && body.find('>', open) == std::string::npos) {
        body.resize(open);
    }
    return max_units == 0 ? std::string() : body + std::string(kEllipsis);
}

bool BlockList::push(Json block) {
    if (blocks_.size() >= kMaxBlocks) {
        return false;
    }
    blocks_.push_back(std::move(block));
    return true;
}

bool BlockList::add_header(std::string_view plain, std::string_view fallback) {
    std::string text = fit_units(clean(plain), kMaxHeaderText);
    if (text.find_first_not_of(' ') == std::string::npos) {
        text = fit_units(clean(fallback), kMaxHeaderText);
    }
    if (text.find_first_not_of(' ') == std::string::npos) {
        text = "Trace";
    }
    return push(Json{
        {"type", "header"},
        {"text", Json{{"type", "plain_text"}, {"text", text}, {"emoji", true}}},
    });
}

bool BlockList::add_section(std::string_view mrkdwn_text) {
    return push(Json{{"type", "section"}, {"text", mrkdwn_object(mrkdwn_text, kMaxSectionText)}});
}

bool BlockList::add_fields(const std::vector<std::string>& fields) {
    Json items = Json::array();
    for (std::size_t i = 0; i < fields.size() && i < kMaxFields; ++i) {
        items.push_back(mrkdwn_object(fields[i], kMaxFieldText));
    }
    if (items.empty()) {
        return false;
    }
    return push(Json{{"type", "section"}, {"fields", std::move(items)}});
}

bool BlockList::add_context(const std::vector<std::string>& elements) {
    Json items = Json::array();
    for (std::size_t i = 0; i < elements.size() && i < kMaxContextElements; ++i) {
        items.push_back(mrkdwn_object(elements[i], kMaxSectionText));
    }
    if (items.empty()) {
        return false;
    }
    return push(Json{{"type", "context"}, {"elements", std::move(items)}});
}

BlockMessage BlockList::finish(std::string_view fallback_mrkdwn) const {
    std::string text = clip_mrkdwn(fallback_mrkdwn, kMaxFallbackText);
    if (text.find_first_not_of(' ') == std::string::npos) {
        text = "Trace analysis";
    }
    return BlockMessage{std::move(text), blocks_};
}

void add_item_sections(
    BlockList& blocks,
    std::string_view title,
    const std::vector<std::string>& items,
    std::size_t max_sections,
    std::string_view noun
) {
    if (items.empty()) {
        return;
    }
    const std::size_t budget = kMaxSectionText - kMoreReserve;
    std::size_t sections_left = std::min(max_sections, blocks.remaining());
    std::string text(title);
    std::size_t length = slack_length(text);
    std::size_t next = 0;
    while (next < items.size() && sections_left > 0) {
        const std::size_t item_length = slack_length(items[next]) + (text.empty() ? 0 : 1);
        if (length + item_length <= budget) {
            text += (text.empty() ? "" : "\n") + items[next++];
            length += item_length;
        } else if (text.empty()) {
            text = clip_mrkdwn(items[next++], budget);  // one item larger than a whole section
            length = slack_length(text);
        } else if (sections_left > 1) {
            blocks.add_section(text);
            --sections_left;
            text.clear();
            length = 0;
        } else {
            break;
        }
    }
    if (sections_left == 0) {
        return;
    }
    if (next < items.size()) {
        text += (text.empty() ? "_" : "\n_") + and_more(items.size() - next, noun) + "_";
    }
    if (!text.empty()) {
        blocks.add_section(text);
    }
}

}  // namespace nra::render_detail
