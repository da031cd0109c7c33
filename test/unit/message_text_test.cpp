// Message events as alert channels read them: every text of a message (text, attachments,
// blocks) searched for trace ids, bounded whatever the message holds, and our own posts known.
#include "slack/message_text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nra/trace_argument.hpp"
#include "slack/inbound.hpp"

namespace message_text_test {

using namespace nra;
using namespace nra::slack;
using json = nlohmann::json;

namespace {

SlackEvent parsed(const json& envelope) {
    auto r = parse_inbound("application/json", envelope.dump());
    REQUIRE(r.ok());
    REQUIRE(std::holds_alternative<SlackEvent>(*r));
    return std::get<SlackEvent>(*r);
}

json envelope(json event) {
    return json{
        {"type", "event_callback"},
        {"team_id", "T1"},
        {"api_app_id", "A1"},
        {"event_id", "Ev1"},
        {"authorizations", json::array({{{"user_id", "UBOT"}, {"is_bot", true}}})},
        {"event", std::move(event)}};
}

}  // namespace

TEST_CASE("a New Relic alert's trace id is found in its attachments and blocks") {
    const json message{
        {"type", "message"},
        {"subtype", "bot_message"},
        {"bot_id", "B1"},
        {"channel", "CALERTS001"},
        {"ts", "1700000000.000100"},
        {"text", ""},
        {"attachments",
         json::array(
             {{{"fallback", "Error logs in orders"},
               {"fields",
                json::array({{{"title", "trace.id"}, {"value", "a1b2c3d4e5f60718293a4b5c6d7e8f90"}}}
                )}}}
         )},
        {"blocks",
         json::array(
             {{{"type", "section"},
               {"text", {{"type", "mrkdwn"}, {"text", "see 4bf92f3577b34da6a3ce929d0e0e4736"}}}}}
         )},
    };
    const auto ev = parsed(envelope(message));
    CHECK(ev.type == "message");
    CHECK(ev.subtype == "bot_message");
    CHECK_FALSE(ev.from_self);
    const auto traces = find_trace_arguments(ev.search_text, 3);
    REQUIRE(traces.size() == 2);
    CHECK(traces[0].trace_id == "a1b2c3d4e5f60718293a4b5c6d7e8f90");
    CHECK(traces[1].trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_CASE("our own messages are known by our app id or our bot user") {
    json by_app{{"type", "message"}, {"channel", "C1"}, {"ts", "1.1"}, {"app_id", "A1"}};
    CHECK(parsed(envelope(by_app)).from_self);
    json by_profile{
        {"type", "message"}, {"channel", "C1"}, {"ts", "1.1"}, {"bot_profile", {{"app_id", "A1"}}}};
    CHECK(parsed(envelope(by_profile)).from_self);
    json by_user{{"type", "message"}, {"channel", "C1"}, {"ts", "1.1"}, {"user", "UBOT"}};
    CHECK(parsed(envelope(by_user)).from_self);
    json other_bot{
        {"type", "message"}, {"channel", "C1"}, {"ts", "1.1"}, {"app_id", "A9"}, {"user", "U9"}};
    CHECK_FALSE(parsed(envelope(other_bot)).from_self);
}

TEST_CASE("the search text is bounded in size and depth, and ignores odd types") {
    json deep = json::object({{"text", "bottom"}});
    for (int i = 0; i < 500; ++i) deep = json::object({{"elements", json::array({deep})}});
    json message{
        {"text", 42},
        {"blocks", json::array({deep})},
        {"attachments", json::array({{{"text", std::string(200'000, 'x')}}, 7, nullptr})}};
    const auto text = message_search_text(message);
    CHECK(text.size() <= kMaxMessageText);
    CHECK(text.find("bottom") == std::string::npos);  // deeper than anyone writes blocks
    CHECK(message_search_text(json::array()).empty());
    CHECK(message_search_text(json{{"text", "a"}, {"attachments", "b"}}) == "a");
}

}  // namespace message_text_test
