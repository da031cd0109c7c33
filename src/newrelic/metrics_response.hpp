// Reading the answers to metrics_queries.hpp's NRQL (the `results` array of one nrql answer).
// Pure and defensive (reference newrelic.md §3.3): a facet is a string or an array (first item)
// or only the attribute key; percentiles are objects keyed "95" or "95.0"; null or missing
// values mean "no data"; numbers may arrive as strings. Rows of a COMPARE WITH "previous" half
// are skipped. Only a document that is not a JSON array of rows is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nra/analysis/incident_window.hpp"
#include "nra/report/endpoint_stats.hpp"
#include "nra/result.hpp"

namespace nra::newrelic {

// The sum of `key` over all rows (one row without FACET); 0 without rows.
Result<std::int64_t> parse_total(std::string_view rows_json, std::string_view key);

struct EndpointRows {
    std::vector<EndpointStats> endpoints;  // rows with a facet name, in New Relic's order
    std::size_t rows = 0;                  // rows received (compare with the LIMIT asked for)
};

// Rows of endpoint_stats_nrql(); durations are converted to ms (APM answers are in seconds).
Result<EndpointRows> parse_endpoint_stats(std::string_view rows_json, ServiceKind kind);

struct NamedCounts {
    std::string name;  // the facet (endpoint) name; empty for a query without FACET
    SloCounts counts;
};

// Rows of slo_counts_nrql(): 'valid', 'bad', 'recentValid', 'recentBad'.
Result<std::vector<NamedCounts>> parse_slo_counts(std::string_view rows_json);

struct FacetValue {
    std::string name;
    double value = 0;
};

// (facet, `key`) pairs, e.g. trace ids with their 'slowest' duration or services with their
// 'requests'; `attribute` is the faceted attribute, read when `facet` is absent.
Result<std::vector<FacetValue>> parse_facet_values(
    std::string_view rows_json, std::string_view key, std::string_view attribute
);

// Rows of window_samples_nrql(): per endpoint (facet), the ids of 'failed', 'slow' and
// 'typical' (arrays of text; anything else is skipped), as WindowSamples in row order.
Result<std::vector<WindowSample>> parse_window_samples(std::string_view rows_json);

// Adds the endpoints of another group of accounts: counts and rates add up, the average is
// weighted by requests, max is the larger one; percentiles cannot be combined exactly, so the
// busier side's are kept.
void merge_endpoint_stats(std::vector<EndpointStats>& into, const std::vector<EndpointStats>& more);

// Up to `max` of `names` that look like `wanted`: same text in another case first, then names
// containing it or contained in it, then small edit distances; ties keep the order of `names`.
std::vector<std::string> similar_names(
    std::string_view wanted, const std::vector<std::string>& names, std::size_t max
);

}  // namespace nra::newrelic
