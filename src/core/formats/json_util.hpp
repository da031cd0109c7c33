// Private helpers of the trace readers: a flattened view of one JSON value, number and id
// conversions. Included only by src/core/formats/*.cpp (simdjson.h is heavy).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nra::formats {

namespace dom = simdjson::dom;

// One attribute value reduced to what the field mapper needs. `text` may point into a caller's
// scratch buffer: intern it before the buffer changes.
struct Scalar {
    enum class Type : std::uint8_t {
        null,
        string,
        integer,
        unsigned_integer,
        number,
        boolean,
        compound
    };
    Type type = Type::null;
    std::string_view text;
    bool transient = false;  // text lives in a reader's buffer, not in the parsed document
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0;
    bool b = false;
    dom::element elem;  // the raw value, for compound (array/object) values
};

enum class TimeUnit : std::uint8_t { nanoseconds, microseconds, milliseconds, seconds };

// Largest accepted timestamp/duration in microseconds (~36,000 years): keeps end_us() from
// overflowing.
inline constexpr std::int64_t kMaxMicros = std::int64_t{1} << 60;

// Reads a DOM value into a Scalar (no allocation).
Scalar to_scalar(dom::element e);
// A string scalar over text the reader built (e.g. an OTLP array joined); marked transient.
Scalar text_scalar(std::string_view text);

// Converts a number (or numeric string) in `unit` to microseconds; false if not a finite number in
// range.
bool to_micros(const Scalar& v, TimeUnit unit, std::int64_t& out);

// Integer value of a number or numeric string; false otherwise (or out of int range).
bool to_int(const Scalar& v, int& out);

// Text form of a scalar: strings as they are, numbers and bools printed, compounds minified.
// `buf` is scratch storage the result may point into.
std::string_view scalar_text(const Scalar& v, std::string& buf);

// Canonical id text: strings lower-cased, numbers printed in decimal. False for any other type.
bool id_text(const Scalar& v, std::string& buf, std::string_view& out);

// OTLP ids: lower-case hex, or base64 of `bytes` bytes decoded to hex. Empty stays empty.
std::string_view otlp_id_text(std::string_view raw, std::size_t bytes, std::string& buf);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

// Message safe for a one-line error: newlines become spaces, long text is cut.
std::string one_line(std::string_view text, std::size_t max_chars = 300);

// Object member lookup in error-code style: null element type when absent.
inline bool member(dom::object obj, std::string_view key, dom::element& out) {
    return obj.at_key(key).get(out) == simdjson::SUCCESS;
}

inline bool member_string(dom::object obj, std::string_view key, std::string_view& out) {
    return obj.at_key(key).get_string().get(out) == simdjson::SUCCESS;
}

inline bool member_array(dom::object obj, std::string_view key, dom::array& out) {
    return obj.at_key(key).get_array().get(out) == simdjson::SUCCESS;
}

inline bool member_object(dom::object obj, std::string_view key, dom::object& out) {
    return obj.at_key(key).get_object().get(out) == simdjson::SUCCESS;
}

}  // namespace nra::formats
