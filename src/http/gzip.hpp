// Bounded gzip decoding for response bodies (internal to the HTTP client; pure, no I/O).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nra::http::detail {

enum class GunzipStatus { ok, too_large, corrupt };

// Inflates a gzip (or zlib) stream, concatenated members included, into `out`; stops with
// too_large as soon as the output would exceed `max_bytes`, so zip bombs cost no memory.
GunzipStatus gunzip(std::string_view in, std::size_t max_bytes, std::string& out);

}  // namespace nra::http::detail
