#include "core/render/json_rows.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

namespace nra::render_detail {

void append_json_string(std::string& out, std::string_view text) {
    if (!simdjson::validate_utf8(text.data(), text.size())) {
        // Rare (trace data is not guaranteed UTF-8): nlohmann's own replacement, exactly.
        out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out.push_back('"');
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<int>(c));
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

void append_json_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    // nlohmann's own conversion (Grisu2 and its layout: "3.0", "1.5e+15"), as its serializer
    // calls it: the same text, without a JSON value and a serializer per number.
    std::array<char, 64> buffer{};
    const char* end =
        nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

PrettyObject::PrettyObject(std::string& out, int depth) : out_(out), depth_(depth) {
    out_ += '{';
}

void PrettyObject::key(std::string_view name) {
    out_ += first_ ? "\n" : ",\n";
    first_ = false;
    out_.append(static_cast<std::size_t>(depth_ + 1) * 2, ' ');
    out_ += '"';
    out_ += name;
    out_ += "\": ";
}

PrettyObject& PrettyObject::text(std::string_view key_name, std::string_view value) {
    key(key_name);
    append_json_string(out_, value);
    return *this;
}

PrettyObject& PrettyObject::number(std::string_view key_name, double value) {
    key(key_name);
    append_json_number(out_, value);
    return *this;
}

PrettyObject& PrettyObject::integer(std::string_view key_name, long long value) {
    key(key_name);
    out_ += fmt::format_int(value).c_str();
    return *this;
}

PrettyObject& PrettyObject::null(std::string_view key_name) {
    key(key_name);
    out_ += "null";
    return *this;
}

PrettyObject PrettyObject::object(std::string_view key_name) {
    key(key_name);
    return PrettyObject(out_, depth_ + 1);
}

void PrettyObject::close() {
    if (first_) {
        out_ += '}';
        return;
    }
    out_ += '\n';
    out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
    out_ += '}';
}

std::string& PrettyArray::next() {
    out_ += empty_ ? "[\n    " : ",\n    ";
    empty_ = false;
    return out_;
}

void PrettyArray::close() {
    out_ += empty_ ? "[]" : "\n  ]";
}

}  // namespace nra::render_detail
