// Statement and URL shapes: literals, numbers, IN-lists and ids become `?`/`*` so that the same
// query or endpoint with different parameters groups together.
#pragma once

#include <string>
#include <string_view>

namespace nra {

// "SELECT * FROM t WHERE id = 42 AND name = 'x' AND k IN (1,2,3)" →
// "SELECT * FROM t WHERE id = ? AND name = ? AND k IN (?)". Whitespace collapsed.
std::string normalize_statement(std::string_view sql);

// "https://api.x.com/users/123/orders?id=9" → "api.x.com/users/*/orders" (numbers, UUIDs, long
// hex segments become *; query string dropped; scheme dropped).
std::string normalize_url(std::string_view url);

}  // namespace nra
