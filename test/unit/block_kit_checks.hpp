// Block Kit checks shared by the Slack renderer tests: every limit this bot relies on (slack.md
// §5) and the escaping rule, checked on parsed output.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "unit/render_samples.hpp"

namespace nra::test {

using nlohmann::json;

// In mrkdwn every '&' must start one of the three escapes and every '<' must open one of our
// links (<https://…|label>) or a channel mention (<#C…>), so user text can never become markup,
// a mention or a broken escape.
inline void check_mrkdwn_escaping(const std::string& text) {
    INFO("mrkdwn: " << text.substr(0, 400));
    for (std::size_t i = text.find('&'); i != std::string::npos; i = text.find('&', i + 1)) {
        const std::string rest = text.substr(i, 5);
        const bool ok = rest == "&amp;" || rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0;
        CHECK(ok);
    }
    for (std::size_t i = text.find('<'); i != std::string::npos; i = text.find('<', i + 1)) {
        const std::size_t close = text.find('>', i);
        REQUIRE(close != std::string::npos);
        const std::string inner = text.substr(i + 1, close - i - 1);
        if (inner.rfind("#C", 0) == 0) {
            CHECK(
                inner.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 1) ==
                std::string::npos
            );
            continue;
        }
        if (inner.rfind("!date^", 0) == 0) {  // <!date^EPOCH^{tokens}|fallback>
            const std::size_t caret = inner.find('^', 6);
            REQUIRE(caret != std::string::npos);
            CHECK(inner.find_first_not_of("0123456789", 6) == caret);
            CHECK(inner.find('|') != std::string::npos);
            continue;
        }
        CHECK(inner.rfind("https://", 0) == 0);
        CHECK(inner.find('|') != std::string::npos);
    }
}

inline void check_text_object(const json& object, const char* type, std::size_t max_units) {
    REQUIRE(object.at("type") == type);
    const std::string text = object.at("text").get<std::string>();
    CHECK_FALSE(text.empty());
    CHECK(utf16_units(text) <= max_units);
    CHECK(text.find("\xEF\xBF\xBD") == std::string::npos);  // no UTF-8 character cut in half
    if (std::string(type) == "mrkdwn") {
        check_mrkdwn_escaping(text);
    } else {
        CHECK(text.find('\n') == std::string::npos);
    }
}

// Every Block Kit limit this bot relies on; returns the parsed message.
inline json check_block_kit(const std::string& payload) {
    const json message = json::parse(payload);
    const std::string fallback = message.at("text").get<std::string>();
    CHECK_FALSE(fallback.empty());
    CHECK(utf16_units(fallback) <= 3000);
    check_mrkdwn_escaping(fallback);
    const json& blocks = message.at("blocks");
    REQUIRE(blocks.is_array());
    CHECK_FALSE(blocks.empty());
    CHECK(blocks.size() <= 50);
    for (const auto& block : blocks) {
        const std::string type = block.at("type").get<std::string>();
        if (type == "header") {
            check_text_object(block.at("text"), "plain_text", 150);
        } else if (type == "section") {
            REQUIRE((block.contains("text") || block.contains("fields")));
            if (block.contains("text")) {
                check_text_object(block.at("text"), "mrkdwn", 3000);
            }
            if (block.contains("fields")) {
                CHECK(block.at("fields").size() <= 10);
                CHECK_FALSE(block.at("fields").empty());
                for (const auto& field : block.at("fields")) {
                    check_text_object(field, "mrkdwn", 2000);
                }
            }
        } else if (type == "context") {
            CHECK(block.at("elements").size() <= 10);
            CHECK_FALSE(block.at("elements").empty());
            for (const auto& element : block.at("elements")) {
                check_text_object(element, "mrkdwn", 3000);
            }
        } else if (type == "actions") {
            CHECK(block.at("elements").size() <= 25);
            for (const auto& element : block.at("elements")) {
                CHECK(element.at("type") == "button");
                check_text_object(element.at("text"), "plain_text", 75);
                CHECK(element.at("value").get<std::string>().size() <= 2000);
                CHECK(element.at("action_id").get<std::string>().size() <= 255);
            }
        } else {
            FAIL("unexpected block type " << type);
        }
    }
    return message;
}

// The same for a rendered message, checked as the Slack adapter serialises it.
inline json check_block_kit(const BlockMessage& message) {
    return check_block_kit(message.dump());
}

// All mrkdwn and plain texts of a message, concatenated in order.
inline std::string all_text(const json& message) {
    std::string out = message.at("text").get<std::string>() + "\n";
    for (const auto& block : message.at("blocks")) {
        for (const char* key : {"text"}) {
            if (block.contains(key)) {
                out += block.at(key).at("text").get<std::string>() + "\n";
            }
        }
        for (const char* key : {"fields", "elements"}) {
            if (block.contains(key)) {
                for (const auto& item : block.at(key)) {
                    const json& text = item.at("text");  // buttons hold a text object
                    out += (text.is_object() ? text.at("text") : text).get<std::string>() + "\n";
                }
            }
        }
    }
    return out;
}

}  // namespace nra::test
