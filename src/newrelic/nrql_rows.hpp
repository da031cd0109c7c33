// Reading values out of NRQL `results` rows, defensively (reference newrelic.md §3.3): numbers
// may arrive as strings, null or missing means "no data", percentiles are objects keyed "95" or
// "95.0" (sometimes nested under "percentiles"). Shared by the metrics and baseline readers.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace nra::nrql_rows {

// A finite number, or a string holding exactly one; else nullopt.
std::optional<double> number_of(const nlohmann::json& value);

// A string, or a number as its JSON text; else nullopt.
std::optional<std::string> text_of(const nlohmann::json& value);

// A non-negative count under `key` (0 when missing, null, negative or not a number).
std::int64_t count_of(const nlohmann::json& row, const std::string& key);

// The first percentile object under one of `keys` (an alias, then New Relic's own key).
const nlohmann::json* percentiles_of(
    const nlohmann::json& row, std::initializer_list<const char*> keys
);

// One percentile of such an object; nullopt when absent or null.
std::optional<double> percentile(const nlohmann::json* values, double rank);

}  // namespace nra::nrql_rows
