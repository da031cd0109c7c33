#include "newrelic/nrql_rows.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace nra::nrql_rows {

using Json = nlohmann::json;

std::optional<double> number_of(const Json& value) {
    double d = 0;
    if (value.is_number()) {
        d = value.get<double>();
    } else if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        char* end = nullptr;
        d = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(d)) return std::nullopt;
    return d;
}

std::optional<std::string> text_of(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number()) return value.dump();
    return std::nullopt;
}

std::int64_t count_of(const Json& row, const std::string& key) {
    const auto it = row.find(key);
    const auto v = it == row.end() ? std::nullopt : number_of(*it);
    if (!v || *v <= 0) return 0;
    if (*v >= 9.2e18) return std::numeric_limits<std::int64_t>::max();
    return std::llround(*v);
}

const Json* percentiles_of(const Json& row, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        const auto it = row.find(key);
        if (it == row.end() || !it->is_object()) continue;
        const auto nested = it->find("percentiles");  // seen in some clients' renderings
        return nested != it->end() && nested->is_object() ? &*nested : &*it;
    }
    return nullptr;
}

std::optional<double> percentile(const Json* values, double rank) {
    if (values == nullptr) return std::nullopt;
    for (const auto& [key, value] : values->items()) {
        char* end = nullptr;
        const double k = std::strtod(key.c_str(), &end);
        if (!key.empty() && end == key.c_str() + key.size() && k == rank) return number_of(value);
    }
    return std::nullopt;
}

}  // namespace nra::nrql_rows
