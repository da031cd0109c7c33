// Jira's failure modes and what the user gets: a retry that succeeds, or one plain sentence.
// Nothing is ever created twice, and neither the token nor the email shows up anywhere.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "jira_harness.hpp"

namespace jira_tracker_faults_test {

using namespace nra;
using namespace nra::test;
using Kind = JiraFault::Kind;

namespace {

const std::string kFp = "nra-fp-3f9c2a1b";

}  // namespace

TEST_CASE("401 tells the user the credentials were rejected") {
    const bool dc = GENERATE(false, true);
    JiraHarness h(jira_options(false, dc));
    SECTION("scripted 401") {
        h.fake.push_fault(JiraFault::http(JiraOp::search, 401));
    }
    SECTION("a wrong token") {
        h.config.api_token = "wrong-token";
    }
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::rejected);
    CHECK(r.message.find(dc ? "JIRA_API_TOKEN" : "JIRA_EMAIL/JIRA_API_TOKEN") != std::string::npos);
    CHECK(h.fake.issues().empty());
    CHECK_FALSE(h.leaked(r));
    CHECK_FALSE(h.logs.mentions("wrong-token"));
}

TEST_CASE("a missing project or issue type is named") {
    JiraHarness h(jira_options(false));
    SECTION("404 on create") {
        h.fake.push_fault(JiraFault::http(JiraOp::create, 404));
    }
    SECTION("unknown project: the search's JQL refers to it") {
        h.config.project = "NOPE";
    }
    SECTION("unknown issue type: create answers errors.issuetype") {
        h.config.issue_type = "Epic-ish";
    }
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::not_found);
    CHECK(
        r.message.find("project " + h.config.project + " or issue type " + h.config.issue_type) !=
        std::string::npos
    );
    CHECK(h.fake.issues().empty());
    CHECK_FALSE(h.leaked(r));
}

TEST_CASE("429 with Retry-After 0 is retried and succeeds") {
    JiraHarness h(jira_options(false));
    SECTION("on search") {
        h.fake.push_fault(JiraFault::http(JiraOp::search, 429, "0"));
    }
    SECTION("on create: it cannot have been created, so it is sent again") {
        h.fake.push_fault(JiraFault::http(JiraOp::create, 429, "0"));
    }
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::created);
    CHECK(h.fake.issues().size() == 1);
}

TEST_CASE("429 that persists ends as rate_limited") {
    JiraHarness h(jira_options(false));
    for (int i = 0; i < 4; ++i) h.fake.push_fault(JiraFault::http(JiraOp::search, 429, "0"));
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::rate_limited);
    CHECK(r.message.find("try again") != std::string::npos);
    CHECK(h.fake.server().requests().size() == 4);
    CHECK(h.fake.issues().empty());
}

TEST_CASE("5xx: retried, or unavailable when it persists") {
    JiraHarness h(jira_options(false));
    SECTION("one 503 on search") {
        h.fake.push_fault(JiraFault::http(JiraOp::search, 503));
        CHECK(h.file(draft_for(kFp)).status == TicketStatus::created);
        CHECK(h.fake.issues().size() == 1);
    }
    SECTION("one 500 on create: searched first, then sent again, one ticket") {
        h.fake.push_fault(JiraFault::http(JiraOp::create, 500));
        CHECK(h.file(draft_for(kFp)).status == TicketStatus::created);
        CHECK(h.fake.issues().size() == 1);
        CHECK(h.fake.create_requests() == 2);
    }
    SECTION("503 on comment is retried") {
        h.fake.add_issue(kFp);
        h.fake.push_fault(JiraFault::http(JiraOp::comment, 503));
        CHECK(h.file(draft_for(kFp)).status == TicketStatus::commented);
        CHECK(h.fake.comments().size() == 1);
    }
    SECTION("503 all the time") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(JiraFault::http(JiraOp::any, 503));
        const auto r = h.file(draft_for(kFp));
        CHECK(r.status == TicketStatus::unavailable);
        CHECK(r.message == "Jira is having trouble (HTTP 503); try again shortly");
        CHECK(h.fake.issues().empty());
    }
}

TEST_CASE("a create whose answer is lost is never sent twice") {
    JiraHarness h(jira_options(GENERATE(false, true), false, 1));
    h.config.request_timeout = std::chrono::milliseconds(500);
    SECTION("the request timed out after Jira created the issue") {
        h.fake.push_fault(JiraFault::of(JiraOp::create, Kind::hang_after_commit));
    }
    SECTION("the connection dropped after Jira created the issue") {
        h.fake.push_fault(JiraFault::of(JiraOp::create, Kind::close_after_commit));
    }
    // The first confirming search misses the new issue (lag 1), the second finds it.
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::created);
    CHECK(r.key == "OPS-1");
    CHECK(h.fake.issues().size() == 1);
    CHECK(h.fake.create_requests() == 1);
    // …and the next breach comments on it.
    CHECK(h.file(draft_for(kFp)).status == TicketStatus::commented);
    CHECK(h.fake.issues().size() == 1);
}

TEST_CASE("a create that timed out before Jira acted is sent again once confirmed absent") {
    JiraHarness h(jira_options(false));
    h.config.request_timeout = std::chrono::milliseconds(500);
    h.fake.push_fault(JiraFault::of(JiraOp::create, Kind::hang));
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::created);
    CHECK(h.fake.issues().size() == 1);
    CHECK(h.fake.create_requests() == 2);
}

TEST_CASE("400 names the fields Jira refused, and what Jira said goes to the log without secrets") {
    JiraHarness h(jira_options(false));
    const nlohmann::json body{
        {"errorMessages", {"Field 'priority' is required"}},
        {"errors", {{"customfield_10010", std::string("Team is required. ") + FakeJira::kEmail}}}};
    h.fake.push_fault(JiraFault::with_body(JiraOp::create, 400, body.dump()));
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::failed);
    CHECK(r.message == "Jira refused the request (HTTP 400; fields: customfield_10010)");
    CHECK(h.fake.issues().empty());
    CHECK(h.fake.create_requests() == 1);
    CHECK_FALSE(h.leaked(r));
    CHECK(h.logs.mentions("Field 'priority' is required; customfield_10010: Team is required."));
}

TEST_CASE("Jira unreachable: unavailable, with the host and no secret") {
    JiraHarness h(jira_options(false));
    h.config.url = "http://127.0.0.1:1";  // nothing listens on port 1
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::unavailable);
    CHECK(r.message.find("127.0.0.1:1") != std::string::npos);
    CHECK_FALSE(h.leaked(r));
}

TEST_CASE("the fake answers the removed /rest/api/3/search with 410 Gone") {
    JiraHarness h(jira_options(false));
    http::Request req;
    req.method = "GET";
    req.url = h.fake.base_url() + "/rest/api/3/search?jql=project%20%3D%20OPS";
    req.headers.push_back({"Authorization", JiraBackend::kBasic});
    const auto out = run_blocking(h.ioc, h.client->send(req));
    REQUIRE(out.ok());
    CHECK(out.response.status == 410);
    CHECK(
        out.response.body.find("Please migrate to the /rest/api/3/search/jql API") !=
        std::string::npos
    );
}

}  // namespace jira_tracker_faults_test
