// Private: parsing a trace document with simdjson (buffers reused per thread), the byte-order
// mark, and parse errors in words.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "json_util.hpp"

namespace nra::formats {

// Parser and padded input buffer are reused per thread: allocating and first touching them costs
// as much as the parse itself. Inputs above kRetainLimit (8 MB, ~20,000 spans) get storage that is
// freed afterwards: kept, they cost ~3.3× the document for good on every CPU-pool thread of a
// server (~350 MB after one 300,000-span trace with the earlier 128 MB limit). A new parse
// invalidates the elements of the previous one on the same thread.
class DocumentParser {
public:
    // `json` with kJsonPadding readable bytes after it: itself when `padded` (a PaddedJson), else
    // a copy in this thread's buffer. Valid until the next prepare() on this thread.
    std::string_view prepare(std::string_view json, bool padded);
    // DOM parse of a prepared document.
    simdjson::error_code parse_prepared(std::string_view prepared, dom::element& root);
    // prepare() and parse_prepared() in one, for a document without the padding.
    simdjson::error_code parse(std::string_view json, dom::element& root);
    // The On-Demand parser that goes with the prepared document's storage.
    simdjson::ondemand::parser& on_demand();

private:
    struct Storage {
        dom::parser parser;
        simdjson::ondemand::parser on_demand;
        std::unique_ptr<char[]> buffer;  // NOLINT(modernize-avoid-c-arrays): uninitialized bytes
        std::size_t size = 0;
    };
    Storage* storage_ = nullptr;
    std::unique_ptr<Storage> fresh_;
};

// The text without a leading UTF-8 byte-order mark (EF BB BF), which editors on Windows and
// PowerShell's redirections write and JSON parsers refuse.
std::string_view without_bom(std::string_view json);

bool is_blank(std::string_view json);

// One-line message for a failed parse of `json` ("invalid JSON: …").
std::string parse_error(simdjson::error_code code, std::string_view json);

}  // namespace nra::formats
