// Private: mrkdwn pieces shared by the Slack summary message and the thread detail. Everything
// trace-derived is cleaned, escaped and clipped here, so callers only assemble.
#pragma once

#include <string>
#include <vector>

#include "nra/analysis/summary.hpp"
#include "nra/render/render.hpp"

namespace nra::render_detail {

// What the trace was (plain text): the request, else the root span, else "Trace <id>".
std::string request_label(const Summary& summary);
// The error to show as the origin: the first one marked origin; null when none is (all handled).
const ErrorInfo* origin_error(const Summary& summary);

// "*N+1 queries* in `svc` — saves *~410 ms* · _standing issue, usual for this request_" (the
// baseline context, when known) plus the summary sentence; `detailed` adds the statement,
// suggestion and location on their own lines. At most ~2,300 UTF-16 units.
std::string finding_item(const Finding& finding, std::size_t index, bool detailed);
// One error: marker, service and operation, HTTP status, class and message. At most ~1,200 units.
std::string error_item(const ErrorInfo& error);
// One slow span: self and total duration, service and operation, and "×26 (usually 35 ms)" once
// baselines are applied.
std::string slow_span_item(const SlowSpan& span);

// Context line: trace id, span and service counts, complete/incomplete, link when set.
std::vector<std::string> context_elements(const Summary& summary, const RenderOptions& options);

}  // namespace nra::render_detail
