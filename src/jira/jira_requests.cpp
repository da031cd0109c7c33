#include "jira/jira_requests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "jira/adf.hpp"

namespace nra::jira {
namespace {

using nlohmann::json;

constexpr int kSearchResults = 10;  // more than one open ticket per fingerprint is already odd

http::Request base_request(const JiraConfig& config, std::string method, const std::string& path) {
    http::Request req;
    req.upstream = "jira";
    req.method = std::move(method);
    req.url = config.url + std::string(api_path(config.flavor)) + path;
    req.headers.push_back({"Authorization", authorization_header(config)});
    req.headers.push_back({"Accept", "application/json"});
    // No keep-alive to Jira, belt and braces: http::Client never replays a POST on a pooled
    // connection that died, but a fresh connection per request also rules out a create going
    // into a connection the server is closing. Jira traffic is a few requests per ticket.
    req.headers.push_back({"Connection", "close"});
    req.timeout = config.request_timeout;
    return req;
}

void set_json_body(http::Request& req, const json& body) {
    req.headers.push_back({"Content-Type", "application/json"});
    req.body = dump_json(body);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::int64_t> numeric_ids(const std::vector<std::string>& ids) {
    std::vector<std::int64_t> out;
    for (const auto& id : ids) {
        std::int64_t n = 0;
        const auto* end = id.data() + id.size();
        auto [ptr, ec] = std::from_chars(id.data(), end, n);
        if (ec == std::errc{} && ptr == end && !id.empty()) out.push_back(n);
        if (out.size() == kMaxReconcileIds) break;
    }
    return out;
}

const std::vector<std::string>& search_fields() {
    static const std::vector<std::string> fields{"key", "summary", "status", "labels"};
    return fields;
}

}  // namespace

bool valid_fingerprint(std::string_view fingerprint) {
    if (fingerprint.empty() || fingerprint.size() > 255) return false;
    return std::all_of(fingerprint.begin(), fingerprint.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

std::string jql_string(std::string_view value) {
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string dedup_jql(std::string_view project, std::string_view fingerprint) {
    return fmt::format(
        "project = {} AND labels = {} AND statusCategory != Done",
        jql_string(project),
        jql_string(fingerprint)
    );
}

std::vector<std::string> ticket_labels(
    const std::vector<std::string>& labels, const std::string& fingerprint
) {
    std::vector<std::string> out;
    for (const auto& raw : labels) {
        auto label = trimmed(raw);
        std::replace_if(label.begin(), label.end(), is_space, '-');
        label = std::string(utf8_prefix(label, 255));
        if (label.empty() || label == fingerprint) continue;
        if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(label);
    }
    out.push_back(fingerprint);
    return out;
}

std::string clean_summary(std::string_view summary) {
    std::string line(summary);
    std::replace_if(line.begin(), line.end(), is_space, ' ');
    line = trimmed(line);
    if (line.size() > kMaxSummaryChars) {
        line = std::string(utf8_prefix(line, kMaxSummaryChars - 3)) + "…";
    }
    return line;
}

std::string percent_encode(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

http::Request create_request(const JiraConfig& config, const TicketDraft& draft) {
    json fields{
        {"project", {{"key", config.project}}},
        {"issuetype", {{"name", config.issue_type}}},
        {"summary", clean_summary(draft.summary)},
        {"description", render_body(draft.description, config.flavor)},
        {"labels", ticket_labels(draft.labels, draft.fingerprint)},
    };
    auto req = base_request(config, "POST", "/issue");
    set_json_body(req, json{{"fields", std::move(fields)}});
    return req;
}

http::Request search_request(
    const JiraConfig& config,
    const std::string& fingerprint,
    const std::vector<std::string>& reconcile_ids
) {
    const auto jql = dedup_jql(config.project, fingerprint);
    if (config.flavor == JiraFlavor::datacenter) {
        const auto query = fmt::format(
            "/search?jql={}&startAt=0&maxResults={}&fields={}",
            percent_encode(jql),
            kSearchResults,
            percent_encode(fmt::format("{}", fmt::join(search_fields(), ",")))
        );
        return base_request(config, "GET", query);
    }
    json body{{"jql", jql}, {"fields", search_fields()}, {"maxResults", kSearchResults}};
    const auto ids = numeric_ids(reconcile_ids);
    if (!ids.empty()) body["reconcileIssues"] = ids;
    auto req = base_request(config, "POST", "/search/jql");
    set_json_body(req, body);
    return req;
}

http::Request get_issue_request(const JiraConfig& config, const std::string& key) {
    return base_request(config, "GET", "/issue/" + percent_encode(key) + "?fields=status");
}

http::Request comment_request(
    const JiraConfig& config, const std::string& key, std::string_view text
) {
    auto req = base_request(config, "POST", "/issue/" + percent_encode(key) + "/comment");
    set_json_body(req, json{{"body", render_body(text, config.flavor)}});
    return req;
}

}  // namespace nra::jira
