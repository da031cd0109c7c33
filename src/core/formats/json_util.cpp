#include "json_util.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace nra::formats {
namespace {

bool has_upper(std::string_view s) {
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') {
            return true;
        }
    }
    return false;
}

std::string_view lowered(std::string_view s, std::string& buf) {
    if (!has_upper(s)) {
        return s;
    }
    buf.assign(s);
    for (char& c : buf) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return buf;
}

// Divides or multiplies an integer count of `unit` into microseconds with range checks.
bool int_to_micros(std::int64_t value, TimeUnit unit, std::int64_t& out) {
    switch (unit) {
        case TimeUnit::nanoseconds:
            out = value / 1000;
            break;
        case TimeUnit::microseconds:
            out = value;
            break;
        case TimeUnit::milliseconds:
            if (value > kMaxMicros / 1000 || value < -kMaxMicros / 1000) {
                return false;
            }
            out = value * 1000;
            break;
        case TimeUnit::seconds:
            if (value > kMaxMicros / 1'000'000 || value < -kMaxMicros / 1'000'000) {
                return false;
            }
            out = value * 1'000'000;
            break;
    }
    return out <= kMaxMicros && out >= -kMaxMicros;
}

bool double_to_micros(double value, TimeUnit unit, std::int64_t& out) {
    static constexpr std::array<double, 4> kScale{1e-3, 1.0, 1e3, 1e6};
    double us = value * kScale[static_cast<std::size_t>(unit)];
    if (!std::isfinite(us) || std::fabs(us) > static_cast<double>(kMaxMicros)) {
        return false;
    }
    // Nanoseconds truncate like the integer path so both spellings of one time agree.
    out = unit == TimeUnit::nanoseconds ? static_cast<std::int64_t>(us) : std::llround(us);
    return true;
}

// A numeric string: an exact integer when it is one, otherwise a double.
Scalar parse_numeric(std::string_view s) {
    Scalar v;
    const char* end = s.data() + s.size();
    std::int64_t i = 0;
    auto [p, ec] = std::from_chars(s.data(), end, i);
    if (ec == std::errc() && p == end) {
        v.type = Scalar::Type::integer;
        v.i = i;
        return v;
    }
    std::uint64_t u = 0;
    auto [pu, ecu] = std::from_chars(s.data(), end, u);
    if (ecu == std::errc() && pu == end) {
        v.type = Scalar::Type::unsigned_integer;
        v.u = u;
        return v;
    }
    double d = 0;
    auto [pd, ecd] = std::from_chars(s.data(), end, d);
    if (ecd == std::errc() && pd == end && std::isfinite(d)) {
        v.type = Scalar::Type::number;
        v.d = d;
    }
    return v;
}

}  // namespace

Scalar to_scalar(dom::element e) {
    Scalar v;
    v.elem = e;
    using T = Scalar::Type;
    constexpr auto kOk = simdjson::SUCCESS;
    switch (e.type()) {
        case dom::element_type::STRING:
            v.type = e.get_string().get(v.text) == kOk ? T::string : T::null;
            break;
        case dom::element_type::INT64:
            v.type = e.get_int64().get(v.i) == kOk ? T::integer : T::null;
            break;
        case dom::element_type::UINT64:
            v.type = e.get_uint64().get(v.u) == kOk ? T::unsigned_integer : T::null;
            break;
        case dom::element_type::DOUBLE:
            v.type = e.get_double().get(v.d) == kOk ? T::number : T::null;
            break;
        case dom::element_type::BOOL:
            v.type = e.get_bool().get(v.b) == kOk ? T::boolean : T::null;
            break;
        case dom::element_type::ARRAY:
        case dom::element_type::OBJECT:
            v.type = T::compound;
            break;
        case dom::element_type::NULL_VALUE:
            break;
    }
    return v;
}

Scalar text_scalar(std::string_view text) {
    Scalar v;
    v.type = Scalar::Type::string;
    v.text = text;
    v.transient = true;
    return v;
}

bool to_micros(const Scalar& v, TimeUnit unit, std::int64_t& out) {
    switch (v.type) {
        case Scalar::Type::integer:
            return int_to_micros(v.i, unit, out);
        case Scalar::Type::unsigned_integer:
            if (unit == TimeUnit::nanoseconds && v.u <= std::uint64_t{1} << 62) {
                return int_to_micros(static_cast<std::int64_t>(v.u), unit, out);
            }
            return false;
        case Scalar::Type::number:
            return double_to_micros(v.d, unit, out);
        case Scalar::Type::string: {
            Scalar parsed = parse_numeric(v.text);
            return parsed.type != Scalar::Type::null && parsed.type != Scalar::Type::string &&
                   to_micros(parsed, unit, out);
        }
        default:
            return false;
    }
}

bool to_int(const Scalar& v, int& out) {
    constexpr auto kMin = static_cast<double>(std::numeric_limits<int>::min());
    constexpr auto kMax = static_cast<double>(std::numeric_limits<int>::max());
    switch (v.type) {
        case Scalar::Type::integer:
            if (v.i < std::numeric_limits<int>::min() || v.i > std::numeric_limits<int>::max()) {
                return false;
            }
            out = static_cast<int>(v.i);
            return true;
        case Scalar::Type::number:
            if (!std::isfinite(v.d) || v.d < kMin || v.d > kMax) {
                return false;
            }
            out = static_cast<int>(v.d);
            return true;
        case Scalar::Type::string: {
            Scalar parsed = parse_numeric(v.text);
            return (parsed.type == Scalar::Type::integer || parsed.type == Scalar::Type::number) &&
                   to_int(parsed, out);
        }
        default:
            return false;
    }
}

std::string_view scalar_text(const Scalar& v, std::string& buf) {
    std::array<char, 32> digits{};
    std::to_chars_result r{};
    switch (v.type) {
        case Scalar::Type::string:
            return v.text;
        case Scalar::Type::boolean:
            return v.b ? "true" : "false";
        case Scalar::Type::integer:
            r = std::to_chars(digits.data(), digits.data() + digits.size(), v.i);
            break;
        case Scalar::Type::unsigned_integer:
            r = std::to_chars(digits.data(), digits.data() + digits.size(), v.u);
            break;
        case Scalar::Type::number:
            r = std::to_chars(digits.data(), digits.data() + digits.size(), v.d);
            break;
        case Scalar::Type::compound:
            buf = simdjson::minify(v.elem);
            return buf;
        case Scalar::Type::null:
            return {};
    }
    buf.assign(digits.data(), r.ptr);
    return buf;
}

bool id_text(const Scalar& v, std::string& buf, std::string_view& out) {
    switch (v.type) {
        case Scalar::Type::string:
            out = lowered(v.text, buf);
            return true;
        case Scalar::Type::integer:
        case Scalar::Type::unsigned_integer:
            out = scalar_text(v, buf);
            return true;
        default:
            return false;
    }
}

namespace {

// Decodes standard or URL-safe base64 into lower-case hex; false unless exactly `bytes` bytes.
bool base64_to_hex(std::string_view raw, std::size_t bytes, std::string& buf) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static constexpr std::string_view kHex = "0123456789abcdef";
    buf.clear();
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : raw) {
        if (c == '=') {
            break;
        }
        const std::size_t pos = kAlphabet.find(c == '-' ? '+' : c == '_' ? '/' : c);
        if (pos == std::string_view::npos) {
            return false;
        }
        acc = (acc << 6U) | static_cast<std::uint32_t>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            const auto byte = static_cast<unsigned>((acc >> static_cast<unsigned>(bits)) & 0xFFU);
            buf.push_back(kHex[byte >> 4U]);
            buf.push_back(kHex[byte & 0xFU]);
        }
    }
    return buf.size() == bytes * 2;
}

}  // namespace

std::string_view otlp_id_text(std::string_view raw, std::size_t bytes, std::string& buf) {
    // Base64 of `bytes` bytes is 4*ceil(bytes/3) chars; hex would be twice the byte count.
    if (raw.size() == (bytes + 2) / 3 * 4 && base64_to_hex(raw, bytes, buf)) {
        return buf;
    }
    return lowered(raw, buf);
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

std::string one_line(std::string_view text, std::size_t max_chars) {
    std::string out;
    out.reserve(std::min(text.size(), max_chars + 3));
    for (char c : text) {
        if (out.size() >= max_chars) {
            out += "...";
            break;
        }
        out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    return out;
}

}  // namespace nra::formats
