// Private: plain sentences shared by the text, Slack and Jira renderings of a report, so all three
// say the same thing. Not escaped and not cleaned: callers do that for their medium.
#pragma once

#include <string>

#include "nra/report/report.hpp"

namespace nra::report_text {

// "checkout: improvement report, 2024-05-01 → 2024-05-08"
std::string title(const Report& report);
// "7 of 120 judged endpoints break their targets: 5 over p95, 3 over error rate, 1 under Apdex."
std::string headline(const Report& report);
// "checkout-availability (availability, 99.9 % over 30 days): attainment 99.87 %, budget left
// −30.00 % (spent), burning 2.10× now."
std::string slo_sentence(const SloReport& slo);
// "Low traffic: 0.4 rpm, under the 1.0 rpm needed to judge it."
std::string low_traffic_sentence(const EndpointReport& endpoint);
// "N+1 queries", "Slow query", "Critical path", …
std::string kind_label(const std::string& kind);
// "in 3 of 3 slowest traces, 1,230 ms in total, ~410 ms saved per request"
std::string suggestion_figures(const Suggestion& suggestion);
// kind label, service, what, figures and advice in one plain sentence.
std::string suggestion_sentence(const Suggestion& suggestion);

}  // namespace nra::report_text
