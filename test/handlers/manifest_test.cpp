// slack-manifest.yaml and the handler registry describe the same Slack surface: every command,
// bot event and message shortcut in the manifest has a handler, and every handler is in the
// manifest. Read with yaml-cpp, as Slack reads the manifest: as YAML.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "registry.hpp"

namespace manifest_test {

namespace {

YAML::Node manifest() {
    return YAML::LoadFile(std::string(NRA_SOURCE_DIR) + "/slack-manifest.yaml");
}

std::set<std::string> strings(const YAML::Node& list) {
    std::set<std::string> out;
    for (const auto& item : list) out.insert(item.as<std::string>());
    return out;
}

}  // namespace

TEST_CASE("every manifest command and event has a handler, and the other way round") {
    const auto m = manifest();
    std::set<std::string> commands;
    for (const auto& c : m["features"]["slash_commands"]) {
        commands.insert(c["command"].as<std::string>());
        CHECK(c["url"].as<std::string>().find("/slack/events") != std::string::npos);
    }
    std::set<std::string> handled_commands;
    for (const auto& h : nra::command_handlers()) handled_commands.insert(std::string(h.command));
    std::set<std::string> handled_events;
    for (const auto& h : nra::event_handlers()) handled_events.insert(std::string(h.type));
    CHECK(commands == handled_commands);
    // message.channels and message.groups both arrive as inner events of type "message".
    std::set<std::string> events;
    for (auto name : strings(m["settings"]["event_subscriptions"]["bot_events"])) {
        for (const std::string suffix : {".channels", ".groups"}) {
            if (name.ends_with(suffix)) name.resize(name.size() - suffix.size());
        }
        events.insert(name);
    }
    CHECK(events == handled_events);
    CHECK(commands.count("/improve") == 1);
}

TEST_CASE("the manifest asks for the scopes its features need, and one URL") {
    const auto m = manifest();
    const auto scopes = strings(m["oauth_config"]["scopes"]["bot"]);
    CHECK(scopes.count("commands") == 1);
    CHECK(scopes.count("chat:write") == 1);
    CHECK(scopes.count("app_mentions:read") == 1);
    const auto events_url = m["settings"]["event_subscriptions"]["request_url"].as<std::string>();
    CHECK(events_url.find("/slack/events") != std::string::npos);
    // Buttons (e.g. "Create Jira ticket") need interactivity, on the same URL.
    REQUIRE_FALSE(nra::action_handlers().empty());
    CHECK(m["settings"]["interactivity"]["is_enabled"].as<bool>());
    CHECK(m["settings"]["interactivity"]["request_url"].as<std::string>() == events_url);
}

TEST_CASE("every manifest shortcut has a handler, and the other way round") {
    const auto m = manifest();
    std::set<std::string> shortcuts;
    for (const auto& s : m["features"]["shortcuts"]) {
        shortcuts.insert(s["callback_id"].as<std::string>());
        CHECK(s["type"].as<std::string>() == "message");  // handlers take MessageShortcut
        CHECK_FALSE(s["name"].as<std::string>().empty());
        CHECK_FALSE(s["description"].as<std::string>().empty());
    }
    std::set<std::string> handled;
    for (const auto& h : nra::shortcut_handlers()) handled.insert(std::string(h.callback_id));
    CHECK(shortcuts == handled);
    CHECK(shortcuts.count("analyze_trace") == 1);
}

TEST_CASE("alert channels are declared with the events and scopes they need") {
    const auto m = manifest();
    const auto events = strings(m["settings"]["event_subscriptions"]["bot_events"]);
    CHECK(events.count("message.channels") == 1);
    CHECK(events.count("message.groups") == 1);
    const auto scopes = strings(m["oauth_config"]["scopes"]["bot"]);
    CHECK(scopes.count("channels:history") == 1);
    CHECK(scopes.count("groups:history") == 1);
    CHECK(scopes.count("reactions:write") == 1);
}

TEST_CASE("unfurls, App Home and picture uploads are declared with their scopes") {
    const auto m = manifest();
    const auto events = strings(m["settings"]["event_subscriptions"]["bot_events"]);
    CHECK(events.count("link_shared") == 1);
    CHECK(events.count("app_home_opened") == 1);
    CHECK(
        strings(m["features"]["unfurl_domains"]) ==
        std::set<std::string>{"one.newrelic.com", "one.eu.newrelic.com"}
    );
    CHECK(m["features"]["app_home"]["home_tab_enabled"].as<bool>());
    CHECK_FALSE(m["features"]["app_home"]["messages_tab_enabled"].as<bool>());
    const auto scopes = strings(m["oauth_config"]["scopes"]["bot"]);
    for (const char* scope : {"links:read", "links:write", "files:write"}) {
        INFO(scope);
        CHECK(scopes.count(scope) == 1);
    }
}

}  // namespace manifest_test
