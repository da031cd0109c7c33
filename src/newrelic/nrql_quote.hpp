// NRQL string literals. Strict validation of what users type is the first defence against NRQL
// injection (trace ids are hex only); this escaping is the second, for every string that enters
// a query. Reference: newrelic.md §6.10 (escape `\` first, then `'`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "nra/result.hpp"

namespace nra {

// NRQL's LIMIT MAX: the most facets (or rows) one query returns.
inline constexpr std::size_t kNrqlLimitMax = 5000;

// `'…'` with `\` → `\\` and `'` → `\'`. Control characters (including newlines) and invalid
// UTF-8 are refused: no legitimate service or span name carries them.
Result<std::string> nrql_quote(std::string_view text);

// True for 16 to 32 hex digits: the only trace ids ever put into a query.
bool is_query_safe_trace_id(std::string_view id);

}  // namespace nra
