#include "document_parser.hpp"

#include <algorithm>
#include <cctype>

namespace nra::formats {

simdjson::error_code DocumentParser::parse(std::string_view json, dom::element& root) {
    constexpr std::size_t kRetainLimit = std::size_t{8} << 20U;
    thread_local Storage cached;
    Storage* storage = &cached;
    if (json.size() > kRetainLimit) {
        fresh_ = std::make_unique<Storage>();
        storage = fresh_.get();
    }
    const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
    if (storage->buffer.size() < needed) {
        storage->buffer.assign(needed, '\0');
    }
    std::copy(json.begin(), json.end(), storage->buffer.begin());
    std::fill_n(
        storage->buffer.begin() + static_cast<std::ptrdiff_t>(json.size()),
        simdjson::SIMDJSON_PADDING,
        '\0'
    );
    return storage->parser.parse(storage->buffer.data(), json.size(), false).get(root);
}

std::string_view without_bom(std::string_view json) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (json.substr(0, kBom.size()) == kBom) {
        json.remove_prefix(kBom.size());
    }
    return json;
}

bool is_blank(std::string_view json) {
    return std::all_of(json.begin(), json.end(), [](unsigned char c) { return std::isspace(c); });
}

std::string parse_error(simdjson::error_code code, std::string_view json) {
    if (json.substr(0, 2) == "\xFF\xFE" || json.substr(0, 2) == "\xFE\xFF") {
        return "invalid JSON: the input is UTF-16 text (it starts with a UTF-16 byte-order mark); "
               "save it as UTF-8";
    }
    switch (code) {
        case simdjson::DEPTH_ERROR:
            return "invalid JSON: nested more than " + std::to_string(simdjson::DEFAULT_MAX_DEPTH) +
                   " levels deep";
        case simdjson::CAPACITY:
            return "the trace file is too large to parse";
        default:
            return "invalid JSON: " + one_line(simdjson::error_message(code));
    }
}

}  // namespace nra::formats
