#include "support/fake_jira_backend.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "support/fake_jira_rules.hpp"
#include "support/form_encode.hpp"

namespace nra::test {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBody = 32'767;

struct Route {
    JiraOp op = JiraOp::any;
    std::string key;  // issue key or id for get_issue and comment
    bool gone = false;
};

struct Target {
    std::string path;
    std::map<std::string, std::string> params;
};

Target parse_target(const std::string& target) {
    Target out;
    auto url = boost::urls::parse_origin_form(target);
    if (!url) {
        out.path = target;
        return out;
    }
    out.path = url->path();
    for (const auto& param : url->params()) out.params[param.key] = param.value;
    return out;
}

Route route_of(
    const std::string& method, const std::string& path, const std::string& api, bool dc
) {
    Route r;
    r.gone = !dc && path == "/rest/api/3/search";
    if (r.gone || path.rfind(api + "/", 0) != 0) return r;
    const auto rest = path.substr(api.size());
    if (rest == (dc ? "/search" : "/search/jql") && (method == "GET" || method == "POST")) {
        r.op = JiraOp::search;
    } else if (rest == "/issue" && method == "POST") {
        r.op = JiraOp::create;
    } else if (rest.rfind("/issue/", 0) == 0) {
        auto key = rest.substr(7);
        const auto slash = key.find('/');
        const auto tail = slash == std::string::npos ? std::string{} : key.substr(slash);
        r.key = key.substr(0, slash);
        if (tail.empty() && method == "GET") r.op = JiraOp::get_issue;
        if (tail == "/comment" && method == "POST") r.op = JiraOp::comment;
    }
    return r;
}

FakeReply fault_reply(const JiraFault& fault) {
    FakeReply r;
    switch (fault.status) {
        case 401:
            r = jira_error(
                401, "You are not authenticated. Authentication required to perform this operation."
            );
            break;
        case 403:
            r = jira_error(403, "You do not have permission to create issues in this project.");
            break;
        case 404:
            r = jira_error(404, "Issue does not exist or you do not have permission to see it.");
            break;
        case 429:
            r = jira_error(429, "Rate limit exceeded.");
            r.headers.emplace_back("RateLimit-Reason", "jira-burst-based");
            break;
        default:
            r = jira_error(fault.status, "Internal server error");
    }
    if (!fault.retry_after.empty()) r.headers.emplace_back("Retry-After", fault.retry_after);
    if (!fault.body.empty()) r.body = fault.body;
    return r;
}

// A 400 as some proxies and misconfigured Jira plugins send it: the request quoted back, with
// whatever a user put into the ticket's fields.
FakeReply echo_reply(const JiraFault& fault, const FakeRequest& request) {
    const auto said = request.method + " " + request.target +
                      " Authorization: " + request.header("Authorization") +
                      " <!channel> <https://evil.example/fix|fix it here> *now*; forwarded as "
                      "authorization=" +
                      form_encode(request.header("Authorization"));
    const json body{
        {"errorMessages", {said, "request body: " + request.body}},
        {"errors",
         {{"summary", "`<@U0ADMIN>` " + request.header("Authorization")},
          {"<!here>", "x"},
          {"customfield_10010", "~no~"}}}};
    return reply_json(fault.status, body);
}

// Jira Cloud's answer on the old search endpoint since CHANGE-2046 (as quoted in
// atlassian/atlassian-mcp-server#70).
FakeReply removed_search() {
    return jira_error(
        410,
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
        "A full migration guideline is available at "
        "https://developer.atlassian.com/changelog/#CHANGE-2046"
    );
}

std::string string_at(const json& object, const char* outer, const char* inner) {
    if (!object.contains(outer) || !object[outer].is_object()) return {};
    const auto& o = object[outer];
    return o.contains(inner) && o[inner].is_string() ? o[inner].get<std::string>() : "";
}

// Why Jira would refuse this body of a description or comment; empty when fine.
std::string body_problem(const json& body, bool datacenter) {
    if (datacenter) {
        if (!body.is_string()) return "Operation value must be a string";
        if (utf8_length(body.get_ref<const std::string&>()) > kMaxBody) {
            return "The entered text is too long. It exceeds the allowed limit of 32,767 "
                   "characters.";
        }
        return {};
    }
    if (auto problem = adf_problem(body); !problem.empty()) {
        return "Operation value must be an Atlassian Document (see the Atlassian Document "
               "Format): " +
               problem;
    }
    if (utf8_length(body.dump()) > kMaxBody) {
        return "The entered text is too long. It exceeds the allowed limit of 32,767 characters.";
    }
    return {};
}

std::string labels_problem(const json& labels) {
    if (!labels.is_array()) return "labels must be an array";
    for (const auto& label : labels) {
        if (!label.is_string()) return "labels must be strings";
        const auto& text = label.get_ref<const std::string&>();
        if (text.empty() || text.find_first_of(" \t\r\n") != std::string::npos) {
            return "The label '" + text + "' contains spaces which is invalid.";
        }
        if (text.size() > 255) return "The label is longer than 255 characters.";
    }
    return {};
}

}  // namespace

FakeJiraIssue* JiraBackend::find(const std::string& key_or_id) {
    for (auto& issue : issues_) {
        if (issue.key == key_or_id || issue.id == key_or_id) return &issue;
    }
    return nullptr;
}

FakeJiraIssue& JiraBackend::add(FakeJiraIssue issue, int search_lag) {
    issue.id = std::to_string(next_id_++);
    issue.key = issue.project + "-" + std::to_string(++numbers_[issue.project]);
    issues_.push_back(std::move(issue));
    lag_.push_back(search_lag);
    return issues_.back();
}

bool JiraBackend::authorized(const FakeRequest& request) const {
    const auto header = request.header("Authorization");
    if (options_.datacenter) return header == std::string("Bearer ") + kPat;
    return header == kBasic;
}

std::optional<JiraFault> JiraBackend::take_fault(JiraOp op) {
    const auto it = std::find_if(faults_.begin(), faults_.end(), [op](const JiraFault& f) {
        return f.op == JiraOp::any || f.op == op;
    });
    if (it == faults_.end()) return std::nullopt;
    auto fault = *it;
    faults_.erase(it);
    return fault;
}

FakeReply JiraBackend::handle(const FakeRequest& request, const std::string& base) {
    const auto target = parse_target(request.target);
    const auto route = route_of(request.method, target.path, api(), options_.datacenter);
    if (route.op == JiraOp::create) ++create_requests_;
    if (!authorized(request)) return fault_reply(JiraFault::http(JiraOp::any, 401));
    if (route.gone) return removed_search();
    if (route.op == JiraOp::any) return jira_error(404, "null for uri: " + base + target.path);
    const auto fault = take_fault(route.op);
    using Kind = JiraFault::Kind;
    if (fault && fault->kind == Kind::status) return fault_reply(*fault);
    if (fault && fault->kind == Kind::echo) return echo_reply(*fault, request);
    FakeReply reply;
    if (fault && (fault->kind == Kind::hang || fault->kind == Kind::close)) {
        reply.action =
            fault->kind == Kind::hang ? FakeReply::Action::hang : FakeReply::Action::close;
        return reply;
    }
    const auto body = json::parse(request.body, nullptr, false);
    const auto api_base = base + api();
    switch (route.op) {
        case JiraOp::create:
            reply = create(body, api_base);
            break;
        case JiraOp::comment:
            reply = comment(route.key, body);
            break;
        case JiraOp::get_issue:
            reply = get_issue(route.key, target.params, api_base);
            break;
        default:
            reply = search(request, target.params, api_base);
    }
    if (fault && fault->kind == Kind::hang_after_commit) reply.action = FakeReply::Action::hang;
    if (fault && fault->kind == Kind::close_after_commit) reply.action = FakeReply::Action::close;
    return reply;
}

json JiraBackend::field_errors(const json& fields) const {
    json errors = json::object();
    const auto project = string_at(fields, "project", "key");
    if (std::find(options_.projects.begin(), options_.projects.end(), project) ==
        options_.projects.end()) {
        errors["project"] = "valid project is required";
    }
    const auto type = string_at(fields, "issuetype", "name");
    if (std::find(options_.issue_types.begin(), options_.issue_types.end(), type) ==
        options_.issue_types.end()) {
        errors["issuetype"] = "Specify a valid issue type";
    }
    const auto summary = fields.value("summary", json());
    if (!summary.is_string() || summary.get<std::string>().empty()) {
        errors["summary"] = "You must specify a summary of the issue.";
    } else if (utf8_length(summary.get<std::string>()) > 255) {
        errors["summary"] = "Summary must be less than 255 characters.";
    } else if (summary.get<std::string>().find_first_of("\r\n") != std::string::npos) {
        errors["summary"] = "The summary is invalid because it contains newline characters.";
    }
    if (fields.contains("description")) {
        auto problem = body_problem(fields["description"], options_.datacenter);
        if (!problem.empty()) errors["description"] = problem;
    }
    if (fields.contains("labels")) {
        auto problem = labels_problem(fields["labels"]);
        if (!problem.empty()) errors["labels"] = problem;
    }
    return errors;
}

FakeReply JiraBackend::create(const json& body, const std::string& api_base) {
    if (!body.is_object() || !body.contains("fields") || !body["fields"].is_object()) {
        return jira_error(400, "Can not deserialize the request: no fields object");
    }
    const auto& fields = body["fields"];
    const auto errors = field_errors(fields);
    if (!errors.empty()) {
        return reply_json(400, {{"errorMessages", json::array()}, {"errors", errors}});
    }
    FakeJiraIssue issue;
    issue.project = string_at(fields, "project", "key");
    issue.issue_type = string_at(fields, "issuetype", "name");
    issue.summary = fields["summary"].get<std::string>();
    issue.description = fields.value("description", json());
    if (fields.contains("labels")) issue.labels = fields["labels"].get<std::vector<std::string>>();
    const auto& made = add(std::move(issue), options_.search_lag);
    return reply_json(
        201, {{"id", made.id}, {"key", made.key}, {"self", api_base + "/issue/" + made.id}}
    );
}

FakeReply JiraBackend::comment(const std::string& key, const json& body) {
    const auto* issue = find(key);
    if (issue == nullptr) {
        return jira_error(404, "Issue does not exist or you do not have permission to see it.");
    }
    if (!body.is_object() || !body.contains("body")) {
        return reply_json(
            400,
            {{"errorMessages", json::array()},
             {"errors", {{"comment", "Comment body can not be empty!"}}}}
        );
    }
    if (auto problem = body_problem(body["body"], options_.datacenter); !problem.empty()) {
        return reply_json(
            400, {{"errorMessages", json::array()}, {"errors", {{"comment", problem}}}}
        );
    }
    comments_.push_back({issue->key, body["body"]});
    const auto id = std::to_string(20000 + comments_.size());
    return reply_json(201, {{"id", id}, {"body", body["body"]}});
}

FakeReply JiraBackend::get_issue(
    const std::string& key,
    const std::map<std::string, std::string>& params,
    const std::string& api_base
) {
    const auto* issue = find(key);
    if (issue == nullptr) {
        return jira_error(404, "Issue does not exist or you do not have permission to see it.");
    }
    const auto fields =
        params.contains("fields") ? split_list(params.at("fields")) : std::vector<std::string>{};
    auto j = issue_json(*issue, fields, true, api_base);
    j["key"] = issue->key;
    return reply_json(200, j);
}

}  // namespace nra::test
