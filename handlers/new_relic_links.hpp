// Which links in Slack are New Relic's: the unfurls and alert channels only follow links to New
// Relic UI hosts (one.newrelic.com, one.eu.newrelic.com, …), so a forged event or a disguised
// link cannot make the bot fetch for, or vouch for, another host, and another tool's link with a
// hex id in it is not taken for a trace.
#pragma once

#include <string>
#include <string_view>

namespace nra {

// True for an http(s) URL whose host is a New Relic UI host.
bool is_new_relic_link(std::string_view url);

// `text` without the URLs that do not lead to New Relic (words with "://", split on whitespace
// and Slack's <url|label> markup): what is left may be searched for trace ids.
std::string without_foreign_links(std::string_view text);

}  // namespace nra
