#include "key_table.hpp"

#include <array>

namespace nra::formats {
namespace {

// Sources: newrelic.md §2.1 attribute table (agent, OTel and Trace API names), OpenTelemetry
// semantic conventions (old and current names), OpenTracing/Zipkin tags.
constexpr std::array kRules{
    KeyRule{"trace.id", Field::trace_id, 0, true},
    KeyRule{"traceId", Field::trace_id, 1, true},
    KeyRule{"id", Field::span_id, 0, true},
    KeyRule{"guid", Field::span_id, 1, true},
    KeyRule{"parent.id", Field::parent_id, 0, true},
    KeyRule{"parentId", Field::parent_id, 1, true},
    KeyRule{"name", Field::name, 0, true},
    KeyRule{"timestamp", Field::start_ms, 0, true},
    KeyRule{"duration.ms", Field::duration_ms, 0, true},
    KeyRule{"duration", Field::duration_s, 1, true},  // agents: seconds
    KeyRule{"service.name", Field::service, 0, false},
    KeyRule{"entity.name", Field::service, 1, true},
    KeyRule{"appName", Field::service, 2, true},
    KeyRule{"host", Field::host, 0, false},
    KeyRule{"host.name", Field::host, 1, false},
    KeyRule{"host.id", Field::host, 2, false},
    KeyRule{"hostname", Field::host, 3, false},
    KeyRule{"ip", Field::host, 4, false},
    KeyRule{"span.kind", Field::kind, 0, false},
    KeyRule{"category", Field::category, 0, true},
    KeyRule{"otel.status_code", Field::status_code, 0, false},
    KeyRule{"error.message", Field::error_message, 0, false},
    KeyRule{"otel.status_description", Field::error_message, 1, false},
    KeyRule{"error.class", Field::error_class, 0, false},
    KeyRule{"error.type", Field::error_class, 1, false},
    KeyRule{"error.expected", Field::error_expected, 0, true},
    KeyRule{"error", Field::error_flag, 0, false},
    KeyRule{"http.statusCode", Field::http_status, 0, false},
    KeyRule{"http.response.status_code", Field::http_status, 1, false},
    KeyRule{"http.status_code", Field::http_status, 2, false},
    KeyRule{"db.system", Field::db_system, 0, false},
    KeyRule{"db.system.name", Field::db_system, 1, false},
    KeyRule{"db.type", Field::db_system, 2, false},
    KeyRule{"db.statement", Field::db_statement, 0, false},
    KeyRule{"db.query.text", Field::db_statement, 1, false},
    KeyRule{"sql.query", Field::db_statement, 2, false},        // Zipkin (Brave)
    KeyRule{"cassandra.query", Field::db_statement, 3, false},  // Zipkin (Cassandra driver)
    KeyRule{"sql", Field::db_statement, 4, false},              // Jaeger Java JDBC
    KeyRule{"http.method", Field::http_method, 0, false},
    KeyRule{"http.request.method", Field::http_method, 1, false},
    KeyRule{"http.url", Field::http_url, 0, false},
    KeyRule{"url.full", Field::http_url, 1, false},
    KeyRule{"http.path", Field::http_url, 2, false},
    KeyRule{"http.route", Field::http_route, 0, false},
    KeyRule{"peer.hostname", Field::peer_host, 0, false},
    KeyRule{"server.address", Field::peer_host, 1, false},
    KeyRule{"net.peer.name", Field::peer_host, 2, false},
    KeyRule{"peer.service", Field::peer_host, 3, false},
    KeyRule{"code.function", Field::code_function, 0, false},
    KeyRule{"code.function.name", Field::code_function, 1, false},
    KeyRule{"code.filepath", Field::code_filepath, 0, false},
    KeyRule{"code.file.path", Field::code_filepath, 1, false},
    KeyRule{"code.lineno", Field::code_lineno, 0, false},
    KeyRule{"code.line.number", Field::code_lineno, 1, false},
    KeyRule{"messaging.destination.name", Field::messaging_destination, 0, false},
    KeyRule{"messaging.destination", Field::messaging_destination, 1, false},
};

constexpr std::size_t kBuckets = 256;  // power of two, well above 2x the rule count
static_assert(kRules.size() * 2 < kBuckets);

struct Index {
    std::array<std::int16_t, kBuckets> slot{};

    Index() {
        slot.fill(-1);
        for (std::size_t i = 0; i < kRules.size(); ++i) {
            std::size_t b = fnv1a(kRules[i].key) & (kBuckets - 1);
            while (slot[b] >= 0) {
                b = (b + 1) & (kBuckets - 1);
            }
            slot[b] = static_cast<std::int16_t>(i);
        }
    }
};

}  // namespace

const KeyRule* find_key_rule(std::string_view key) {
    static const Index kIndex;
    std::size_t b = fnv1a(key) & (kBuckets - 1);
    while (kIndex.slot[b] >= 0) {
        const KeyRule& rule = kRules[static_cast<std::size_t>(kIndex.slot[b])];
        if (rule.key == key) {
            return &rule;
        }
        b = (b + 1) & (kBuckets - 1);
    }
    return nullptr;
}

}  // namespace nra::formats
