#include "document_parser.hpp"

#include <algorithm>
#include <cctype>

#include "nra/formats/formats.hpp"

namespace nra::formats {

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

std::string_view DocumentParser::prepare(std::string_view json, bool padded) {
    constexpr std::size_t kRetainLimit = std::size_t{8} << 20U;
    thread_local Storage cached;
    storage_ = &cached;
    if (json.size() > kRetainLimit) {
        fresh_ = std::make_unique<Storage>();
        storage_ = fresh_.get();
    }
    if (padded) {
        return json;
    }
    const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
    if (storage_->size < needed) {  // not zeroed first: the copy below writes every byte
        // NOLINTNEXTLINE(modernize-avoid-c-arrays): an uninitialized byte buffer
        storage_->buffer = std::make_unique_for_overwrite<char[]>(needed);
        storage_->size = needed;
    }
    std::copy(json.begin(), json.end(), storage_->buffer.get());
    std::fill_n(storage_->buffer.get() + json.size(), simdjson::SIMDJSON_PADDING, '\0');
    return {storage_->buffer.get(), json.size()};
}

simdjson::error_code DocumentParser::parse_prepared(std::string_view prepared, dom::element& root) {
    return storage_->parser.parse(prepared.data(), prepared.size(), false).get(root);
}

simdjson::error_code DocumentParser::parse(std::string_view json, dom::element& root) {
    return parse_prepared(prepare(json, false), root);
}

simdjson::ondemand::parser& DocumentParser::on_demand() {
    return storage_->on_demand;
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
