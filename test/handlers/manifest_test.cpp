// slack-manifest.yaml and the handler registry describe the same Slack surface: every command
// and bot event in the manifest has a handler, and every handler is in the manifest. (A small
// line reader suffices for the manifest's fixed layout; issue 5 brings yaml-cpp.)
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <string>

#include "registry.hpp"

namespace {

struct Manifest {
    std::set<std::string> commands;
    std::set<std::string> bot_events;
    std::set<std::string> scopes;
    std::string request_url;
};

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" -"));
    s.erase(s.find_last_not_of(" \r") + 1);
    return s;
}

Manifest read_manifest() {
    std::ifstream in(std::string(NRA_SOURCE_DIR) + "/slack-manifest.yaml");
    REQUIRE(in);
    Manifest m;
    std::string line;
    std::string list;  // the list the following "- item" lines belong to
    while (std::getline(in, line)) {
        if (line.find('#') == 0) continue;
        const auto text = trim(line);
        if (text.rfind("command:", 0) == 0) m.commands.insert(trim(text.substr(8)));
        if (text.rfind("request_url:", 0) == 0) m.request_url = trim(text.substr(12));
        if (text == "bot_events:" || text == "bot:") {
            list = text;
            continue;
        }
        const auto first = line.find_first_not_of(' ');
        const bool item = first != std::string::npos && line.compare(first, 2, "- ") == 0;
        if (!item) {
            list.clear();  // any other key ends the list
            continue;
        }
        if (text.find(": ") != std::string::npos) continue;  // a mapping item, e.g. "- command: …"
        if (list == "bot_events:") m.bot_events.insert(text);
        if (list == "bot:") m.scopes.insert(text);
    }
    return m;
}

}  // namespace

TEST_CASE("every manifest command and event has a handler, and the other way round") {
    const auto m = read_manifest();
    std::set<std::string> commands;
    for (const auto& h : nra::command_handlers()) commands.insert(std::string(h.command));
    std::set<std::string> events;
    for (const auto& h : nra::event_handlers()) events.insert(std::string(h.type));
    CHECK(m.commands == commands);
    CHECK(m.bot_events == events);
    CHECK_FALSE(m.commands.empty());
}

TEST_CASE("the manifest asks for the scopes its features need, and one URL") {
    const auto m = read_manifest();
    CHECK(m.scopes.count("commands") == 1);
    CHECK(m.scopes.count("chat:write") == 1);
    CHECK(m.scopes.count("app_mentions:read") == 1);
    CHECK(m.request_url.find("/slack/events") != std::string::npos);
}
