// Private to render_json: the Summary JSON's two long arrays (critical path, path rows) written
// straight into the output text, byte for byte as nlohmann's dump(2) would write them. A 1M-span
// trace has over a million segments: as nlohmann objects they took 12 s and gigabytes; written
// here they take a fraction of a second (docs/benchmarks.md, "Speed and memory"). The tests compare
// both writers on hostile strings and numbers.
#pragma once

#include <string>
#include <string_view>

namespace nra::render_detail {

// A JSON string as nlohmann writes it (ensure_ascii off, invalid UTF-8 replaced by U+FFFD).
void append_json_string(std::string& out, std::string_view text);
// A number as nlohmann writes a double: shortest round trip, "3.0" for integral values, null when
// not finite.
void append_json_number(std::string& out, double value);

// The members of one object, pretty-printed as nlohmann's dump(2) prints an object at `depth`
// (an object in a top-level member's array: 2, members at 6 spaces; one nested in it: 3).
class PrettyObject {
public:
    explicit PrettyObject(std::string& out, int depth = 2);
    PrettyObject& text(std::string_view key, std::string_view value);
    PrettyObject& number(std::string_view key, double value);
    PrettyObject& integer(std::string_view key, long long value);
    PrettyObject& null(std::string_view key);
    // An object as the value of `key`: fill and close it before going on with this one.
    PrettyObject object(std::string_view key);
    void close();

private:
    void key(std::string_view name);
    std::string& out_;
    int depth_;
    bool first_ = true;
};

// The array around such objects: "[\n" before the first, ",\n" between, "\n  ]" after ("[]" when
// empty).
class PrettyArray {
public:
    explicit PrettyArray(std::string& out) : out_(out) {}
    std::string& next();  // call before each object
    void close();

private:
    std::string& out_;
    bool empty_ = true;
};

}  // namespace nra::render_detail
