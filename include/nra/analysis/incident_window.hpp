// The live side of /incident: which endpoints of a service are off their usual latency and error
// rate in a window (from per-endpoint statistics of the window and of a usual period), and which
// of their traces to analyse. Pure and deterministic; the rules are in docs/incidents.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nra/report/endpoint_stats.hpp"
#include "nra/result.hpp"

namespace nra {

inline constexpr int kDefaultIncidentMinutes = 30;
inline constexpr int kMinIncidentMinutes = 5;
inline constexpr int kMaxIncidentMinutes = 24 * 60;  // an incident is now; a week is /improve's

// "15m", "90min", "1h", "2 hours" → minutes within [5 min, 24 h]; anything else an error
// sentence saying what is accepted.
Result<int> parse_incident_window(std::string_view text);
// True when the word is meant as a window ("15m", "7d", "2h"), valid or not.
bool looks_like_incident_window(std::string_view word);

struct EndpointDeviation {
    std::string name;
    std::int64_t requests = 0, errors = 0;  // in the window
    double rpm = 0, usual_rpm = 0;
    double error_rate = 0, usual_error_rate = 0;
    std::optional<double> p99_ms, usual_p99_ms, usual_p50_ms;
    bool failing = false;  // errors well above the usual rate
    bool slower = false;   // p99 well above the usual p99
    bool quieter = false;  // traffic fell to under a third of the usual rate (or stopped)
    bool is_new = false;   // no request in the usual period
    double weight = 0;     // how far off, per request (so rare endpoints weigh like busy ones)

    bool deviates() const { return failing || slower; }
};

// One line per endpoint of the window or of the usual period: deviating ones first (by weight),
// then quieter ones, then the rest by traffic. `stats.endpoints` is the window, `stats.previous`
// the usual period; rpm compares periods of different lengths.
std::vector<EndpointDeviation> endpoint_deviations(const ServiceStats& stats);

// "12 of 40 requests failed (30 %, usually 0.1 %); p99 2.3 s (usually 400 ms)": plain text.
std::string deviation_text(const EndpointDeviation& endpoint);

// A trace id New Relic offered for one endpoint of the window, and why.
struct WindowSample {
    enum class Reason { failed, slow, typical } reason = Reason::failed;
    std::string endpoint;
    std::string trace_id;
};
std::string_view to_string(WindowSample::Reason reason);

// What New Relic is asked about one endpoint: failed ids, ids slower than its usual p99 and
// typical ones (error-free, at most its usual median).
struct SampleEndpoint {
    std::string name;
    std::optional<double> slow_above_ms;     // none: no slow ids asked
    std::optional<double> typical_below_ms;  // none: no typical ids asked
};
// The deviating endpoints (at most `max`), with their thresholds.
std::vector<SampleEndpoint> sample_endpoints(
    const std::vector<EndpointDeviation>& endpoints, std::size_t max
);

// At most `max` traces covering every deviating endpoint: round-robin over the endpoints in the
// order given (a failed trace, then a slow one, per endpoint and round), then one typical request
// for each endpoint that got one (a quarter of `max` is kept for them). Ids appear once.
std::vector<WindowSample> choose_samples(
    const std::vector<WindowSample>& offered,
    const std::vector<SampleEndpoint>& endpoints,
    std::size_t max
);

}  // namespace nra
