// Checks that text from outside stays inert in what the bot posts: the hostile name below, put
// wherever a user, New Relic or Jira can put a name, must not mention anyone, link anywhere, open
// or close a code span, format or quote, or carry invisible characters. Shared by the tests that
// walk every kind of message (test/handlers/hostile_text_test.cpp and the endpoint's acks).
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace nra::test {

// Every trick at once: a quote, broadcasts, a user mention, a disguised link, a backtick that
// would close our code span, bold/italic/strike, an escape that must stay literal, a bidi override
// and zero-width characters.
inline const std::string kHostileName =
    "> <!here> <!channel> <@U0ADMIN> <https://evil.example/x|open me> a`b *bold* _it_ ~st~ "
    "&amp; \u202Eexe.txt\u200B\u2066x\u2069\u200E";

// Zero-width and bidi controls (UTF-8) that nothing we post may carry.
inline bool has_invisible(std::string_view text) {
    for (const std::string_view bad :
         {"\u200B",
          "\u200E",
          "\u200F",
          "\u202A",
          "\u202B",
          "\u202C",
          "\u202D",
          "\u202E",
          "\u2066",
          "\u2067",
          "\u2068",
          "\u2069",
          "\u061C",
          "\u2060",
          "\uFEFF"}) {
        if (text.find(bad) != std::string_view::npos) return true;
    }
    return false;
}

// The text without the targets of links (<https://…|label> keeps "label>"): Slack reads a target
// as a URL, never as formatting.
inline std::string without_link_targets(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t open = text.find("<https://", i);
        const std::size_t bar = open == std::string_view::npos ? open : text.find('|', open);
        if (bar == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, open - i));
        i = bar + 1;
    }
    return out;
}

// The text outside code spans and ``` blocks (backticks pair up; checked separately).
inline std::string outside_code(std::string_view text) {
    std::string out;
    bool code = false;
    for (const char c : text) {
        if (c == '`') {
            code = !code;
            out += ' ';
        } else if (!code) {
            out += c;
        }
    }
    return out;
}

// What may stand between '<' and '>' in what we post: a link of ours (https, to a host that is
// not evil.example; the path may quote anything, percent-encoded), a channel, a date, or a
// mention of a real user id that is not the hostile name's U0ADMIN (who pressed a button).
inline bool our_markup(const std::string& inner) {
    const auto upper_id = [](std::string_view id) {
        return !id.empty() && id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
                                  std::string_view::npos;
    };
    if (inner.rfind("https://", 0) == 0) {
        const std::string host = inner.substr(8, inner.find_first_of("/|", 8) - 8);
        return inner.find('|') != std::string::npos && host.find("evil") == std::string::npos;
    }
    if (inner.rfind("@", 0) == 0) return upper_id(inner.substr(1)) && inner != "@U0ADMIN";
    return (inner.rfind("#C", 0) == 0 && upper_id(inner.substr(1))) ||
           inner.rfind("!date^", 0) == 0;
}

// One mrkdwn text: every '<' opens our markup (our_markup); '&' only starts an escape; backticks
// pair up; outside code no formatting pair of the hostile name and no line that starts a quote;
// nothing invisible.
inline void check_inert_mrkdwn(const std::string& text) {
    INFO("mrkdwn: " << text.substr(0, 600));
    CHECK_FALSE(has_invisible(text));
    for (std::size_t i = text.find('<'); i != std::string::npos; i = text.find('<', i + 1)) {
        const std::size_t close = text.find('>', i);
        REQUIRE(close != std::string::npos);
        const std::string inner = text.substr(i + 1, close - i - 1);
        CHECK(our_markup(inner));
    }
    for (std::size_t i = text.find('&'); i != std::string::npos; i = text.find('&', i + 1)) {
        const std::string rest = text.substr(i, 5);
        CHECK((rest == "&amp;" || rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0));
    }
    const std::string shown = without_link_targets(text);
    CHECK(std::count(shown.begin(), shown.end(), '`') % 2 == 0);
    const std::string outside = outside_code(shown);
    for (const char* formatted : {"*bold*", "_it_", "~st~"}) {
        CHECK(outside.find(formatted) == std::string::npos);
    }
    std::size_t line = 0;
    while (line < outside.size()) {
        const std::size_t first = outside.find_first_not_of(' ', line);
        if (first == std::string::npos) break;
        CHECK(outside.compare(first, 4, "&gt;") != 0);  // a quote
        const std::size_t next = outside.find('\n', first);
        line = next == std::string::npos ? outside.size() : next + 1;
    }
}

// Every text of a Slack payload (message, Block Kit blocks, unfurls, Home view): mrkdwn objects
// and the top-level fallback through check_inert_mrkdwn; plain_text may show anything visible but
// nothing invisible. Returns how many texts were checked.
inline std::size_t check_inert_payload(const nlohmann::json& payload, bool top_is_mrkdwn = true) {
    std::size_t checked = 0;
    if (payload.is_object()) {
        const std::string type = payload.value("type", "");
        if (payload.contains("text") && payload["text"].is_string()) {
            const std::string text = payload["text"].get<std::string>();
            if (type == "plain_text") {
                INFO("plain_text: " << text);
                CHECK_FALSE(has_invisible(text));
            } else if (type == "mrkdwn" || top_is_mrkdwn) {
                check_inert_mrkdwn(text);
            }
            ++checked;
        }
        for (const auto& [key, value] : payload.items()) {
            if (key != "text" || !value.is_string()) checked += check_inert_payload(value, false);
        }
    } else if (payload.is_array()) {
        for (const auto& item : payload) checked += check_inert_payload(item, false);
    }
    return checked;
}

}  // namespace nra::test
