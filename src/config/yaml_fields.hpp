// Typed, validated reads of yaml-cpp nodes for config files; every message names file:line: field.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nra::config::detail {

// The first problem in a config file. Thrown by the readers below and caught once, in
// parse_improve_config: with dozens of fields that can each fail, a Result per read would bury
// the rules in checks. Nothing outside src/config sees it.
struct ConfigError {
    std::string message;
};

// The file being read and the warnings collected so far.
struct Source {
    std::string file;
    std::vector<std::string> warnings;
};

// One value: its node, its path as the user would name it ("slos[0].target"), its 1-based line.
struct Field {
    YAML::Node node;
    std::string path;
    int line = 1;
};

// What the user wrote, for "got …": the scalar (shortened), "a list", "a mapping" or "nothing".
std::string describe(const YAML::Node& node);

[[noreturn]] void fail(const Source& src, const Field& at, std::string_view what);
void warn(Source& src, const Field& at, std::string_view what);

// Parses the text into one document (null when empty). yaml-cpp exceptions become ConfigError
// with the line; so do tabs in indentation, several documents and unclosed quotes (which
// yaml-cpp 0.7 accepts by running the string to the end of the file).
YAML::Node load_document(std::string_view text, const Source& src);

// A mapping's entries. Unknown keys are warned about, with a suggestion when one is close;
// duplicate keys are an error (yaml-cpp would silently keep the first). Null reads as empty.
class Mapping {
public:
    Mapping(Source& src, Field field, std::initializer_list<std::string_view> known);
    // Any keys allowed (e.g. service names).
    Mapping(Source& src, Field field);

    std::optional<Field> get(std::string_view key) const;
    const std::vector<std::pair<std::string, Field>>& entries() const { return entries_; }
    const Field& self() const { return self_; }

private:
    void read(Source& src, const std::vector<std::string_view>* known);

    Field self_;
    std::vector<std::pair<std::string, Field>> entries_;
};

// A sequence's items as fields "path[i]"; null reads as empty.
std::vector<Field> items(const Source& src, const Field& field);

std::string text(const Source& src, const Field& f);  // a non-empty scalar
bool boolean(const Source& src, const Field& f);
double number(const Source& src, const Field& f);  // finite
double positive(const Source& src, const Field& f);
long long integer(const Source& src, const Field& f, long long lo, long long hi);
// "99.9%", 99.9 (a bare number above 1 is a percentage) or 0.999, as a fraction: 0 < x < 1, or
// 0 < x <= 1 when allow_one.
double fraction(const Source& src, const Field& f, bool allow_one);
// Days as 30 or "30d".
long long days(const Source& src, const Field& f);
// Hours as 24, "24h" or "2d".
long long hours(const Source& src, const Field& f);
// One of `choices` (case-insensitive), returned lower-case; a near miss gets "did you mean".
std::string one_of(
    const Source& src, const Field& f, std::initializer_list<std::string_view> choices
);

// The closest of `choices` within edit distance 2, case-insensitive; empty when none.
std::string_view closest(std::string_view word, const std::vector<std::string_view>& choices);

}  // namespace nra::config::detail
