#include "newrelic/nerdgraph_response.hpp"

#include <simdjson.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace nra::newrelic {
namespace {

namespace od = simdjson::ondemand;

std::string one_line(std::string_view text) {
    std::string out(text.substr(0, 300));
    for (char& c : out) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return out;
}

GraphqlError classify(std::string_view error_class, std::string_view code, std::string_view msg) {
    if (error_class == "TIMEOUT") return GraphqlError::timeout;
    if (error_class == "TOO_MANY_REQUESTS") return GraphqlError::rate_limited;
    if (error_class == "INTERNAL_SERVER_ERROR" || error_class == "SERVER_ERROR") {
        return GraphqlError::server;
    }
    if (code == "BAD_API_KEY" || error_class == "UNAUTHORIZED" ||
        error_class == "UNAUTHENTICATED") {
        return GraphqlError::bad_key;
    }
    if (error_class == "FORBIDDEN" || code == "FORBIDDEN") return GraphqlError::access;
    if (msg.find("NRQL Syntax Error") != std::string_view::npos) return GraphqlError::syntax;
    return GraphqlError::other;
}

bool ok(simdjson::error_code ec) {
    return ec == simdjson::SUCCESS;
}

// Leaves `out` unchanged when the value is not a string.
void read_string(simdjson::simdjson_result<od::value> value, std::string_view& out) {
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) out = text;
}

// Reads `errors[]`, keeping the first error that is not a deprecation warning.
simdjson::error_code read_errors(od::value value, NrqlAnswer& answer) {
    od::array errors;
    if (auto ec = value.get_array().get(errors); !ok(ec)) return ec;
    for (auto item : errors) {
        od::object obj;
        if (!ok(item.get_object().get(obj))) continue;
        std::string_view message;
        std::string_view error_class;
        std::string_view code;
        for (auto field : obj) {
            std::string_view key;
            if (!ok(field.unescaped_key().get(key))) continue;
            if (key == "message") {
                read_string(field.value(), message);
            } else if (key == "extensions") {
                od::object ext;
                if (!ok(field.value().get_object().get(ext))) continue;
                for (auto e : ext) {
                    std::string_view k;
                    if (!ok(e.unescaped_key().get(k))) continue;
                    if (k == "errorClass") read_string(e.value(), error_class);
                    if (k == "error_code" || k == "code") read_string(e.value(), code);
                }
            }
        }
        if (message.rfind("This field is deprecated!", 0) == 0) continue;
        if (answer.error == GraphqlError::none) {
            answer.error = classify(error_class, code, message);
            answer.error_message = one_line(message);
        }
    }
    return simdjson::SUCCESS;
}

enum class Found { rows, absent, broken };

// A missing or null step on the path is "absent" (an answer that carries only errors); any other
// simdjson error means the body is damaged and must not be read as an empty page.
Found step(simdjson::error_code ec) {
    if (ok(ec)) return Found::rows;
    return ec == simdjson::NO_SUCH_FIELD || ec == simdjson::INCORRECT_TYPE ? Found::absent
                                                                           : Found::broken;
}

// data.actor.account.nrql.results (one account) or data.actor.nrql.results (cross-account).
Found read_results(od::value data, NrqlAnswer& answer) {
    od::object actor;
    if (auto f = step(data["actor"].get_object().get(actor)); f != Found::rows) return f;
    od::value nrql;
    od::object account;
    const auto account_step = step(actor.find_field_unordered("account").get_object().get(account));
    if (account_step == Found::broken) return Found::broken;
    if (account_step == Found::rows) {
        if (auto f = step(account["nrql"].get(nrql)); f != Found::rows) return f;
    } else {
        actor.reset();
        if (auto f = step(actor.find_field_unordered("nrql").get(nrql)); f != Found::rows) return f;
    }
    od::array results;
    if (auto f = step(nrql["results"].get_array().get(results)); f != Found::rows) return f;
    std::size_t n = 0;
    std::string_view raw;
    if (!ok(results.count_elements().get(n)) || !ok(results.raw_json().get(raw))) {
        return Found::broken;
    }
    while (!raw.empty() && raw.back() != ']') raw.remove_suffix(1);
    answer.rows_json.assign(raw);
    answer.row_count = n;
    return Found::rows;
}

}  // namespace

std::string_view to_string(GraphqlError error) {
    switch (error) {
        case GraphqlError::none:
            return "none";
        case GraphqlError::timeout:
            return "timeout";
        case GraphqlError::rate_limited:
            return "rate_limited";
        case GraphqlError::server:
            return "server";
        case GraphqlError::bad_key:
            return "bad_key";
        case GraphqlError::access:
            return "access";
        case GraphqlError::syntax:
            return "syntax";
        case GraphqlError::other:
            break;
    }
    return "other";
}

Result<NrqlAnswer> parse_nrql_answer(std::string_view body) {
    const simdjson::padded_string padded(body);
    od::parser parser;
    od::document doc;
    od::object root;
    if (!ok(parser.iterate(padded).get(doc)) || !ok(doc.get_object().get(root))) {
        return make_error("New Relic sent an unreadable answer (not a JSON object)");
    }
    NrqlAnswer answer;
    const auto unreadable = make_error("New Relic sent an unreadable answer");
    bool has_rows = false;
    for (auto field : root) {
        std::string_view key;
        if (!ok(field.unescaped_key().get(key))) return unreadable;
        od::value value;
        if (!ok(field.value().get(value))) return unreadable;
        if (key == "data" && value.type() == od::json_type::object) {
            const auto found = read_results(value, answer);
            if (found == Found::broken) return unreadable;
            has_rows = found == Found::rows;
        } else if (key == "errors") {
            if (value.type() != od::json_type::array || !ok(read_errors(value, answer))) {
                return unreadable;
            }
        }
    }
    // Neither rows nor an error: not an answer we can trust to mean "no spans".
    if (!has_rows && answer.error == GraphqlError::none) {
        return make_error("New Relic sent an answer without results");
    }
    return answer;
}

namespace {

bool read_millis(const nlohmann::json& value, std::int64_t& out) {
    if (!value.is_number()) return false;
    const double d = value.get<double>();
    if (!std::isfinite(d) || d < 0 || d > 1e15) return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

}  // namespace

Result<SpanStats> parse_span_stats(std::string_view rows_json) {
    const auto rows = nlohmann::json::parse(rows_json, nullptr, false);
    if (!rows.is_array() || rows.empty() || !rows[0].is_object()) {
        return make_error("New Relic sent no span count");
    }
    const auto& row = rows[0];
    SpanStats stats;
    const auto spans = row.value("spans", nlohmann::json());
    if (!spans.is_number() || spans.get<double>() < 0 || spans.get<double>() > 1e9) {
        return make_error("New Relic sent no span count");
    }
    stats.count = static_cast<std::size_t>(spans.get<double>());
    if (stats.count == 0) return stats;
    if (!read_millis(row.value("first", nlohmann::json()), stats.first_ms) ||
        !read_millis(row.value("last", nlohmann::json()), stats.last_ms) ||
        stats.last_ms < stats.first_ms) {
        return make_error("New Relic sent an unusable span time range");
    }
    return stats;
}

}  // namespace nra::newrelic
