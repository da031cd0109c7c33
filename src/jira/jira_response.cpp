#include "jira/jira_response.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "jira/adf.hpp"
#include "log/secret_forms.hpp"

namespace nra::jira {
namespace {

using nlohmann::json;

json parse(std::string_view body) {
    return json::parse(body, nullptr, false);
}

// An id may arrive as a string ("10042") or, from some proxies and DC versions, a number.
std::string id_of(const json& issue) {
    if (!issue.contains("id")) return {};
    const auto& id = issue["id"];
    if (id.is_string()) return id.get<std::string>();
    if (id.is_number_integer()) return std::to_string(id.get<long long>());
    return {};
}

bool done_of(const json& issue) {
    const auto fields = issue.value("fields", json::object());
    if (!fields.is_object()) return false;
    const auto status = fields.value("status", json::object());
    if (!status.is_object()) return false;
    const auto category = status.value("statusCategory", json::object());
    return category.is_object() && category.value("key", std::string{}) == "done";
}

Result<IssueRef> issue_ref(const json& issue) {
    if (!issue.is_object()) return make_error("an issue is not an object");
    IssueRef ref;
    ref.id = id_of(issue);
    ref.key = issue.contains("key") && issue["key"].is_string() ? issue["key"].get<std::string>()
                                                                : std::string{};
    if (ref.key.empty()) return make_error("an issue has no key");
    ref.done = done_of(issue);
    return ref;
}

// Keeps a message to one line: newlines and tabs become spaces.
std::string one_line(std::string text) {
    for (auto& c : text) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    return text;
}

TicketResult result(TicketStatus status, std::string message) {
    TicketResult r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

std::string credentials_hint(const JiraConfig& config) {
    return config.flavor == JiraFlavor::cloud ? "JIRA_EMAIL/JIRA_API_TOKEN"
                                              : "JIRA_API_TOKEN, a personal access token";
}

TicketResult describe_transport(const http::Outcome& out, const std::string& host) {
    const auto status =
        out.failure == http::Failure::too_large ? TicketStatus::failed : TicketStatus::unavailable;
    return result(status, http::failure_sentence(out.failure, "Jira", host));
}

TicketResult describe_rejection(const JiraConfig& config, int status) {
    if (status == 401) {
        return result(
            TicketStatus::rejected,
            fmt::format("Jira rejected the credentials ({})", credentials_hint(config))
        );
    }
    return result(
        TicketStatus::rejected,
        fmt::format(
            "Jira refused the request: check {} and the account's permissions on project {}",
            credentials_hint(config),
            config.project
        )
    );
}

TicketResult describe_not_found(const JiraConfig& config, Step step) {
    if (step == Step::comment || step == Step::get_issue) {
        return result(TicketStatus::not_found, "the Jira issue to comment on no longer exists");
    }
    return result(
        TicketStatus::not_found,
        fmt::format(
            "Jira project {} or issue type {} not found (check JIRA_URL, JIRA_PROJECT and "
            "JIRA_ISSUE_TYPE)",
            config.project,
            config.issue_type
        )
    );
}

// A field name Jira may report (summary, issuetype, customfield_10010): anything else in the
// errors object's keys is not shown.
bool plausible_field(const std::string& name) {
    constexpr std::size_t kMaxField = 40;
    return !name.empty() && name.size() <= kMaxField &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-';
           });
}

// "Jira refused the request (HTTP 400; fields: summary, labels)": our sentence, with at most the
// field names of Jira's errors object; its messages may quote our request and stay in the logs.
TicketResult describe_refusal(int status, std::string_view body) {
    const auto fields = error_fields(body);
    if (fields.empty()) {
        return result(
            TicketStatus::failed, fmt::format("Jira refused the request (HTTP {})", status)
        );
    }
    return result(
        TicketStatus::failed,
        fmt::format(
            "Jira refused the request (HTTP {}; fields: {})", status, fmt::join(fields, ", ")
        )
    );
}

}  // namespace

Result<IssueRef> parse_created(std::string_view body) {
    const auto doc = parse(body);
    if (!doc.is_object()) return make_error("the create answer is not a JSON object");
    auto ref = issue_ref(doc);
    if (!ref) return ref;
    if (ref->id.empty()) return make_error("the create answer has no id");
    return ref;
}

Result<std::vector<IssueRef>> parse_search(std::string_view body) {
    const auto doc = parse(body);
    if (!doc.is_object() || !doc.contains("issues") || !doc["issues"].is_array()) {
        return make_error("the search answer has no issues array");
    }
    std::vector<IssueRef> out;
    for (const auto& issue : doc["issues"]) {
        auto ref = issue_ref(issue);
        if (!ref) return make_error(ref.error());
        out.push_back(std::move(ref).value());
    }
    return out;
}

Result<IssueRef> parse_issue(std::string_view body) {
    const auto doc = parse(body);
    if (!doc.is_object()) return make_error("the issue answer is not a JSON object");
    return issue_ref(doc);
}

std::string error_text(std::string_view body, std::size_t max_chars) {
    const auto doc = parse(body);
    if (!doc.is_object()) return {};
    std::string out;
    const auto append = [&out](const std::string& piece) {
        if (piece.empty()) return;
        if (!out.empty()) out += "; ";
        out += piece;
    };
    if (doc.contains("errorMessages") && doc["errorMessages"].is_array()) {
        for (const auto& m : doc["errorMessages"]) {
            if (m.is_string()) append(m.get<std::string>());
        }
    }
    if (doc.contains("errors") && doc["errors"].is_object()) {
        for (const auto& [field, m] : doc["errors"].items()) {
            if (m.is_string()) append(field + ": " + m.get<std::string>());
        }
    }
    out = one_line(std::move(out));
    if (out.size() > max_chars) {
        out = std::string(utf8_prefix(out, max_chars > 3 ? max_chars - 3 : 0)) + "…";
    }
    return out;
}

std::vector<std::string> error_fields(std::string_view body) {
    constexpr std::size_t kMaxFields = 5;
    std::vector<std::string> out;
    const auto doc = parse(body);
    if (!doc.is_object() || !doc.contains("errors") || !doc["errors"].is_object()) return out;
    for (const auto& [field, message] : doc["errors"].items()) {
        if (out.size() == kMaxFields) break;
        if (plausible_field(field)) out.push_back(field);
    }
    return out;
}

bool names_missing_project(std::string_view body) {
    const auto doc = parse(body);
    if (!doc.is_object()) return false;
    if (doc.contains("errors") && doc["errors"].is_object()) {
        const auto& errors = doc["errors"];
        if (errors.contains("project") || errors.contains("issuetype")) return true;
    }
    return error_text(body, 10'000).find("does not exist for the field 'project'") !=
           std::string::npos;
}

std::vector<std::string> secrets_of(const JiraConfig& config) {
    std::vector<std::string> out;
    if (!config.api_token.empty()) out.push_back(config.api_token);
    if (!config.email.empty()) out.push_back(config.email);
    if (!config.email.empty() && !config.api_token.empty()) {
        out.push_back(config.email + ":" + config.api_token);  // Basic auth's pair
    }
    return out;
}

std::string redact(std::string text, const JiraConfig& config) {
    std::vector<std::string> forms;
    for (const auto& secret : secrets_of(config)) {
        auto more = log::secret_forms(secret);
        if (more.empty()) more.push_back(secret);  // short, yet ours: still never shown
        forms.insert(forms.end(), more.begin(), more.end());
    }
    std::sort(forms.begin(), forms.end(), [](const std::string& a, const std::string& b) {
        return a.size() > b.size();
    });
    return log::redact_forms(text, forms);
}

std::string safe_error_text(
    std::string_view body, const JiraConfig& config, std::size_t max_chars
) {
    // Redact before clipping, so a clipped secret cannot leave a readable prefix behind.
    auto said = redact(error_text(body, body.size() + 1), config);
    if (said.size() > max_chars) {
        said = std::string(utf8_prefix(said, max_chars > 3 ? max_chars - 3 : 0)) + "…";
    }
    return said;
}

std::string host_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find('/'));
    if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
    return std::string(url);
}

TicketResult describe_failure(const http::Outcome& out, const JiraConfig& config, Step step) {
    using http::OutcomeClass;
    const int status = out.response.status;
    switch (http::classify(out)) {
        case OutcomeClass::timed_out:
        case OutcomeClass::too_large:
        case OutcomeClass::unreachable:
            return describe_transport(out, host_of(config.url));
        case OutcomeClass::rejected:
            return describe_rejection(config, status);
        case OutcomeClass::not_found:
            return describe_not_found(config, step);
        case OutcomeClass::rate_limited:
            return result(
                TicketStatus::rate_limited,
                "Jira is rate-limiting our requests (HTTP 429); try again in a minute"
            );
        case OutcomeClass::upstream_error:
            return result(
                TicketStatus::unavailable,
                fmt::format("Jira is having trouble (HTTP {}); try again shortly", status)
            );
        case OutcomeClass::ok:
        case OutcomeClass::refused:
            break;
    }
    if (status == 400 && names_missing_project(out.response.body)) {
        return describe_not_found(config, step);
    }
    return describe_refusal(status, out.response.body);
}

}  // namespace nra::jira
