// Jira requests and answers without a network: JQL quoting, labels, request shapes per flavour,
// reading create/search/issue answers, failures → user messages (never a secret), the cache.
#include "jira/jira_response.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "jira/jira_requests.hpp"
#include "jira/ticket_cache.hpp"

namespace jira_response_test {

using namespace nra;
using namespace nra::jira;
using nlohmann::json;

namespace {

JiraConfig cloud_config() {
    JiraConfig c;
    c.url = "https://acme.atlassian.net";
    c.email = "bot@example.com";
    c.api_token = "secret-token-123";
    c.project = "OPS";
    return c;
}

http::Outcome answer(int status, std::string body) {
    http::Outcome out;
    out.response.status = status;
    out.response.body = std::move(body);
    return out;
}

std::string header(const http::Request& r, const std::string& name) {
    for (const auto& h : r.headers) {
        if (h.name == name) return h.value;
    }
    return {};
}

}  // namespace

TEST_CASE("fingerprints are label-safe or refused") {
    CHECK(valid_fingerprint("nra-fp-3f9c2a1b"));
    CHECK_FALSE(valid_fingerprint(""));
    CHECK_FALSE(valid_fingerprint("NRA-fp"));
    CHECK_FALSE(valid_fingerprint("a b"));
    CHECK_FALSE(valid_fingerprint("x\" OR project = \"Y"));
    CHECK_FALSE(valid_fingerprint(std::string(256, 'a')));
}

TEST_CASE("JQL strings escape quotes and backslashes") {
    CHECK(jql_string("plain") == "\"plain\"");
    CHECK(jql_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(
        dedup_jql("OPS", "nra-fp-1") ==
        "project = \"OPS\" AND labels = \"nra-fp-1\" AND statusCategory != Done"
    );
}

TEST_CASE("labels: no spaces, no duplicates, fingerprint last") {
    const auto labels = ticket_labels({" nr analyzer ", "", "slo", "slo", "nra-fp-1"}, "nra-fp-1");
    CHECK(labels == std::vector<std::string>{"nr-analyzer", "slo", "nra-fp-1"});
}

TEST_CASE("summaries are one line of at most 255 characters") {
    CHECK(clean_summary("  p95 breach\nin checkout\t ") == "p95 breach in checkout");
    const auto long_one = clean_summary(std::string(300, 'x'));
    CHECK(long_one.size() <= 255);
    CHECK(long_one.substr(long_one.size() - 3) == "…");
}

TEST_CASE("Cloud search: POST /search/jql with fields and reconcileIssues") {
    std::vector<std::string> ids{"10001", "not-a-number"};
    for (int i = 0; i < 60; ++i) ids.push_back(std::to_string(20000 + i));
    const auto req = search_request(cloud_config(), "nra-fp-1", ids);
    CHECK(req.method == "POST");
    CHECK(req.url == "https://acme.atlassian.net/rest/api/3/search/jql");
    const auto body = json::parse(req.body);
    CHECK(body["jql"] == dedup_jql("OPS", "nra-fp-1"));
    CHECK(body["fields"] == json::array({"key", "summary", "status", "labels"}));
    REQUIRE(body["reconcileIssues"].size() == kMaxReconcileIds);
    CHECK(body["reconcileIssues"][0] == 10001);
    CHECK(header(req, "Authorization").rfind("Basic ", 0) == 0);
}

TEST_CASE("Data Center search: GET /rest/api/2/search with startAt and maxResults") {
    auto cfg = cloud_config();
    cfg.flavor = JiraFlavor::datacenter;
    const auto req = search_request(cfg, "nra-fp-1", {"10001"});
    CHECK(req.method == "GET");
    CHECK(
        req.url ==
        "https://acme.atlassian.net/rest/api/2/search?jql=project%20%3D%20%22OPS%22%20AND%20"
        "labels%20%3D%20%22nra-fp-1%22%20AND%20statusCategory%20%21%3D%20Done&startAt=0&"
        "maxResults=10&fields=key%2Csummary%2Cstatus%2Clabels"
    );
    CHECK(header(req, "Authorization") == "Bearer secret-token-123");
}

TEST_CASE("create and comment bodies follow the flavour") {
    TicketDraft draft{"nra-fp-1", "Slow checkout", "Body with `code`", "", {"nr-analyzer"}};
    auto cfg = cloud_config();
    auto cloud = json::parse(create_request(cfg, draft).body);
    CHECK(cloud["fields"]["project"]["key"] == "OPS");
    CHECK(cloud["fields"]["issuetype"]["name"] == "Task");
    CHECK(cloud["fields"]["description"]["type"] == "doc");
    CHECK(cloud["fields"]["labels"] == json::array({"nr-analyzer", "nra-fp-1"}));
    cfg.flavor = JiraFlavor::datacenter;
    auto dc = json::parse(create_request(cfg, draft).body);
    CHECK(dc["fields"]["description"] == "Body with {{code}}");
    const auto comment = comment_request(cfg, "OPS-1", "new figures");
    CHECK(comment.url == "https://acme.atlassian.net/rest/api/2/issue/OPS-1/comment");
    CHECK(json::parse(comment.body)["body"] == "new figures");
}

TEST_CASE("reading create, search and issue answers") {
    auto created = parse_created(R"({"id":"10000","key":"ED-24","self":"x"})");
    REQUIRE(created.ok());
    CHECK(created->key == "ED-24");
    CHECK_FALSE(parse_created(R"({"key":"ED-24"})").ok());
    CHECK_FALSE(parse_created("<html>").ok());

    auto cloud = parse_search(
        R"({"issues":[{"id":"1","key":"OPS-1","fields":{"status":{"statusCategory":{"key":"done"}}}},)"
        R"({"id":2,"key":"OPS-2","fields":{"status":{"statusCategory":{"key":"new"}}}}],"isLast":true})"
    );
    REQUIRE(cloud.ok());
    REQUIRE(cloud->size() == 2);
    CHECK((*cloud)[0].done);
    CHECK((*cloud)[1].id == "2");
    CHECK_FALSE((*cloud)[1].done);
    auto dc = parse_search(R"({"startAt":0,"maxResults":10,"total":0,"issues":[]})");
    REQUIRE(dc.ok());
    CHECK(dc->empty());
    CHECK_FALSE(parse_search(R"({"errorMessages":["x"]})").ok());
    CHECK_FALSE(parse_search(R"({"issues":[{"id":"1"}]})").ok());  // fields=key forgotten

    auto issue = parse_issue(
        R"({"id":"1","key":"OPS-1","fields":{"status":{"statusCategory":{"key":"done"}}}})"
    );
    REQUIRE(issue.ok());
    CHECK(issue->done);
}

TEST_CASE("Jira's error bodies become one short line") {
    CHECK(
        error_text(R"({"errorMessages":["Bad one","Bad two"],"errors":{"summary":"Too\nlong"}})") ==
        "Bad one; Bad two; summary: Too long"
    );
    CHECK(error_text("<html>oops</html>").empty());
    const auto long_text = error_text(json{{"errorMessages", {std::string(1000, 'x')}}}.dump());
    CHECK(long_text.size() <= 300);
    CHECK(names_missing_project(
        R"({"errorMessages":[],"errors":{"project":"valid project is required"}})"
    ));
    CHECK(names_missing_project(
        R"({"errorMessages":["The value 'X' does not exist for the field 'project'."]})"
    ));
    CHECK_FALSE(names_missing_project(R"({"errors":{"summary":"x"}})"));
}

TEST_CASE("failures map to statuses and plain messages") {
    const auto cfg = cloud_config();
    auto r = describe_failure(answer(401, "{}"), cfg, Step::search);
    CHECK(r.status == TicketStatus::rejected);
    CHECK(r.message == "Jira rejected the credentials (JIRA_EMAIL/JIRA_API_TOKEN)");
    CHECK(describe_failure(answer(403, "{}"), cfg, Step::create).status == TicketStatus::rejected);
    r = describe_failure(answer(404, "{}"), cfg, Step::create);
    CHECK(r.status == TicketStatus::not_found);
    CHECK(r.message.find("project OPS or issue type Task") != std::string::npos);
    r = describe_failure(answer(404, "{}"), cfg, Step::comment);
    CHECK(r.status == TicketStatus::not_found);
    CHECK(
        describe_failure(answer(429, "{}"), cfg, Step::search).status == TicketStatus::rate_limited
    );
    CHECK(describe_failure(answer(503, ""), cfg, Step::search).status == TicketStatus::unavailable);
    r = describe_failure(
        answer(400, R"({"errors":{"project":"valid project is required"}})"), cfg, Step::create
    );
    CHECK(r.status == TicketStatus::not_found);
    r = describe_failure(
        answer(400, R"({"errorMessages":["Field 'priority' is required"]})"), cfg, Step::create
    );
    CHECK(r.status == TicketStatus::failed);
    CHECK(r.message == "Jira refused the request (HTTP 400)");  // Jira's words stay in the log
    http::Outcome timeout;
    timeout.failure = http::Failure::timeout;
    r = describe_failure(timeout, cfg, Step::create);
    CHECK(r.status == TicketStatus::unavailable);
    CHECK(r.message == "Jira (acme.atlassian.net) did not answer in time");
    timeout.failure = http::Failure::tls;
    CHECK(
        describe_failure(timeout, cfg, Step::create).message.find("NR_ANALYZER_CA_FILE") !=
        std::string::npos
    );
}

TEST_CASE("secrets Jira echoes back are redacted, even when clipped") {
    const auto cfg = cloud_config();
    const auto echo =
        json{{"errorMessages", {std::string(285, 'x') + " secret-token-123 for bot@example.com"}}};
    const auto r = describe_failure(answer(400, echo.dump()), cfg, Step::create);
    CHECK(r.message.find("secret") == std::string::npos);
    CHECK(r.message.find("bot@example") == std::string::npos);
    CHECK(safe_error_text(R"({"errorMessages":["secret-token-123"]})", cfg) == "[redacted]");
    CHECK(host_of("https://user:pw@jira.example:8443/x") == "jira.example:8443");
}

TEST_CASE("a refusal shows our sentence with Jira's field names at most, never its messages") {
    const auto cfg = cloud_config();
    const auto basic = base64_encode(cfg.email + ":" + cfg.api_token);
    const json echo{
        {"errorMessages", {"POST /rest/api/3/issue Authorization: Basic " + basic + " <!channel>"}},
        {"errors",
         {{"summary", "<https://evil.example|fix it> " + cfg.api_token},
          {"<!here>", "x"},
          {"customfield_10010", "*bold*"}}}};
    const auto r = describe_failure(answer(400, echo.dump()), cfg, Step::create);
    CHECK(r.status == TicketStatus::failed);
    CHECK(r.message == "Jira refused the request (HTTP 400; fields: customfield_10010, summary)");
    CHECK(
        describe_failure(
            answer(422, R"({"errorMessages":["Field 'priority' is required"]})"), cfg, Step::create
        )
            .message == "Jira refused the request (HTTP 422)"
    );
    const auto missing = describe_failure(
        answer(404, R"({"errorMessages":["No project <!channel> here"]})"), cfg, Step::create
    );
    CHECK(missing.message.find("channel") == std::string::npos);
}

TEST_CASE("the ticket cache is bounded in size and age") {
    using namespace std::chrono_literals;
    TicketCache cache(2, 1h);
    const auto t0 = TicketCache::Clock::time_point{} + 10h;
    cache.put("a", {"1", "OPS-1", false}, t0);
    cache.put("b", {"2", "OPS-2", false}, t0 + 1s);
    REQUIRE(cache.find("a", t0 + 2s));
    CHECK(cache.find("a", t0 + 2s)->key == "OPS-1");
    cache.put("c", {"3", "OPS-3", false}, t0 + 3s);  // evicts the oldest: a
    CHECK_FALSE(cache.find("a", t0 + 4s));
    CHECK(cache.find("b", t0 + 4s));
    CHECK(cache.size() == 2);
    CHECK_FALSE(cache.find("b", t0 + 1h + 1s));  // too old
    CHECK(cache.find("c", t0 + 1h + 1s));
    cache.erase("c");
    CHECK(cache.size() == 0);
}

}  // namespace jira_response_test
