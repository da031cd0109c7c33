// The fake Jira's search: Cloud's enhanced /search/jql (fields default to the id only,
// reconcileIssues, nextPageToken) and Data Center's /search (startAt/maxResults/total), with
// search's eventual consistency on both.
#include <algorithm>

#include "support/fake_jira_backend.hpp"
#include "support/fake_jira_rules.hpp"

namespace nra::test {
namespace {

using nlohmann::json;

struct SearchInput {
    std::string jql;
    std::vector<std::string> fields;
    std::vector<std::string> reconcile;
    int max_results = 50;
    std::size_t start = 0;
    std::string error;
};

std::size_t page_of(const std::string& token) {
    if (token.rfind("page-", 0) != 0) return 0;
    return static_cast<std::size_t>(std::stoul(token.substr(5)));
}

SearchInput from_body(const json& body, bool datacenter) {
    SearchInput in;
    if (!body.is_object()) {
        in.error = "Invalid request payload. Refer to the REST API documentation and try again.";
        return in;
    }
    if (body.contains("jql") && body["jql"].is_string()) in.jql = body["jql"].get<std::string>();
    if (body.contains("fields") && body["fields"].is_array()) {
        for (const auto& f : body["fields"]) {
            if (f.is_string()) in.fields.push_back(f.get<std::string>());
        }
    }
    if (body.contains("maxResults") && body["maxResults"].is_number_integer()) {
        in.max_results = body["maxResults"].get<int>();
    }
    if (datacenter && body.contains("startAt") && body["startAt"].is_number_unsigned()) {
        in.start = body["startAt"].get<std::size_t>();
    }
    if (!datacenter && body.contains("nextPageToken") && body["nextPageToken"].is_string()) {
        in.start = page_of(body["nextPageToken"].get<std::string>());
    }
    if (!datacenter && body.contains("reconcileIssues")) {
        const auto& ids = body["reconcileIssues"];
        if (!ids.is_array()) in.error = "reconcileIssues must be an array of issue ids";
        for (const auto& id : ids.is_array() ? ids : json::array()) {
            if (!id.is_number_integer()) in.error = "reconcileIssues must hold numeric issue ids";
            if (id.is_number_integer()) in.reconcile.push_back(std::to_string(id.get<long long>()));
        }
    }
    return in;
}

SearchInput from_params(const std::map<std::string, std::string>& params, bool datacenter) {
    SearchInput in;
    const auto get = [&](const char* name) {
        const auto it = params.find(name);
        return it == params.end() ? std::string{} : it->second;
    };
    in.jql = get("jql");
    in.fields = split_list(get("fields"));
    try {
        if (!get("maxResults").empty()) in.max_results = std::stoi(get("maxResults"));
        if (datacenter && !get("startAt").empty()) in.start = std::stoul(get("startAt"));
    } catch (const std::exception&) {
        in.error = "maxResults and startAt must be numbers";
    }
    if (!datacenter) {
        in.start = page_of(get("nextPageToken"));
        in.reconcile = split_list(get("reconcileIssues"));
    }
    return in;
}

}  // namespace

std::vector<const FakeJiraIssue*> JiraBackend::visible_hits(
    const JqlQuery& query, const std::vector<std::string>& reconcile
) {
    std::vector<const FakeJiraIssue*> hits;
    for (std::size_t i = 0; i < issues_.size(); ++i) {
        const auto& issue = issues_[i];
        const bool reconciled =
            std::find(reconcile.begin(), reconcile.end(), issue.id) != reconcile.end();
        if (lag_[i] > 0 && !reconciled) continue;  // the index has not caught up yet
        const bool all = std::all_of(query.clauses.begin(), query.clauses.end(), [&](auto& c) {
            return jql_matches(issue, c);
        });
        if (all) hits.push_back(&issue);
    }
    for (auto& lag : lag_) lag = std::max(0, lag - 1);
    return hits;
}

FakeReply JiraBackend::search(
    const FakeRequest& request,
    const std::map<std::string, std::string>& params,
    const std::string& api_base
) {
    const bool dc = options_.datacenter;
    const auto in = request.method == "POST"
                        ? from_body(json::parse(request.body, nullptr, false), dc)
                        : from_params(params, dc);
    if (!in.error.empty()) return jira_error(400, in.error);
    if (!dc && in.jql.empty()) {
        return jira_error(
            400,
            "Unbounded JQL queries are not allowed here. Please add a search restriction to "
            "your query."
        );
    }
    if (in.reconcile.size() > 50) return jira_error(400, "reconcileIssues: at most 50 ids");
    const auto query = parse_jql(in.jql);
    if (auto refused = jql_refusal(query, options_.projects)) return *refused;
    const auto hits = visible_hits(query, in.reconcile);
    const auto max = static_cast<std::size_t>(std::clamp(in.max_results, 0, dc ? 1000 : 5000));
    const auto first = std::min(in.start, hits.size());
    const auto last = std::min(hits.size(), first + max);
    FakeJiraSearch record{request.method, in.jql, in.fields, in.reconcile, {}};
    auto issues = json::array();
    for (auto i = first; i < last; ++i) {
        issues.push_back(issue_json(*hits[i], in.fields, dc, api_base));
        record.keys.push_back(hits[i]->key);
    }
    searches_.push_back(std::move(record));
    if (dc) {
        return reply_json(
            200,
            {{"startAt", first}, {"maxResults", max}, {"total", hits.size()}, {"issues", issues}}
        );
    }
    json body{{"issues", issues}, {"isLast", last >= hits.size()}};
    if (last < hits.size()) body["nextPageToken"] = "page-" + std::to_string(last);
    return reply_json(200, body);
}

}  // namespace nra::test
