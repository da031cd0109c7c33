// Private: Slack pieces shared by the report's channel message, thread details and the services
// overview. Everything report-derived is cleaned, escaped and clipped here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/render/block_list.hpp"
#include "nra/report/report.hpp"

namespace nra::report_blocks {

// "`GET /cart`" — an endpoint name as inline code, at most max_units.
std::string endpoint_code(const std::string& name, std::size_t max_units);
// One line for the channel message: "*2.* " (when numbered), name, primary breach or figures,
// impact, change.
std::string endpoint_line(const EndpointReport& endpoint, std::optional<std::size_t> index);
// One suggestion: kind, service, what, figures, advice and a link to the source.
std::string suggestion_item(const Suggestion& suggestion);
// The report's notes as one context block (at most 10 elements).
void add_notes(render_detail::BlockList& blocks, const std::vector<std::string>& notes);
// A Slack link only for http(s) URLs (everything else would not be clickable); "" otherwise.
std::string web_link(const std::string& url, const std::string& label);
// finish() plus one actions block appended (BlockList has no actions block of its own).
BlockMessage finish_with_button(
    const render_detail::BlockList& blocks,
    const std::string& fallback,
    const std::string& service,
    const std::string& endpoint
);

}  // namespace nra::report_blocks
