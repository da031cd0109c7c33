// The Jira tracker against the fake Jira, over plain HTTP and TLS: one ticket per fingerprint,
// comments instead of duplicates (also while search lags behind), Done tickets replaced, both
// flavours, and fingerprints that cannot inject JQL.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "jira_harness.hpp"
#include "support/fake_jira_rules.hpp"

namespace jira_tracker_test {

using namespace nra;
using namespace nra::test;

namespace {

const std::string kFp = "nra-fp-3f9c2a1b";

std::string dump(const nlohmann::json& j) {
    return j.dump();
}

}  // namespace

TEST_CASE("a ticket is created, then commented on while search still lags") {
    const bool tls = GENERATE(false, true);
    CAPTURE(tls);
    JiraHarness h(jira_options(tls, false, 3));  // a new issue misses the next 3 searches
    const auto first = h.file(draft_for(kFp));
    REQUIRE(first.status == TicketStatus::created);
    CHECK(first.key == "OPS-1");
    CHECK(first.url == h.fake.base_url() + "/browse/OPS-1");
    CHECK(first.message.empty());
    auto issues = h.fake.issues();
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].labels == std::vector<std::string>{"nr-analyzer", kFp});
    CHECK(issues[0].issue_type == "Task");
    CHECK(issues[0].summary == "checkout-api POST /orders: p95 1.8 s > 1.0 s");
    CHECK(adf_problem(issues[0].description).empty());
    CHECK(dump(issues[0].description).find("\"type\":\"bulletList\"") != std::string::npos);

    const auto second = h.file(draft_for(kFp));
    REQUIRE(second.status == TicketStatus::commented);
    CHECK(second.key == "OPS-1");
    CHECK(h.fake.issues().size() == 1);
    const auto comments = h.fake.comments();
    REQUIRE(comments.size() == 1);
    CHECK(comments[0].key == "OPS-1");
    CHECK(dump(comments[0].body).find("Still breaching: p95 2.1 s") != std::string::npos);
    // The search found it only because the tracker reconciled the id it had just created.
    const auto searches = h.fake.searches();
    REQUIRE(searches.size() == 2);
    CHECK(searches[0].reconcile.empty());
    CHECK(searches[1].reconcile == std::vector<std::string>{issues[0].id});
    CHECK(searches[1].keys == std::vector<std::string>{"OPS-1"});
    CHECK(
        searches[1].jql ==
        "project = \"OPS\" AND labels = \"" + kFp + "\" AND statusCategory != Done"
    );
    CHECK(searches[1].fields == std::vector<std::string>{"key", "summary", "status", "labels"});
    CHECK_FALSE(h.leaked(second));
}

TEST_CASE("a restarted bot (no cache) comments once search is consistent") {
    JiraHarness h(jira_options(false));
    REQUIRE(h.file(draft_for(kFp)).status == TicketStatus::created);
    auto fresh = h.make_tracker();
    const auto again = h.file_with(*fresh, draft_for(kFp));
    CHECK(again.status == TicketStatus::commented);
    CHECK(again.key == "OPS-1");
    CHECK(h.fake.issues().size() == 1);
    CHECK(h.fake.comments().size() == 1);
}

TEST_CASE("an open ticket filed by a person gets the comment") {
    JiraHarness h(jira_options(false));
    const auto key = h.fake.add_issue(kFp);
    auto draft = draft_for(kFp);
    draft.comment.clear();  // the description is used instead
    const auto r = h.file(draft);
    CHECK(r.status == TicketStatus::commented);
    CHECK(r.key == key);
    REQUIRE(h.fake.comments().size() == 1);
    CHECK(dump(h.fake.comments()[0].body).find("N+1 queries") != std::string::npos);
}

TEST_CASE("a Done ticket gets a new one") {
    JiraHarness h(jira_options(false, false, GENERATE(0, 3)));
    REQUIRE(h.file(draft_for(kFp)).status == TicketStatus::created);
    h.fake.mark_done("OPS-1");
    const auto r = h.file(draft_for(kFp));
    CHECK(r.status == TicketStatus::created);
    CHECK(r.key == "OPS-2");
    CHECK(h.fake.issues().size() == 2);
    CHECK(h.fake.comments().empty());
    // …and the next breach comments on the new one, not on the Done one.
    const auto next = h.file(draft_for(kFp));
    CHECK(next.status == TicketStatus::commented);
    CHECK(next.key == "OPS-2");
}

TEST_CASE("different fingerprints get different tickets") {
    JiraHarness h(jira_options(false));
    CHECK(h.file(draft_for("nra-fp-a")).key == "OPS-1");
    CHECK(h.file(draft_for("nra-fp-b")).key == "OPS-2");
    CHECK(h.file(draft_for("nra-fp-a")).status == TicketStatus::commented);
    CHECK(h.fake.issues().size() == 2);
}

TEST_CASE("two file() calls for one fingerprint at once make one ticket") {
    JiraHarness h(jira_options(GENERATE(false, true), false, 3));
    const auto [a, b] = h.file_twice_at_once(draft_for(kFp));
    CHECK(h.fake.issues().size() == 1);
    CHECK(h.fake.create_requests() == 1);
    CHECK(
        ((a.status == TicketStatus::created && b.status == TicketStatus::commented) ||
         (a.status == TicketStatus::commented && b.status == TicketStatus::created))
    );
    CHECK(a.key == "OPS-1");
    CHECK(b.key == "OPS-1");
}

TEST_CASE("Data Center: Bearer PAT, wiki markup, v2 search with startAt") {
    const bool tls = GENERATE(false, true);
    JiraHarness h(jira_options(tls, true, 3));
    const auto first = h.file(draft_for(kFp));
    REQUIRE(first.status == TicketStatus::created);
    const auto issues = h.fake.issues();
    REQUIRE(issues.size() == 1);
    REQUIRE(issues[0].description.is_string());
    const auto wiki = issues[0].description.get<std::string>();
    CHECK(
        wiki.find("* N\\+1 queries on {{SELECT \\* FROM items WHERE id = \\?}}") !=
        std::string::npos
    );
    CHECK(wiki.find("[the slowest trace|https://one.newrelic.com/trace/1]") != std::string::npos);
    const auto requests = h.fake.server().requests();
    REQUIRE_FALSE(requests.empty());
    CHECK(requests[0].method == "GET");
    CHECK(requests[0].target.rfind("/rest/api/2/search?jql=", 0) == 0);
    CHECK(requests[0].target.find("startAt=0") != std::string::npos);
    CHECK(requests[0].header("Authorization") == std::string("Bearer ") + FakeJira::kPat);

    // Data Center cannot reconcile: the cached key is checked directly and commented on.
    const auto second = h.file(draft_for(kFp));
    CHECK(second.status == TicketStatus::commented);
    CHECK(second.key == "OPS-1");
    CHECK(h.fake.issues().size() == 1);
    REQUIRE(h.fake.comments().size() == 1);
    CHECK(h.fake.comments()[0].body == "Still breaching: p95 2.1 s (was 1.8 s).");
    CHECK_FALSE(h.leaked(second));
}

TEST_CASE("a fingerprint that is not [a-z0-9-]+ is refused before any request") {
    JiraHarness h(jira_options(false));
    h.fake.add_issue("victim");
    const auto fp = GENERATE(
        std::string(R"(x" OR labels = "victim)"),
        std::string("UPPER"),
        std::string("a b"),
        std::string(""),
        std::string("x\\\" OR project != \"")
    );
    const auto r = h.file(draft_for(fp));
    CHECK(r.status == TicketStatus::failed);
    CHECK_FALSE(r.message.empty());
    CHECK(h.fake.server().requests().empty());
    CHECK(h.fake.comments().empty());
}

TEST_CASE("a draft without a summary is refused before any request") {
    JiraHarness h(jira_options(false));
    auto draft = draft_for(kFp);
    draft.summary = " \n ";
    CHECK(h.file(draft).status == TicketStatus::failed);
    CHECK(h.fake.server().requests().empty());
}

TEST_CASE("a description over 32,767 characters is cut and accepted") {
    const bool dc = GENERATE(false, true);
    JiraHarness h(jira_options(false, dc));
    auto draft = draft_for(kFp);
    draft.description.clear();
    for (int i = 0; i < 3000; ++i)
        draft.description +=
            "- `GET /v1/items/{id}` took 2.5 s in trace " + std::to_string(i) + "\n";
    const auto r = h.file(draft);
    REQUIRE(r.status == TicketStatus::created);  // the fake refuses bodies over the limit
    const auto body = dump(h.fake.issues()[0].description);
    CHECK(body.find("Jira allows 32,767 characters") != std::string::npos);
}

}  // namespace jira_tracker_test
