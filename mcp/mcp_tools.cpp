#include "mcp_tools.hpp"

#include <chrono>

#include "analyse_trace.hpp"
#include "improve_report.hpp"
#include "incident_report.hpp"
#include "nra/render/render.hpp"
#include "nra/render/render_incident.hpp"
#include "nra/report/render_report.hpp"
#include "nra/report/slo_digest.hpp"
#include "nra/trace_argument.hpp"
#include "slo_review_digest.hpp"

namespace nra::mcp {
namespace {

using boost::asio::awaitable;

ToolResult failed(std::string sentence) {
    ToolResult r;
    r.text = std::move(sentence);
    r.structured = nullptr;
    r.error = true;
    return r;
}

ToolResult done(std::string text, const std::string& json_text) {
    ToolResult r;
    r.text = std::move(text);
    r.structured = Json::parse(json_text, nullptr, false);
    if (r.structured.is_discarded()) return failed("internal error: the result is not JSON");
    return r;
}

// A string argument: absent → "", present but not a string → nullopt.
std::optional<std::string> text_arg(const Json& args, const char* name) {
    if (!args.is_object() || !args.contains(name) || args[name].is_null()) return std::string();
    if (!args[name].is_string()) return std::nullopt;
    return args[name].get<std::string>();
}

awaitable<ToolResult> analyze_trace(const Ports& ports, Json args) {
    const auto given = text_arg(args, "trace");
    if (!given || given->empty())
        co_return failed("`trace` is required: a trace id, a traceparent or a New Relic trace link."
        );
    auto arg = parse_trace_argument(*given);
    if (!arg) co_return failed(arg.error());
    AnalysisRequest request;
    request.query = TraceQuery{arg->trace_id, arg->alternates};
    auto analysing = analyse_trace(ports, std::move(request));  // named: GCC 12
    auto analysed = co_await std::move(analysing);
    if (!analysed) co_return failed(analysed.error());
    auto completing = complete_analysis(ports, std::move(analysed).value());  // named: GCC 12
    const auto analysis = co_await std::move(completing);
    co_return done(
        render_text(analysis->summary, ports.render), render_json(analysis->summary, ports.render)
    );
}

awaitable<ToolResult> improve_report(const Ports& ports, Json args) {
    const auto service = text_arg(args, "service");
    const auto window = text_arg(args, "window");
    if (!service || service->empty()) co_return failed("`service` is required, e.g. \"checkout\".");
    if (auto problem = check_service_name(*service); !problem.empty()) co_return failed(problem);
    if (!window) co_return failed("`window` is text such as \"7d\".");
    if (auto problem = improve_unavailable(ports); !problem.empty()) co_return failed(problem);
    ReportRequest request;
    request.service = *service;
    if (!window->empty() && (request.window_days = parse_window_days(*window)) == 0) {
        co_return failed("`window` must be 1–30 days, e.g. \"7d\".");
    }
    auto producing = produce_report(ports, std::move(request));  // named: GCC 12
    auto report = co_await std::move(producing);
    if (!report) co_return failed(report.error());
    co_return done(render_report_text(*report), render_report_json(*report));
}

awaitable<ToolResult> slo_review(const Ports& ports, Json args) {
    const auto service = text_arg(args, "service");
    if (!service) co_return failed("`service` is text, e.g. \"checkout\".");
    if (!service->empty() && *service != "all") {
        if (auto problem = check_service_name(*service); !problem.empty())
            co_return failed(problem);
    }
    if (auto problem = improve_unavailable(ports); !problem.empty()) co_return failed(problem);
    const auto now = ports.epoch_seconds ? ports.epoch_seconds() * 1000 : 0;
    auto producing = produce_slo_digest(ports, DigestRequest{*service, now});  // named: GCC 12
    auto digest = co_await std::move(producing);
    if (!digest) co_return failed(digest.error());
    co_return done(slo::render_digest_text(*digest), slo::render_digest_json(*digest));
}

awaitable<ToolResult> incident(const Ports& ports, Json args) {
    const auto service = text_arg(args, "service");
    const auto since = text_arg(args, "since");
    const auto endpoint = text_arg(args, "endpoint");
    if (!service || service->empty()) co_return failed("`service` is required, e.g. \"checkout\".");
    if (!since || !endpoint) co_return failed("`since` and `endpoint` are text.");
    IncidentRequest request;
    request.service = *service;
    request.endpoint = *endpoint;
    if (!since->empty()) {
        auto minutes = parse_incident_window(*since);
        if (!minutes) co_return failed("`since`: " + minutes.error());
        request.window_minutes = *minutes;
    }
    auto producing = produce_incident(ports, std::move(request));  // named: GCC 12
    auto report = co_await std::move(producing);
    if (!report) co_return failed(report.error());
    co_return done(render_incident_text(*report), render_incident_json(*report));
}

Json object_schema(Json properties, const std::vector<std::string>& required) {
    Json schema{
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = required;
    return schema;
}

Json output(Json properties, const std::vector<std::string>& required) {
    Json schema{{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) schema["required"] = required;
    return schema;
}

std::vector<Tool> make_tools() {
    const Json service{
        {"type", "string"},
        {"minLength", 1},
        {"maxLength", 255},
        {"description",
         "The service (New Relic entity or OpenTelemetry service.name), e.g. \"checkout\"."}};
    std::vector<Tool> out;
    out.push_back(Tool{
        "analyze_trace",
        "Analyse one New Relic distributed trace: request path, where the time went (critical "
        "path), unusual durations against the usual ones, errors and where they started, "
        "findings such as N+1 queries with the time each fix saves, and the ranked suspects with "
        "their evidence. Cite its numbers rather than estimating.",
        object_schema(
            {{"trace",
              {{"type", "string"},
               {"minLength", 1},
               {"maxLength", 4096},
               {"description",
                "A trace id (32 or 16 hex digits), a W3C traceparent, or a New Relic trace "
                "link."}}}},
            {"trace"}
        ),
        output(
            {{"trace_id", {{"type", "string"}}},
             {"duration_ms", {{"type", "number"}}},
             {"critical_path", {{"type", "array"}}},
             {"findings", {{"type", "array"}}},
             {"suspects", {{"type", "array"}}}},
            {"trace_id"}
        ),
        &analyze_trace});
    out.push_back(Tool{
        "improve_report",
        "The endpoints of a service that break their latency/error thresholds or burn SLO "
        "budget, ranked by impact, with the reasons found in their slowest traces.",
        object_schema(
            {{"service", service},
             {"window",
              {{"type", "string"},
               {"pattern", "^[0-9]{1,2}d?$"},
               {"description", "Days, 1–30, e.g. \"7d\"; default: the configured window."}}}},
            {"service"}
        ),
        output(
            {{"service", {{"type", "string"}}},
             {"endpoints", {{"type", "array"}}},
             {"slos", {{"type", "array"}}}},
            {"service", "endpoints"}
        ),
        &improve_report});
    out.push_back(Tool{
        "slo_review",
        "The SLO review digest: how each SLO did over its last windows, what spent the budget, "
        "and whether to keep, tighten or loosen it; reviews that are due.",
        object_schema(
            {{"service",
              {{"type", "string"},
               {"maxLength", 255},
               {"description", "Only this service's SLOs; default: every configured SLO."}}}},
            {}
        ),
        output(Json::object(), {}),
        &slo_review});
    out.push_back(Tool{
        "incident",
        "What is wrong with a service right now: its endpoints against their usual week, a "
        "sample of traces of those that fail or slowed down (rare endpoints too), and the ranked "
        "suspects with evidence (trace and span ids), changes (deployments, versions), blast "
        "radius and SLO burn. Says \"inconclusive\" rather than guessing.",
        object_schema(
            {{"service", service},
             {"since",
              {{"type", "string"},
               {"description", R"(The window, 5m to 24h, e.g. "30m" (default) or "2h".)"}}},
             {"endpoint",
              {{"type", "string"},
               {"maxLength", 1000},
               {"description", "Only this endpoint, e.g. \"POST /api/orders\"."}}}},
            {"service"}
        ),
        output(
            {{"service", {{"type", "string"}}},
             {"suspects", {{"type", "array"}}},
             {"endpoints", {{"type", "array"}}}},
            {"service", "suspects"}
        ),
        &incident});
    return out;
}

}  // namespace

const std::vector<Tool>& tools() {
    static const std::vector<Tool> table = make_tools();
    return table;
}

const Tool* find_tool(const std::string& name) {
    for (const auto& t : tools()) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

Json tool_listing(const Tool& tool) {
    return Json{
        {"name", tool.name},
        {"description", tool.description},
        {"inputSchema", tool.input_schema},
        {"outputSchema", tool.output_schema}};
}

}  // namespace nra::mcp
