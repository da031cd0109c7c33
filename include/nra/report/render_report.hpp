// Report renderers: terminal text, Report JSON (PRODUCT.md contract) and Slack Block Kit (channel
// summary, one thread message per endpoint with a Jira button, services overview). Pure; Block Kit
// output always stays inside Slack's limits (50 blocks, 3,000-unit sections, 150-unit headers).
#pragma once

#include <string>
#include <vector>

#include "nra/render/block_message.hpp"
#include "nra/report/report.hpp"

namespace nra {

// Action id and label of the button under each endpoint detail; its value is the compact JSON
// {"s": service, "e": endpoint} (at most 2,000 characters: a long endpoint name is shortened).
inline constexpr const char* kImproveJiraAction = "improve_jira";

std::string render_report_text(const Report& report, int width = 100);

// {service, kind, window {since, until, since_ms, until_ms}, judged, breaching, low_traffic,
//  endpoints [{name, count, throughput_rpm, avg_ms, p50_ms, p95_ms, p99_ms, error_rate, apdex,
//   impact, impact_basis, time_share, change, low_traffic, thresholds {…}, breaches [{metric,
//   value, threshold, lingering}], previous {…same metrics…} | null, suggestions [{kind, service,
//   what, traces_with, traces_sampled, total_ms, saving_ms, advice, code_url}],
//   sample_trace_ids}],
//  slos [{name, kind, target, window_days, attainment, budget_remaining, burn_rate, problem}],
//  notes}. since/until are ISO 8601 UTC; missing figures are null.
std::string render_report_json(const Report& report);

// Channel message {"text", "blocks"}: headline (how many endpoints break which target, SLO budget
// left), then the shown endpoints one line each.
BlockMessage render_report_blocks_summary(const Report& report);
// Thread messages, one per shown endpoint that breaches: figures, breaches, change, suggestions
// with code links, sample trace ids, and the "Create Jira ticket" button.
std::vector<BlockMessage> render_report_blocks_details(const Report& report);
// /improve without a service: services ordered by breaching endpoints, then SLO budget left.
BlockMessage render_services_overview(const std::vector<Report>& reports);

}  // namespace nra
