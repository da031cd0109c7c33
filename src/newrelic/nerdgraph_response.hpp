// Reading NerdGraph answers to `nrql` queries. Pure, beside its adapter so it is tested without a
// network. GraphQL errors arrive with HTTP 200 in `errors[]` (reference newrelic.md §1.4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "nra/result.hpp"

namespace nra::newrelic {

// What the user reads when an answer from New Relic cannot be read (the detail goes to the log).
inline constexpr const char* kUnreadableAnswer =
    "New Relic sent an answer nr-analyzer could not read";

enum class GraphqlError {
    none,
    timeout,       // errorClass TIMEOUT: retry with a longer nrql timeout
    rate_limited,  // errorClass TOO_MANY_REQUESTS (HTTP 200)
    server,        // INTERNAL_SERVER_ERROR, SERVER_ERROR
    bad_key,       // error_code BAD_API_KEY, errorClass UNAUTHORIZED/UNAUTHENTICATED
    access,        // FORBIDDEN / no access to an account
    syntax,        // "NRQL Syntax Error": we built a query New Relic refuses (a bug)
    other,
};

std::string_view to_string(GraphqlError error);

struct NrqlAnswer {
    std::string rows_json;  // the raw `results` array ("[...]"), empty when absent
    std::size_t row_count = 0;
    GraphqlError error = GraphqlError::none;  // first error that is not a deprecation warning
    std::string error_message;                // New Relic's text, one line, for logs
};

// Error only when the body is not a readable JSON object (malformed or truncated).
Result<NrqlAnswer> parse_nrql_answer(std::string_view body);

struct SpanStats {
    std::size_t count = 0;
    std::int64_t first_ms = 0;
    std::int64_t last_ms = 0;
};

// The single row of span_stats_nrql(): {"spans": N, "first": ms, "last": ms}; numbers may be
// floats or null (no rows).
Result<SpanStats> parse_span_stats(std::string_view rows_json);

}  // namespace nra::newrelic
