// app_home_opened with fake ports: the Home tab is published with this workspace's analyses.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "registry.hpp"
#include "support/handler_harness.hpp"

namespace app_home_test {

using namespace nra;
using namespace nra::test;
using nlohmann::json;

namespace {

SlackEvent home_opened(std::string team, std::string tab = "home") {
    SlackEvent e;
    e.event_id = "Ev9";
    e.team_id = std::move(team);
    e.type = "app_home_opened";
    e.user = "U42";
    e.channel = "D1";
    e.tab = std::move(tab);
    return e;
}

}  // namespace

TEST_CASE("app_home_opened is registered") {
    REQUIRE(find_event("app_home_opened") != nullptr);
    CHECK(find_event("app_home_opened")->handle == &handle_app_home_opened);
}

TEST_CASE("the Home tab lists the analyses of this workspace only") {
    HandlerHarness h;
    SlashCommand c;
    c.command = "/trace";
    c.text = kDemoTrace;
    c.team_id = "T1";
    c.channel_id = "C1";
    h.run(*handle_trace_command(c).job);
    c.text = kOtherTrace;
    c.team_id = "T2";  // another workspace
    h.run(*handle_trace_command(c).job);
    h.chat.calls.clear();

    const auto handled = handle_app_home_opened(home_opened("T1"));
    CHECK(handled.ack.body.empty());
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 1);
    const auto& call = h.chat.calls[0];
    CHECK(call.method == "publish_home");
    CHECK(call.target == "U42");
    const json view = json(call.view);
    CHECK(view.at("type") == "home");
    CHECK(view.at("blocks").size() <= 100);
    CHECK(call.view.dump().find(kDemoTrace) != std::string::npos);
    CHECK(call.view.dump().find(kOtherTrace) == std::string::npos);
    CHECK(call.view.dump().find("<#C1>") != std::string::npos);
    CHECK(call.view.dump().find("None yet") == std::string::npos);
}

TEST_CASE("the Home tab of a workspace without analyses says none yet") {
    HandlerHarness h;
    h.run(*handle_app_home_opened(home_opened("T9")).job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].view.dump().find("None yet") != std::string::npos);
    CHECK(h.chat.calls[0].view.dump().find("/improve") == std::string::npos);  // no metrics wired
}

TEST_CASE("the Messages tab and user-less events publish nothing") {
    CHECK_FALSE(handle_app_home_opened(home_opened("T1", "messages")).job);
    CHECK_FALSE(handle_app_home_opened(home_opened("T1", "")).job);
    auto e = home_opened("T1");
    e.user.clear();
    CHECK_FALSE(handle_app_home_opened(e).job);
}

}  // namespace app_home_test
