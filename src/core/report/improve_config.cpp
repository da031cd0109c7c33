// Threshold lookup for one endpoint (defaults, then matching overrides) and the glob they use.
#include "nra/report/improve_config.hpp"

namespace nra {

bool glob_match(const std::string& pattern, const std::string& text) {
    // Iterative matcher with one backtrack point (the last '*'): linear in practice, never
    // exponential on hostile patterns like "*a*a*a*b".
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string::npos;
    std::size_t star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

Thresholds thresholds_for(
    const ImproveConfig& config, const std::string& service, const std::string& endpoint
) {
    Thresholds out = config.defaults;
    for (const ThresholdOverride& o : config.overrides) {
        if (!glob_match(o.service, service) || !glob_match(o.endpoint, endpoint)) {
            continue;
        }
        out.p95_ms = o.p95_ms.value_or(out.p95_ms);
        out.error_rate = o.error_rate.value_or(out.error_rate);
        out.apdex_t_ms = o.apdex_t_ms.value_or(out.apdex_t_ms);
        out.apdex_min = o.apdex_min.value_or(out.apdex_min);
        out.min_throughput_rpm = o.min_throughput_rpm.value_or(out.min_throughput_rpm);
    }
    return out;
}

}  // namespace nra
