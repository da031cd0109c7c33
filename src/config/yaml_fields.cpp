#include "config/yaml_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "nra/edit_distance.hpp"

namespace nra::config::detail {
namespace {

// Bounds that keep a hostile file (aliases repeated many times) from multiplying memory.
constexpr std::size_t kMaxTextBytes = 2048;
constexpr std::size_t kMaxKeyBytes = 256;
constexpr std::size_t kMaxItems = 1000;
constexpr std::size_t kMaxWarnings = 20;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0)
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0)
        s.remove_suffix(1);
    return s;
}

const std::string& scalar(const Source& src, const Field& f, std::string_view expected) {
    if (!f.node.IsScalar())
        fail(src, f, fmt::format("must be {}, got {}", expected, describe(f.node)));
    return f.node.Scalar();
}

std::optional<double> parse_double(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double value = 0;
    const auto* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, value);
    if (s.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<long long> parse_integer(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    long long value = 0;
    const auto* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, value);
    if (s.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

std::string suggestion(std::string_view word, const std::vector<std::string_view>& choices) {
    const auto best = closest(word, choices);
    return best.empty() ? std::string{} : fmt::format(" (did you mean \"{}\"?)", best);
}

}  // namespace

std::string describe(const YAML::Node& node) {
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    if (!node.IsScalar()) return "nothing";
    const auto& s = node.Scalar();
    if (s.empty()) return "\"\"";
    if (s.size() > 60) return fmt::format("{}…", s.substr(0, 60));
    return s;
}

void fail(const Source& src, const Field& at, std::string_view what) {
    if (at.path.empty()) throw ConfigError{fmt::format("{}:{}: {}", src.file, at.line, what)};
    throw ConfigError{fmt::format("{}:{}: {}: {}", src.file, at.line, at.path, what)};
}

void warn(Source& src, const Field& at, std::string_view what) {
    if (src.warnings.size() > kMaxWarnings) return;
    if (src.warnings.size() == kMaxWarnings) {
        src.warnings.push_back(fmt::format("{}: further warnings omitted", src.file));
    } else if (at.path.empty()) {
        src.warnings.push_back(fmt::format("{}:{}: {}", src.file, at.line, what));
    } else {
        src.warnings.push_back(fmt::format("{}:{}: {}: {}", src.file, at.line, at.path, what));
    }
}

Mapping::Mapping(Source& src, Field field, std::initializer_list<std::string_view> known)
    : self_(std::move(field)) {
    const std::vector<std::string_view> names(known);
    read(src, &names);
}

Mapping::Mapping(Source& src, Field field) : self_(std::move(field)) {
    read(src, nullptr);
}

void Mapping::read(Source& src, const std::vector<std::string_view>* known) {
    if (self_.node.IsNull()) return;
    if (!self_.node.IsMap()) {
        fail(
            src, self_, fmt::format("must be a mapping (key: value), got {}", describe(self_.node))
        );
    }
    if (self_.node.size() > kMaxItems) fail(src, self_, "has too many entries");
    std::unordered_map<std::string, int> lines;
    for (const auto& entry : self_.node) {
        const int key_line = entry.first.Mark().line + 1;
        const Field key_at{entry.first, self_.path, key_line};
        const auto& key = scalar(src, key_at, "a plain key");
        if (key.size() > kMaxKeyBytes) fail(src, key_at, "has a key that is too long");
        if (auto [it, fresh] = lines.emplace(key, key_line); !fresh) {
            fail(
                src, key_at, fmt::format("duplicate key \"{}\" (first on line {})", key, it->second)
            );
        }
        if (known != nullptr && std::find(known->begin(), known->end(), key) == known->end()) {
            warn(
                src,
                key_at,
                fmt::format("unknown key \"{}\" ignored{}", key, suggestion(key, *known))
            );
            continue;
        }
        std::string path = known == nullptr     ? fmt::format("{}[\"{}\"]", self_.path, key)
                           : self_.path.empty() ? key
                                                : fmt::format("{}.{}", self_.path, key);
        const auto& value = entry.second;
        const int line = value.IsNull() ? key_line : value.Mark().line + 1;
        entries_.emplace_back(key, Field{value, std::move(path), line});
    }
}

std::optional<Field> Mapping::get(std::string_view key) const {
    for (const auto& [name, field] : entries_) {
        if (name == key) return field;
    }
    return std::nullopt;
}

std::vector<Field> items(const Source& src, const Field& field) {
    std::vector<Field> out;
    if (field.node.IsNull()) return out;
    if (!field.node.IsSequence()) {
        fail(
            src, field, fmt::format("must be a list (\"- \" lines), got {}", describe(field.node))
        );
    }
    if (field.node.size() > kMaxItems) fail(src, field, "has too many items");
    for (const auto& item : field.node) {
        const int line = item.IsNull() ? field.line : item.Mark().line + 1;
        out.push_back(Field{item, fmt::format("{}[{}]", field.path, out.size()), line});
    }
    return out;
}

std::string text(const Source& src, const Field& f) {
    const auto& s = scalar(src, f, "text");
    if (trim(s).empty()) fail(src, f, "must not be empty");
    if (s.size() > kMaxTextBytes) fail(src, f, "is too long");
    return std::string(trim(s));
}

bool boolean(const Source& src, const Field& f) {
    const auto s = lower(trim(scalar(src, f, "true or false")));
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail(src, f, fmt::format("must be true or false, got {}", describe(f.node)));
}

double number(const Source& src, const Field& f) {
    auto value = parse_double(scalar(src, f, "a number"));
    if (!value) fail(src, f, fmt::format("must be a number, got {}", describe(f.node)));
    return *value;
}

double positive(const Source& src, const Field& f) {
    const double value = number(src, f);
    if (value <= 0) fail(src, f, fmt::format("must be greater than 0, got {}", describe(f.node)));
    return value;
}

long long integer(const Source& src, const Field& f, long long lo, long long hi) {
    auto value = parse_integer(scalar(src, f, "a whole number"));
    if (!value || *value < lo || *value > hi) {
        fail(
            src,
            f,
            fmt::format("must be a whole number from {} to {}, got {}", lo, hi, describe(f.node))
        );
    }
    return *value;
}

double fraction(const Source& src, const Field& f, bool allow_one) {
    auto s = trim(scalar(src, f, "a percentage"));
    const bool percent = !s.empty() && s.back() == '%';
    if (percent) s.remove_suffix(1);
    auto value = parse_double(s);
    if (!value)
        fail(
            src,
            f,
            fmt::format("must be a percentage like 99.9% or 0.999, got {}", describe(f.node))
        );
    const double x = percent || *value > 1 ? *value / 100 : *value;
    if (x > 0 && (x < 1 || (allow_one && x <= 1))) return x;
    if (allow_one)
        fail(src, f, fmt::format("must be above 0 and at most 100 %, got {}", describe(f.node)));
    const std::string hint =
        !percent && *value == 1 ? " (a bare number up to 1 is a fraction: write 1% for one percent)"
                                : "";
    fail(
        src,
        f,
        fmt::format("must be between 0 and 100 % (exclusive), got {}{}", describe(f.node), hint)
    );
}

long long days(const Source& src, const Field& f) {
    auto s = trim(scalar(src, f, "a number of days"));
    if (!s.empty() && (s.back() == 'd' || s.back() == 'D')) s.remove_suffix(1);
    auto value = parse_integer(s);
    if (!value)
        fail(src, f, fmt::format("must be a number of days like 30d, got {}", describe(f.node)));
    return *value;
}

long long hours(const Source& src, const Field& f) {
    auto s = trim(scalar(src, f, "a number of hours"));
    long long per_unit = 1;
    if (!s.empty()) {
        const auto last = static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
        if (last == 'h' || last == 'd') {
            per_unit = last == 'd' ? 24 : 1;
            s.remove_suffix(1);
        }
    }
    const auto value = parse_integer(s);
    if (!value || *value < 0 || *value > 1'000'000) {
        fail(
            src, f, fmt::format("must be hours like 24h or days like 2d, got {}", describe(f.node))
        );
    }
    return *value * per_unit;
}

std::string one_of(
    const Source& src, const Field& f, std::initializer_list<std::string_view> choices
) {
    auto value = lower(trim(scalar(src, f, "a word")));
    const std::vector<std::string_view> names(choices);
    if (std::find(names.begin(), names.end(), value) != names.end()) return value;
    std::string list;
    for (auto name : names) list += fmt::format("{}{}", list.empty() ? "" : ", ", name);
    fail(
        src,
        f,
        fmt::format("must be one of {}, got {}{}", list, describe(f.node), suggestion(value, names))
    );
}

std::string_view closest(std::string_view word, const std::vector<std::string_view>& choices) {
    const auto w = lower(word);
    std::string_view best;
    std::size_t best_distance = 3;  // only suggest within 2 edits
    for (auto choice : choices) {
        const auto longer = std::max(w.size(), choice.size());
        if (longer - std::min(w.size(), choice.size()) >= best_distance) continue;
        const auto d = edit_distance(w, lower(choice));
        if (d < best_distance) {
            best = choice;
            best_distance = d;
        }
    }
    return best;
}

}  // namespace nra::config::detail
