#include "support/fake_jira_rules.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "support/fake_jira_backend.hpp"

namespace nra::test {
namespace {

using nlohmann::json;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct Token {
    enum class Kind { word, string, op, end, bad } kind = Kind::end;
    std::string text;
};

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

// Reads one token from `jql` at `pos`.
Token next_token(std::string_view jql, std::size_t& pos) {
    while (pos < jql.size() && std::isspace(static_cast<unsigned char>(jql[pos])) != 0) ++pos;
    if (pos >= jql.size()) return {};
    const char c = jql[pos];
    if (c == '"' || c == '\'') {
        std::string value;
        for (++pos; pos < jql.size() && jql[pos] != c; ++pos) {
            if (jql[pos] == '\\' && pos + 1 < jql.size()) ++pos;
            value += jql[pos];
        }
        if (pos >= jql.size()) return {Token::Kind::bad, "unterminated string"};
        ++pos;
        return {Token::Kind::string, value};
    }
    if (c == '=') return {Token::Kind::op, std::string(jql.substr(pos++, 1))};
    if (c == '!' && pos + 1 < jql.size() && jql[pos + 1] == '=') {
        pos += 2;
        return {Token::Kind::op, "!="};
    }
    if (!word_char(c)) return {Token::Kind::bad, std::string(1, c)};
    const auto start = pos;
    while (pos < jql.size() && word_char(jql[pos])) ++pos;
    return {Token::Kind::word, std::string(jql.substr(start, pos - start))};
}

JqlQuery fail(std::string message) {
    JqlQuery q;
    q.error = "Error in the JQL Query: " + std::move(message);
    return q;
}

const std::set<std::string>& block_nodes() {
    static const std::set<std::string> kNodes{
        "paragraph",
        "bulletList",
        "orderedList",
        "heading",
        "codeBlock",
        "blockquote",
        "rule",
        "panel",
        "table"};
    return kNodes;
}

std::string inline_problem(const json& node);
std::string block_problem(const json& node);

std::string content_problem(const json& node, bool blocks, bool required) {
    if (!node.contains("content")) return required ? "a node has no content" : "";
    const auto& content = node["content"];
    if (!content.is_array()) return "content is not an array";
    if (required && content.empty()) return "content is empty";
    for (const auto& child : content) {
        auto problem = blocks ? block_problem(child) : inline_problem(child);
        if (!problem.empty()) return problem;
    }
    return {};
}

std::string marks_problem(const json& node) {
    if (!node.contains("marks")) return {};
    if (!node["marks"].is_array()) return "marks is not an array";
    static const std::set<std::string> kMarks{
        "code", "link", "strong", "em", "strike", "underline"};
    for (const auto& mark : node["marks"]) {
        const auto type = mark.is_object() ? mark.value("type", std::string{}) : std::string{};
        if (!kMarks.contains(type)) return "unknown mark '" + type + "'";
        if (type == "link") {
            const auto attrs = mark.value("attrs", json::object());
            if (!attrs.is_object() || !attrs.contains("href") || !attrs["href"].is_string()) {
                return "a link mark has no href";
            }
        }
    }
    return {};
}

std::string inline_problem(const json& node) {
    const auto type = node.is_object() ? node.value("type", std::string{}) : std::string{};
    if (type == "hardBreak" || type == "mention" || type == "emoji") return {};
    if (type != "text") return "unknown inline node '" + type + "'";
    if (!node.contains("text") || !node["text"].is_string() ||
        node["text"].get_ref<const std::string&>().empty()) {
        return "a text node has no text";
    }
    return marks_problem(node);
}

std::string block_problem(const json& node) {
    const auto type = node.is_object() ? node.value("type", std::string{}) : std::string{};
    if (!block_nodes().contains(type)) return "unknown block node '" + type + "'";
    if (type == "rule") return {};
    if (type == "bulletList" || type == "orderedList") {
        if (!node.contains("content") || !node["content"].is_array() || node["content"].empty()) {
            return "a list has no items";
        }
        for (const auto& item : node["content"]) {
            if (!item.is_object() || item.value("type", std::string{}) != "listItem") {
                return "a list holds something else than listItem";
            }
            auto problem = content_problem(item, true, true);
            if (!problem.empty()) return problem;
        }
        return {};
    }
    const bool nested_blocks = type == "blockquote" || type == "panel" || type == "table";
    return content_problem(node, nested_blocks, false);
}

}  // namespace

JqlQuery parse_jql(std::string_view jql) {
    JqlQuery query;
    std::size_t pos = 0;
    for (;;) {
        const auto field = next_token(jql, pos);
        if (field.kind != Token::Kind::word) return fail("expecting a field name");
        const auto lowered = lower(field.text);
        if (lowered == "or" || lowered == "not" || lowered == "order") {
            return fail("the fake understands AND only");
        }
        const auto op = next_token(jql, pos);
        if (op.kind != Token::Kind::op) return fail("expecting an operator after " + field.text);
        const auto value = next_token(jql, pos);
        if (value.kind != Token::Kind::word && value.kind != Token::Kind::string) {
            return fail("expecting a value after " + field.text + " " + op.text);
        }
        query.clauses.push_back({lowered, op.text == "!=", value.text});
        const auto joiner = next_token(jql, pos);
        if (joiner.kind == Token::Kind::end) break;
        if (joiner.kind != Token::Kind::word || lower(joiner.text) != "and") {
            return fail("expecting AND but got '" + joiner.text + "'");
        }
    }
    return query;
}

std::string adf_problem(const json& doc) {
    if (!doc.is_object()) return "the document is not an object";
    if (doc.value("type", std::string{}) != "doc") return "the root node is not of type doc";
    if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"] != 1) {
        return "the document version is not 1";
    }
    if (!doc.contains("content") || !doc["content"].is_array()) return "the doc has no content";
    return content_problem(doc, true, false);
}

FakeReply reply_json(int status, const json& body) {
    FakeReply r;
    r.status = status;
    r.body = body.dump();
    return r;
}

FakeReply jira_error(int status, const std::string& message) {
    return reply_json(status, {{"errorMessages", {message}}, {"errors", json::object()}});
}

namespace {

json status_json(bool done) {
    if (done) {
        return {
            {"name", "Done"}, {"statusCategory", {{"id", 3}, {"key", "done"}, {"name", "Done"}}}};
    }
    return {{"name", "To Do"}, {"statusCategory", {{"id", 2}, {"key", "new"}, {"name", "To Do"}}}};
}

bool wants(const std::vector<std::string>& fields, const std::string& name, bool all) {
    if (fields.empty()) return all;
    return std::any_of(fields.begin(), fields.end(), [&](const std::string& f) {
        return f == name || f == "*all" || f == "*navigable";
    });
}

bool same_project(const std::string& a, const std::string& b) {
    return lower(a) == lower(b);
}

}  // namespace

json issue_json(
    const FakeJiraIssue& issue,
    const std::vector<std::string>& fields,
    bool all,
    const std::string& api_base
) {
    json j{{"id", issue.id}};
    if (all || wants(fields, "key", all)) {
        j["key"] = issue.key;
        j["self"] = api_base + "/issue/" + issue.id;
    }
    json f = json::object();
    if (wants(fields, "summary", all)) f["summary"] = issue.summary;
    if (wants(fields, "status", all)) f["status"] = status_json(issue.done);
    if (wants(fields, "labels", all)) f["labels"] = issue.labels;
    if (wants(fields, "project", all)) f["project"] = {{"key", issue.project}};
    if (wants(fields, "issuetype", all)) f["issuetype"] = {{"name", issue.issue_type}};
    if (wants(fields, "description", all)) f["description"] = issue.description;
    if (!f.empty()) j["fields"] = f;
    return j;
}

std::optional<FakeReply> jql_refusal(const JqlQuery& q, const std::vector<std::string>& projects) {
    if (!q.error.empty()) return jira_error(400, q.error);
    static const std::set<std::string> kCategories{
        "done", "to do", "in progress", "new", "indeterminate"};
    for (const auto& c : q.clauses) {
        if (c.field == "project") {
            const bool known = std::any_of(projects.begin(), projects.end(), [&](auto& p) {
                return same_project(p, c.value);
            });
            if (!known) {
                return jira_error(
                    400, "The value '" + c.value + "' does not exist for the field 'project'."
                );
            }
        } else if (c.field == "statuscategory") {
            if (!kCategories.contains(lower(c.value))) {
                return jira_error(
                    400,
                    "The value '" + c.value + "' does not exist for the field 'statusCategory'."
                );
            }
        } else if (c.field != "labels" && c.field != "key") {
            return jira_error(
                400,
                "Field '" + c.field + "' does not exist or you do not have permission to view it."
            );
        }
    }
    return std::nullopt;
}

bool jql_matches(const FakeJiraIssue& issue, const JqlClause& c) {
    bool hit = false;
    if (c.field == "project") hit = same_project(issue.project, c.value);
    if (c.field == "key") hit = issue.key == c.value;
    if (c.field == "labels") {
        hit = std::find(issue.labels.begin(), issue.labels.end(), c.value) != issue.labels.end();
    }
    if (c.field == "statuscategory") hit = issue.done == (lower(c.value) == "done");
    return hit != c.negated;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto comma = text.find(',', start);
        auto item = text.substr(start, comma == std::string::npos ? comma : comma - start);
        if (!item.empty()) out.push_back(std::move(item));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
    }
    return n;
}

}  // namespace nra::test
