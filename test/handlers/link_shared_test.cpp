// link_shared with fake ports: New Relic trace links become one chat.unfurl; other hosts, links
// without an id and traces that cannot be fetched are left alone.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "registry.hpp"
#include "support/handler_harness.hpp"

namespace link_shared_test {

using namespace nra;
using namespace nra::test;
using nlohmann::json;

namespace {

std::string us_link(const std::string& id) {
    return "https://one.newrelic.com/distributed-tracing?query=x&state=y&id=" + id;
}

std::string eu_link(const std::string& id) {
    return "https://one.eu.newrelic.com/launcher/distributed-tracing.home?trace=" + id;
}

SlackEvent shared(const std::vector<std::string>& urls) {
    SlackEvent e;
    e.event_id = "Ev1";
    e.team_id = "T1";
    e.type = "link_shared";
    e.channel = "C5";
    e.user = "U1";
    e.ts = "1700001000.000100";
    for (const auto& url : urls) {
        const auto host = url.substr(url.find("://") + 3);
        e.links.push_back({host.substr(0, host.find('/')), url});
    }
    return e;
}

json unfurls_of(const ChatCall& call) {
    return json(call.unfurl.unfurls);
}

}  // namespace

TEST_CASE("link_shared is registered") {
    REQUIRE(find_event("link_shared") != nullptr);
    CHECK(find_event("link_shared")->handle == &handle_link_shared);
}

TEST_CASE("New Relic trace links are unfurled in one call, each with a compact summary") {
    HandlerHarness h;
    const auto e = shared({us_link(kDemoTrace), eu_link(kOtherTrace)});
    const auto handled = handle_link_shared(e);
    CHECK(handled.ack.body.empty());
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 1);
    const auto& call = h.chat.calls[0];
    REQUIRE(call.method == "unfurl");
    CHECK(call.unfurl.channel == "C5");
    CHECK(call.unfurl.ts == "1700001000.000100");
    CHECK(call.unfurl.unfurl_id.empty());
    const json unfurls = unfurls_of(call);
    REQUIRE(unfurls.size() == 2);
    for (const auto& url : {us_link(kDemoTrace), eu_link(kOtherTrace)}) {
        INFO(url);
        REQUIRE(unfurls.contains(url));
        const json& blocks = unfurls[url].at("blocks");
        CHECK(blocks.size() <= 5);
        CHECK(blocks.back().at("elements")[0].at("text") == "nr-analyzer");
    }
    CHECK(unfurls[us_link(kDemoTrace)].dump().find("N+1 queries") != std::string::npos);
    CHECK(h.painter.painted.empty());  // no picture for an unfurl
    const auto latest = h.recent.latest("T1");
    REQUIRE(latest.size() == 2);
    CHECK(latest[0].channel.empty());
}

TEST_CASE("composer previews are unfurled by unfurl_id and source") {
    HandlerHarness h;
    auto e = shared({us_link(kDemoTrace)});
    e.unfurl_id = "Uf123";
    e.source = "composer";
    e.channel = "COMPOSER";
    h.run(*handle_link_shared(e).job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].unfurl.unfurl_id == "Uf123");
    CHECK(h.chat.calls[0].unfurl.source == "composer");
    CHECK(h.chat.calls[0].unfurl.channel.empty());
    CHECK(h.chat.calls[0].unfurl.ts.empty());
}

TEST_CASE("links without a trace id and other hosts are not unfurled, and nothing is fetched") {
    const auto e = shared({
        "https://one.newrelic.com/dashboards?id=abc",
        "https://evil.example/?next=one.newrelic.com&id=" + kDemoTrace,
        "https://one.newrelic.com.evil.example/" + kDemoTrace,
        "https://one.newrelic.com@evil.example/" + kDemoTrace,
        "ftp://one.newrelic.com/" + kDemoTrace,
        "https://newrelic.com/" + kDemoTrace,
        "one.newrelic.com/" + kDemoTrace,
    });
    CHECK_FALSE(handle_link_shared(e).job);
    CHECK_FALSE(handle_link_shared(shared({})).job);
}

TEST_CASE("the host is the one a browser goes to: a backslash ends it, its case does not matter") {
    // Browsers read a backslash as '/' in http(s) URLs: the first one opens evil.example.
    for (const std::string& url :
         {"https://evil.example\\@one.newrelic.com/distributed-tracing?id=" + kDemoTrace,
          "https://one.newrelic.com\\@evil.example/" + kDemoTrace,
          "https://evil.example%2F.newrelic.com/" + kDemoTrace,
          "https://one.newrelic.com%00.evil.example/" + kDemoTrace,
          "https:///one.newrelic.com/" + kDemoTrace,
          "https://[::1]/one.newrelic.com/" + kDemoTrace}) {
        INFO(url);
        CHECK_FALSE(handle_link_shared(shared({url})).job);
    }
    HandlerHarness h;
    const auto e = shared({
        "HTTPS://ONE.NEWRELIC.COM/distributed-tracing?id=" + kDemoTrace,
        "Https://One.EU.NewRelic.com:443/launcher/x?trace=" + kOtherTrace,
    });
    const auto handled = handle_link_shared(e);
    REQUIRE(handled.job);
    h.run(*handled.job);
    CHECK(h.traces.asked == std::vector<std::string>{kDemoTrace, kOtherTrace});
}

TEST_CASE("at most 3 links per event are unfurled, a repeated link once") {
    HandlerHarness h;
    const auto e = shared({
        us_link(kDemoTrace),
        us_link(kDemoTrace),
        "https://one.newrelic.com/nothing-here",
        eu_link(kOtherTrace),
        us_link("7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d"),
        us_link("a1b2c3d4e5f60718293a4b5c6d7e8f90"),
    });
    h.run(*handle_link_shared(e).job);
    CHECK(h.traces.asked.size() == 3);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(unfurls_of(h.chat.calls[0]).size() == 3);
    CHECK_FALSE(unfurls_of(h.chat.calls[0]).contains(us_link("a1b2c3d4e5f60718293a4b5c6d7e8f90")));
}

TEST_CASE("a trace that cannot be fetched is logged and left out, the others are unfurled") {
    HandlerHarness h;
    h.run(*handle_link_shared(shared({us_link(kMissingTrace), us_link(kDemoTrace)})).job);
    REQUIRE(h.chat.calls.size() == 1);
    const json unfurls = unfurls_of(h.chat.calls[0]);
    CHECK(unfurls.size() == 1);
    CHECK(unfurls.contains(us_link(kDemoTrace)));
    CHECK(h.logged_mention(kMissingTrace));
}

TEST_CASE("when no link could be analysed there is no chat.unfurl at all") {
    HandlerHarness h;
    h.traces.fail_with(FetchStatus::unavailable, "New Relic did not answer");
    h.run(*handle_link_shared(shared({us_link(kDemoTrace)})).job);
    CHECK(h.chat.calls.empty());
    CHECK(h.logged_mention("New Relic did not answer"));
}

}  // namespace link_shared_test
