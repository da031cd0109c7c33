// libFuzzer harness for the recorded baseline-answer reader (read_baseline_results in
// src/newrelic/baseline_results.cpp). Any input: a value or a short one-line error. A value holds
// distinct non-empty (service, name) keys, non-negative counts and finite, non-negative-or-absent
// percentiles; written back as a bare results array it reads back to the same stats.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "newrelic/baseline_results.hpp"
#include "nra/analysis/baseline.hpp"

namespace nra::fuzz::baseline {

using nra::fuzz::check;
using Json = nlohmann::json;

void check_value(const std::optional<double>& v) {
    check(!v || std::isfinite(*v), "percentile is not finite");
}

// The stats as rows of the shape the reader documents, to read them back.
std::string rows_of(const std::vector<nra::BaselineStats>& stats) {
    Json rows = Json::array();
    for (const auto& s : stats) {
        Json ms = Json::object();
        if (s.p50_ms) ms["50"] = *s.p50_ms;
        if (s.p90_ms) ms["90"] = *s.p90_ms;
        if (s.p99_ms) ms["99"] = *s.p99_ms;
        rows.push_back({{"facet", {s.key.service, s.key.name}}, {"samples", s.count}, {"ms", ms}});
    }
    return rows.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Every check on one input; aborts (throws when replayed by a test) on a violation.
inline void one_input(std::string_view input) {
    const auto result = nra::read_baseline_results(input);
    if (!result) {
        nra::fuzz::check_error_line(result.error(), 300);
        return;
    }
    std::set<nra::BaselineKey> keys;
    for (const auto& s : *result) {
        check(!s.key.service.empty() && !s.key.name.empty(), "empty service or name");
        check(keys.insert(s.key).second, "the same key twice");
        check(s.count >= 0, "negative sample count");
        check_value(s.p50_ms);
        check_value(s.p90_ms);
        check_value(s.p99_ms);
    }
    const auto again = nra::read_baseline_results(rows_of(*result));
    check(again.ok() && again->size() == result->size(), "stats do not read back");
    for (std::size_t i = 0; i < result->size(); ++i) {
        const auto& a = (*result)[i];
        const auto& b = (*again)[i];
        check(
            a.key == b.key && a.count == b.count && a.p50_ms == b.p50_ms && a.p90_ms == b.p90_ms &&
                a.p99_ms == b.p99_ms,
            "stats changed on the way back",
            a.key.service
        );
    }
}

}  // namespace nra::fuzz::baseline

#ifndef NRA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nra::fuzz::baseline::one_input(nra::fuzz::as_text(data, size));
    return 0;
}
#endif
