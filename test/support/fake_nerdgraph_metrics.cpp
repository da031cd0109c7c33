#include "support/fake_nerdgraph_metrics.hpp"

#include <fmt/format.h>

#include <functional>

#include "support/fake_nerdgraph.hpp"

namespace nra::test {
namespace {

FakeValue text_or_null(const std::string& text) {
    return text.empty() ? FakeValue{} : FakeValue{text};
}

// Attributes both dialects carry when set.
FakeValue common_attribute(const FakeRequestEvent& e, const std::string& name) {
    if (name == "enduser.id") return text_or_null(e.user_id);
    if (name == "error.class" && e.kind == ServiceKind::apm) return text_or_null(e.error_class);
    if (name == "error.message" && e.kind == ServiceKind::apm) return text_or_null(e.error_message);
    if (name == "otel.status_description" && e.kind == ServiceKind::otel && e.error) {
        return text_or_null(e.error_message);
    }
    return {};
}

FakeValue apm_attribute(const FakeRequestEvent& e, const std::string& name) {
    if (name == "appName") return e.service;
    if (name == "duration") return e.duration_ms / 1000.0;
    if (name == "traceId") return text_or_null(e.trace_id);
    if (e.span_event) return name == "entity.name" ? FakeValue{e.service} : FakeValue{};
    if (name == "error") return e.error;
    return {};
}

FakeValue extra_attribute(const FakeRequestEvent& e, const std::string& name) {
    const auto it = e.extra.find(name);
    return it == e.extra.end() ? FakeValue{} : FakeValue{it->second};
}

}  // namespace

FakeValue fake_attribute(const FakeRequestEvent& e, const std::string& name) {
    if (auto v = extra_attribute(e, name); !std::holds_alternative<std::monostate>(v)) return v;
    if (auto v = common_attribute(e, name); !std::holds_alternative<std::monostate>(v)) return v;
    if (name == "name") return e.endpoint;
    if (name == "timestamp") return static_cast<double>(e.timestamp_ms);
    if (e.kind == ServiceKind::apm) return apm_attribute(e, name);
    if (name == "service.name" || name == "entity.name") return e.service;
    if (name == "duration.ms") return e.duration_ms;
    if (name == "otel.status_code") return e.error ? FakeValue{std::string("ERROR")} : FakeValue{};
    if (name == "span.kind") return text_or_null(e.span_kind);
    if (name == "trace.id") return text_or_null(e.trace_id);
    return {};
}

bool is_span_row(const FakeRequestEvent& e) {
    return e.kind == ServiceKind::otel || e.span_event;
}

FakeValue fake_attribute(const FakeEvent& e, const std::string& name) {
    if (e.request != nullptr) return fake_attribute(*e.request, name);
    if (name == "timestamp") return static_cast<double>(e.log->timestamp_ms);
    if (name == "message") return e.log->message;
    const auto it = e.log->attributes.find(name);
    return it == e.log->attributes.end() ? FakeValue{} : it->second;
}

std::string fake_event_type(const FakeEvent& e) {
    if (e.log != nullptr) return e.log->type;
    return is_span_row(*e.request) ? "Span" : "Transaction";
}

std::int64_t fake_timestamp(const FakeEvent& e) {
    return e.request != nullptr ? e.request->timestamp_ms : e.log->timestamp_ms;
}

std::vector<FakeRequestEvent> make_request_events(
    const std::string& service, ServiceKind kind, const FakeEndpointSpec& spec
) {
    std::vector<FakeRequestEvent> events;
    const auto seed = std::hash<std::string>{}(service + '\n' + spec.name);
    const auto span = spec.to_ms - spec.from_ms;
    for (std::size_t i = 0; i < spec.requests; ++i) {
        FakeRequestEvent e;
        e.service = service;
        e.kind = kind;
        e.endpoint = spec.name;
        const auto step = span * static_cast<std::int64_t>(i);
        e.timestamp_ms = spec.from_ms + step / static_cast<std::int64_t>(spec.requests);
        e.duration_ms =
            spec.durations_ms.empty() ? 0.0 : spec.durations_ms[i % spec.durations_ms.size()];
        e.error = i < spec.errors;
        e.trace_id = fmt::format("{:016x}{:016x}", seed, i + 1);
        events.push_back(std::move(e));
    }
    return events;
}

std::vector<FakeRequestEvent> make_span_events(
    const std::string& service,
    ServiceKind kind,
    const std::string& name,
    const std::vector<double>& durations_ms,
    std::int64_t from_ms,
    std::int64_t to_ms,
    const std::string& trace_id
) {
    FakeEndpointSpec spec{name, durations_ms.size(), durations_ms, 0, from_ms, to_ms};
    auto events = make_request_events(service, kind, spec);
    for (auto& e : events) {
        e.span_event = kind == ServiceKind::apm;
        e.span_kind = kind == ServiceKind::otel ? "internal" : "";
        if (!trace_id.empty()) e.trace_id = trace_id;
    }
    return events;
}

void FakeMetricsStore::add(std::int64_t account, std::vector<FakeRequestEvent> events) {
    const std::lock_guard lock(mutex_);
    auto& list = events_[account];
    for (auto& e : events) list.push_back(std::move(e));
}

void FakeMetricsStore::add_logs(std::int64_t account, std::vector<FakeLogEvent> events) {
    const std::lock_guard lock(mutex_);
    auto& list = logs_[account];
    for (auto& e : events) list.push_back(std::move(e));
}

std::optional<nlohmann::json> FakeMetricsStore::answer(
    const std::set<std::int64_t>& accounts, const std::string& nrql
) const {
    const std::lock_guard lock(mutex_);
    std::vector<FakeEvent> events;
    for (const auto account : accounts) {
        if (const auto it = events_.find(account); it != events_.end()) {
            for (const auto& e : it->second) events.push_back(FakeEvent{&e, nullptr});
        }
        if (const auto it = logs_.find(account); it != logs_.end()) {
            for (const auto& e : it->second) events.push_back(FakeEvent{nullptr, &e});
        }
    }
    return evaluate_nrql(nrql, events);
}

void FakeNerdGraph::add_requests(std::int64_t account, std::vector<FakeRequestEvent> events) {
    metrics_->add(account, std::move(events));
}

void FakeNerdGraph::add_logs(std::int64_t account, std::vector<FakeLogEvent> events) {
    metrics_->add_logs(account, std::move(events));
}

void FakeNerdGraph::add_service_stats(
    std::int64_t account,
    const std::string& service,
    ServiceKind kind,
    const std::vector<FakeEndpointSpec>& endpoints
) {
    std::vector<FakeRequestEvent> events;
    for (const auto& spec : endpoints) {
        auto more = make_request_events(service, kind, spec);
        events.insert(events.end(), more.begin(), more.end());
    }
    metrics_->add(account, std::move(events));
}

}  // namespace nra::test
