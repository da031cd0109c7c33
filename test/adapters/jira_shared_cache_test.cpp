// Jira's fingerprint → ticket shared by replicas: while Jira's search still lags, a
// ticket one replica created is commented on by another instead of being created twice.
#include <catch2/catch.hpp>

#include "jira_harness.hpp"
#include "state/memory_state_store.hpp"

namespace jira_shared_cache_test {

using namespace nra;
using namespace nra::test;

namespace {

const std::string kFp = "nra-checkout-api-post-orders-p95";

}  // namespace

TEST_CASE("a replica comments on the ticket another replica just created while search lags") {
    const bool datacenter = GENERATE(false, true);  // Data Center has no reconcileIssues
    CAPTURE(datacenter);
    JiraHarness h(jira_options(false, datacenter, 5));  // a new issue misses the next 5 searches
    state::MemoryStateStore shared;
    jira::JiraTracker a(*h.client, h.config, &shared);
    jira::JiraTracker b(*h.client, h.config, &shared);
    const auto created = h.file_with(a, draft_for(kFp));
    REQUIRE(created.status == TicketStatus::created);
    const auto second = h.file_with(b, draft_for(kFp));
    CHECK(second.status == TicketStatus::commented);
    CHECK(second.key == created.key);
    CHECK(h.fake.issues().size() == 1);
    CHECK(h.fake.comments().size() == 1);
}

TEST_CASE("without the shared store the other replica creates a duplicate: the control") {
    JiraHarness h(jira_options(false, true, 5));
    jira::JiraTracker a(*h.client, h.config);
    jira::JiraTracker b(*h.client, h.config);
    REQUIRE(h.file_with(a, draft_for(kFp)).status == TicketStatus::created);
    CHECK(h.file_with(b, draft_for(kFp)).status == TicketStatus::created);
    CHECK(h.fake.issues().size() == 2);
}

TEST_CASE("a shared entry for a ticket that was closed meanwhile leads to a new ticket") {
    JiraHarness h(jira_options(false, true, 5));
    state::MemoryStateStore shared;
    jira::JiraTracker a(*h.client, h.config, &shared);
    jira::JiraTracker b(*h.client, h.config, &shared);
    const auto created = h.file_with(a, draft_for(kFp));
    REQUIRE(created.status == TicketStatus::created);
    h.fake.mark_done(created.key);
    const auto next = h.file_with(b, draft_for(kFp));
    CHECK(next.status == TicketStatus::created);
    CHECK(next.key != created.key);
    // The shared entry now names the new ticket: the first replica comments on it.
    const auto third = h.file_with(a, draft_for(kFp));
    CHECK(third.status == TicketStatus::commented);
    CHECK(third.key == next.key);
}

}  // namespace jira_shared_cache_test
