// parse_inbound and form_decode on the official Slack bodies (reference/slack.md §1–§3) and on
// broken ones: every malformed body is an error value, never an exception.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "slack/inbound.hpp"

namespace slack_inbound_test {

using namespace nra;
using namespace nra::slack;

namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded";
constexpr std::string_view kJson = "application/json";

// docs.slack.dev/interactivity/implementing-slash-commands
constexpr std::string_view kWeatherCommand =
    "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&enterprise_id=E0001&"
    "enterprise_name=Globular%20Construct%20Inc&channel_id=C2147483705&channel_name=test&user_id="
    "U2147483697&user_name=Steve&command=/weather&text=94070&response_url=https://"
    "hooks.slack.com/commands/1234/5678&trigger_id=13345224609.738474920.8088930838d88f008e0&"
    "api_app_id=A123456";
// docs.slack.dev/authentication/verifying-requests-from-slack (the signed example)
constexpr std::string_view kWebhookCommand =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
    "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";

template <class T>
T expect(std::string_view content_type, std::string_view body) {
    auto r = parse_inbound(content_type, body);
    INFO(std::string(body));
    REQUIRE(r.ok());
    REQUIRE(std::holds_alternative<T>(*r));
    return std::get<T>(*r);
}

std::string error_of(std::string_view content_type, std::string_view body) {
    auto r = parse_inbound(content_type, body);
    INFO(std::string(body));
    REQUIRE_FALSE(r.ok());
    return r.error();
}

std::string app_mention(std::string_view extra_event_fields) {
    return R"({"token":"ZZZZZZWSxiZZZ2yIvs3peJ","team_id":"T123ABC456","api_app_id":"A123ABC456",)"
           R"("event":{"type":"app_mention","user":"U061F7AUR",)"
           R"("text":"<@U0LAN0Z89> is it everything a river should be?",)"
           R"("ts":"1515449522.000016","channel":"C123ABC456","event_ts":"1515449522000016")" +
           std::string(extra_event_fields) +
           R"(},"type":"event_callback","event_id":"Ev123ABC456","event_time":1515449522})";
}

}  // namespace

TEST_CASE("form_decode: plus, escapes in either case, NUL and UTF-8") {
    CHECK(form_decode("a+b%20c").value() == "a b c");
    CHECK(form_decode("%2f%2F").value() == "//");
    CHECK(form_decode("%2B+").value() == "+ ");
    CHECK(form_decode("").value().empty());
    CHECK(form_decode("%00").value() == std::string("\0", 1));
    CHECK(form_decode("ok%E2%9C%93").value() == "ok\u2713");
    CHECK(form_decode("100%25").value() == "100%");
}

TEST_CASE("form_decode: bad or truncated escapes are errors") {
    for (const char* bad : {"%G1", "%1G", "%4", "%", "abc%", "%%41", "%-1", "% 1"}) {
        INFO(bad);
        CHECK_FALSE(form_decode(bad).ok());
    }
}

TEST_CASE("official slash command example") {
    const auto cmd = expect<SlashCommand>(kForm, kWeatherCommand);
    CHECK(cmd.command == "/weather");
    CHECK(cmd.text == "94070");
    CHECK(cmd.user_id == "U2147483697");
    CHECK(cmd.channel_id == "C2147483705");
    CHECK(cmd.team_id == "T0001");
    CHECK(cmd.api_app_id == "A123456");
    CHECK(cmd.response_url == "https://hooks.slack.com/commands/1234/5678");
    CHECK(cmd.trigger_id == "13345224609.738474920.8088930838d88f008e0");
}

TEST_CASE("signed example command: escapes decoded, empty text, no app id") {
    const auto cmd =
        expect<SlashCommand>("application/x-www-form-urlencoded; charset=utf-8", kWebhookCommand);
    CHECK(cmd.command == "/webhook-collect");
    CHECK(cmd.text.empty());
    CHECK(cmd.api_app_id.empty());
    CHECK(cmd.team_id == "T1DC2JH3J");
    CHECK(
        cmd.response_url ==
        "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN"
    );
    CHECK(cmd.trigger_id == "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
}

TEST_CASE("form text: plus, unicode, NUL, repeated keys, empty pairs, bare keys") {
    auto cmd = expect<SlashCommand>(kForm, "command=%2Ftrace&text=abc+def+%E2%9C%93");
    CHECK(cmd.text == "abc def \u2713");
    cmd = expect<SlashCommand>(kForm, "command=/trace&text=a%00b");
    CHECK(cmd.text == std::string("a\0b", 3));
    cmd = expect<SlashCommand>(kForm, "text=first&&command=/trace&text=last&");
    CHECK(cmd.text == "last");
    cmd = expect<SlashCommand>(kForm, "&&command=/improve&text&user_id=U1");
    CHECK(cmd.command == "/improve");
    CHECK(cmd.text.empty());
    CHECK(cmd.user_id == "U1");
    cmd = expect<SlashCommand>(kForm, "command");  // bare key: present, empty
    CHECK(cmd.command.empty());
    cmd = expect<SlashCommand>(kForm, "command=/t&text=a=b");  // only the first '=' splits
    CHECK(cmd.text == "a=b");
}

TEST_CASE("form with a bad escape anywhere is an error") {
    CHECK(error_of(kForm, "command=/trace&text=%G1").find("percent") != std::string::npos);
    CHECK_FALSE(parse_inbound(kForm, "command=/trace&text=%4").ok());
    CHECK_FALSE(parse_inbound(kForm, "comm%ZZand=/trace").ok());
}

TEST_CASE("ssl_check and forms without command or payload") {
    expect<SslCheck>(kForm, "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO");
    CHECK(error_of(kForm, "token=abc&team_id=T1") == "form without command or payload");
    CHECK(error_of(kForm, "") == "form without command or payload");
    CHECK(error_of(kForm, "ssl_check=0") == "form without command or payload");
}

TEST_CASE("interactive payload: JSON decoded, ids taken when parseable") {
    const auto in = expect<Interactive>(
        kForm,
        "payload=%7B%22type%22%3A%22block_actions%22%2C%22api_app_id%22%3A%22A1%22%2C"
        "%22team%22%3A%7B%22id%22%3A%22T9%22%2C%22domain%22%3A%22x%22%7D%7D"
    );
    CHECK(
        in.payload_json ==
        R"({"type":"block_actions","api_app_id":"A1","team":{"id":"T9","domain":"x"}})"
    );
    CHECK(in.api_app_id == "A1");
    CHECK(in.team_id == "T9");
    const auto broken = expect<Interactive>(kForm, "payload=%7Bnot+json");
    CHECK(broken.payload_json == "{not json");
    CHECK(broken.api_app_id.empty());
    CHECK(broken.team_id.empty());
    const auto typed =
        expect<Interactive>(kForm, "payload=%7B%22api_app_id%22%3A1%2C%22team%22%3A%22T%22%7D");
    CHECK(typed.api_app_id.empty());
    CHECK(typed.team_id.empty());
}

TEST_CASE("url_verification returns the challenge") {
    const auto v = expect<UrlVerification>(
        "Application/JSON; charset=utf-8",
        R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})"
    );
    CHECK(v.challenge == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    CHECK_FALSE(parse_inbound(kJson, R"({"type":"url_verification"})").ok());
    CHECK_FALSE(parse_inbound(kJson, R"({"type":"url_verification","challenge":42})").ok());
    CHECK_FALSE(parse_inbound(kJson, R"({"type":"url_verification","challenge":null})").ok());
}

TEST_CASE("app_mention at top level") {
    const auto ev = expect<SlackEvent>(kJson, app_mention(""));
    CHECK(ev.event_id == "Ev123ABC456");
    CHECK(ev.team_id == "T123ABC456");
    CHECK(ev.api_app_id == "A123ABC456");
    CHECK(ev.type == "app_mention");
    CHECK(ev.subtype.empty());
    CHECK(ev.channel == "C123ABC456");
    CHECK(ev.user == "U061F7AUR");
    CHECK(ev.bot_id.empty());
    CHECK(ev.text == "<@U0LAN0Z89> is it everything a river should be?");
    CHECK(ev.ts == "1515449522.000016");
    CHECK(ev.thread_ts.empty());
    CHECK(ev.retry_num == 0);
}

TEST_CASE("app_mention in a thread carries thread_ts") {
    const auto ev = expect<SlackEvent>(kJson, app_mention(R"(,"thread_ts":"1515449000.000001")"));
    CHECK(ev.thread_ts == "1515449000.000001");
    CHECK(ev.ts == "1515449522.000016");
}

TEST_CASE("app_mention written by a bot keeps subtype and bot_id") {
    const auto ev =
        expect<SlackEvent>(kJson, app_mention(R"(,"subtype":"bot_message","bot_id":"B0123")"));
    CHECK(ev.subtype == "bot_message");
    CHECK(ev.bot_id == "B0123");
}

TEST_CASE("ill-typed or missing event fields become empty strings") {
    const auto ev = expect<SlackEvent>(
        kJson,
        R"({"type":"event_callback","event_id":7,"team_id":null,)"
        R"("event":{"type":"app_mention","text":["x"],"ts":1.5,"user":{"id":"U"}}})"
    );
    CHECK(ev.event_id.empty());
    CHECK(ev.team_id.empty());
    CHECK(ev.api_app_id.empty());
    CHECK(ev.text.empty());
    CHECK(ev.ts.empty());
    CHECK(ev.user.empty());
    CHECK(ev.channel.empty());
}

TEST_CASE("other events and envelope types are OtherEvent") {
    auto other = expect<OtherEvent>(
        kJson,
        R"({"type":"event_callback","event_id":"Ev9","team_id":"T1","api_app_id":"A1",)"
        R"("event":{"type":"reaction_added","channel":"C1"}})"
    );
    CHECK(other.type == "reaction_added");
    CHECK(other.event_id == "Ev9");
    CHECK(other.team_id == "T1");
    CHECK(other.api_app_id == "A1");
    other = expect<OtherEvent>(kJson, R"({"type":"app_rate_limited","team_id":"T1"})");
    CHECK(other.type == "app_rate_limited");
    other = expect<OtherEvent>(kJson, R"({"type":"event_callback","event":"app_mention"})");
    CHECK(other.type == "event_callback");
    other = expect<OtherEvent>(kJson, R"({"type":"event_callback","event":{"type":3}})");
    CHECK(other.type == "event_callback");
}

TEST_CASE("link_shared carries its links, message ts and unfurl id") {
    auto ev = expect<SlackEvent>(
        kJson,
        R"({"type":"event_callback","event_id":"Ev7","team_id":"T1","api_app_id":"A1",)"
        R"("event":{"type":"link_shared","channel":"C9","user":"U1","message_ts":"17.5",)"
        R"("thread_ts":"16.1","unfurl_id":"C9.17.5.abc","source":"conversations_history",)"
        R"("links":[{"domain":"one.newrelic.com","url":"https://one.newrelic.com/x"},)"
        R"({"domain":"x"},7,{"domain":"one.eu.newrelic.com","url":"https://one.eu.newrelic.com/y"}]}})"
    );
    CHECK(ev.type == "link_shared");
    CHECK(ev.ts == "17.5");
    CHECK(ev.thread_ts == "16.1");
    CHECK(ev.unfurl_id == "C9.17.5.abc");
    CHECK(ev.source == "conversations_history");
    REQUIRE(ev.links.size() == 2);  // the link without url and the number are dropped
    CHECK(ev.links[0].domain == "one.newrelic.com");
    CHECK(ev.links[1].url == "https://one.eu.newrelic.com/y");
}

TEST_CASE("app_home_opened carries the tab") {
    auto ev = expect<SlackEvent>(
        kJson,
        R"({"type":"event_callback","event_id":"Ev8","team_id":"T1",)"
        R"("event":{"type":"app_home_opened","user":"U5","channel":"D1","tab":"home"}})"
    );
    CHECK(ev.type == "app_home_opened");
    CHECK(ev.user == "U5");
    CHECK(ev.tab == "home");
}

TEST_CASE("a message_action payload is a message shortcut on that message") {
    const std::string payload =
        R"({"type":"message_action","callback_id":"analyze_trace","api_app_id":"A1",)"
        R"("team":{"id":"T1"},"user":{"id":"U2"},"channel":{"id":"C3"},"message_ts":"20.2",)"
        R"("response_url":"https://hooks.slack.com/r/1","trigger_id":"tr1",)"
        R"("message":{"ts":"20.2","thread_ts":"19.0","text":"see 4bf92f3577b34da6a3ce929d0e0e4736"}})";
    auto in = expect<Interactive>(kForm, "payload=" + form_encode(payload));
    REQUIRE(in.shortcut);
    CHECK_FALSE(in.action);
    CHECK(in.shortcut->callback_id == "analyze_trace");
    CHECK(in.shortcut->user_id == "U2");
    CHECK(in.shortcut->team_id == "T1");
    CHECK(in.shortcut->channel_id == "C3");
    CHECK(in.shortcut->message_ts == "20.2");
    CHECK(in.shortcut->thread_ts == "19.0");
    CHECK(in.shortcut->message_text == "see 4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(in.shortcut->response_url == "https://hooks.slack.com/r/1");
}

TEST_CASE("Socket Mode payloads parse like their HTTP bodies") {
    using nlohmann::json;
    auto event = parse_socket_payload(
        "events_api",
        json::parse(R"({"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention",)"
                    R"("text":"hi","channel":"C1","ts":"1.2"}})")
    );
    REQUIRE(event);
    REQUIRE(std::holds_alternative<SlackEvent>(*event));
    CHECK(std::get<SlackEvent>(*event).event_id == "Ev1");

    auto command = parse_socket_payload(
        "slash_commands",
        json::parse(R"({"command":"/trace","text":"abc","channel_id":"C1","user_id":"U1","x":3})")
    );
    REQUIRE(command);
    REQUIRE(std::holds_alternative<SlashCommand>(*command));
    CHECK(std::get<SlashCommand>(*command).text == "abc");

    auto interactive = parse_socket_payload(
        "interactive",
        json::parse(R"({"type":"block_actions","actions":[{"action_id":"a","value":"v"}]})")
    );
    REQUIRE(interactive);
    REQUIRE(std::holds_alternative<Interactive>(*interactive));
    CHECK(std::get<Interactive>(*interactive).action->value == "v");

    CHECK_FALSE(parse_socket_payload("slash_commands", json::parse(R"({"text":"x"})")));
    CHECK_FALSE(parse_socket_payload("events_api", json::parse("[1]")));
    CHECK_FALSE(parse_socket_payload("hello", json::object()));
}

TEST_CASE("invalid JSON, non-objects and objects without type are errors") {
    for (const char* bad :
         {"",
          "{",
          R"({"type":"event_callback",})",
          "[1,2]",
          R"("text")",
          "null",
          "42",
          R"({"type":"a"} trailing)",
          "\xff\xfe"}) {
        INFO(bad);
        CHECK_FALSE(parse_inbound(kJson, bad).ok());
    }
    CHECK(error_of(kJson, "[]") == "JSON body is not an object");
    CHECK_FALSE(parse_inbound(kJson, R"({"challenge":"x"})").ok());
    CHECK_FALSE(parse_inbound(kJson, R"({"type":5})").ok());
    CHECK_FALSE(parse_inbound(kJson, R"({"type":"x\udc00"})").ok());  // lone surrogate
}

TEST_CASE("other content types are refused") {
    for (const char* type :
         {"",
          "text/plain",
          "application/jsonx",
          "multipart/form-data",
          "application/x-www-form-urlencodedx"}) {
        INFO(type);
        CHECK(error_of(type, "command=/trace") == "unsupported content type");
    }
    expect<SlashCommand>(" application/x-www-form-urlencoded ;charset=UTF-8", "command=/trace");
}

TEST_CASE("form_encode keeps unreserved characters and round-trips through form_decode") {
    CHECK(form_encode("aZ09-_.~") == "aZ09-_.~");
    CHECK(form_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
    const std::string all = [] {
        std::string s;
        for (int c = 0; c < 256; ++c) s.push_back(static_cast<char>(c));
        return s;
    }();
    const auto back = form_decode(form_encode(all));
    REQUIRE(back);
    CHECK(*back == all);
}

}  // namespace slack_inbound_test
