// TicketDraft text → Jira rich text: Atlassian Document Format (Cloud v3) or wiki markup (Data
// Center v2). Pure. The input format: paragraphs separated by blank lines, "- " bullet lines,
// `code` spans and <url|label> links (<url> alone also works; only http(s) and mailto URLs).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "jira/jira_config.hpp"

namespace nra::jira {

// Jira's cap on description and comment bodies (Atlassian KB "CommentBodyCharacterLimit…").
inline constexpr std::size_t kMaxBodyChars = 32'767;
inline constexpr std::size_t kMaxSummaryChars = 255;

// {"version":1,"type":"doc","content":[…]}: paragraph (lines joined by hardBreak), bulletList of
// listItem > paragraph, text with code and link marks. Never emits an empty text node.
nlohmann::json to_adf(std::string_view text);

// Same structure as wiki markup: "* " bullets, {{code}}, [label|url]; every character the wiki
// renderer would treat as markup ({, [, *, _, -, |, …) is escaped so names render literally.
std::string to_wiki(std::string_view text);

// The description/comment body for the flavour: ADF (Cloud) or a wiki string (Data Center),
// whose serialised size is at most `max_chars`. Longer text is cut at a line or word boundary
// and ends with a note saying so.
nlohmann::json render_body(
    std::string_view text, JiraFlavor flavor, std::size_t max_chars = kMaxBodyChars
);

// The longest prefix of at most `max_bytes` bytes that does not split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// Serialises for the wire; invalid UTF-8 becomes U+FFFD instead of throwing.
std::string dump_json(const nlohmann::json& value);

}  // namespace nra::jira
