// The /improve and baseline side of FakeNerdGraph: events per account (APM Transaction events,
// agent Span events or OpenTelemetry spans) and answers to aggregate NRQL over them. The NRQL is
// interpreted by a small evaluator (fake_nrql.cpp), not matched as text: service equality honours
// NRQL escaping, WHERE conditions, FACET, LIMIT (default 10, at most 5,000) and SINCE/UNTIL windows
// are applied as New Relic would, so a query that New Relic would read differently gets a different
// answer.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "nra/report/endpoint_stats.hpp"

namespace nra::test {

// One request or span. APM events are Transaction rows (appName, name, duration in s, error,
// traceId), or with `span_event` agent Span rows (entity.name, appName, name, duration in s,
// traceId); OTel events are Span rows (entity.name, service.name, name, duration.ms,
// otel.status_code = 'ERROR' on errors and absent otherwise, span.kind, trace.id). Both carry
// error.class, error.message (APM) or otel.status_description (OTel, errors only) and
// enduser.id when set.
struct FakeRequestEvent {
    std::string service;
    ServiceKind kind = ServiceKind::apm;
    std::string endpoint;
    std::int64_t timestamp_ms = 0;
    double duration_ms = 0;
    bool error = false;
    std::string trace_id;                      // empty: the attribute is absent
    std::string span_kind = "server";          // OTel only
    bool span_event = false;                   // APM only: an agent Span row, not a Transaction
    std::string error_class;                   // empty: absent
    std::string error_message;                 // empty: absent
    std::string user_id;                       // enduser.id; empty: absent
    std::map<std::string, std::string> extra;  // any other attribute (peer.service, db.name…)
};

// An attribute as New Relic stores it for the event's type: absent, number, text or boolean.
using FakeValue = std::variant<std::monostate, double, std::string, bool>;
FakeValue fake_attribute(const FakeRequestEvent& event, const std::string& name);
bool is_span_row(const FakeRequestEvent& event);  // FROM Span (else FROM Transaction)

// One `Log` event: `timestamp` and `message`, and any other attribute under its own name (so a
// test writes trace.id or trace_id, level or severity.text, as a source would).
struct FakeLogEvent {
    std::int64_t timestamp_ms = 0;
    std::string message;
    std::map<std::string, FakeValue> attributes;
    std::string type = "Log";  // or "Deployment", "ChangeTrackingEvent": any event type
};

// One event of any type, as the NRQL evaluator sees it (exactly one pointer is set).
struct FakeEvent {
    const FakeRequestEvent* request = nullptr;
    const FakeLogEvent* log = nullptr;
};
FakeValue fake_attribute(const FakeEvent& event, const std::string& name);
std::string fake_event_type(const FakeEvent& event);  // "Transaction", "Span", "Log"…
std::int64_t fake_timestamp(const FakeEvent& event);

struct FakeEndpointSpec {
    std::string name;
    std::size_t requests = 10;
    std::vector<double> durations_ms{100};  // cycled over the requests
    std::size_t errors = 0;                 // the first `errors` requests fail
    std::int64_t from_ms = 0;               // requests spread evenly over [from_ms, to_ms)
    std::int64_t to_ms = 0;
};

// The requests of one endpoint, each with its own 32-hex trace id.
std::vector<FakeRequestEvent> make_request_events(
    const std::string& service, ServiceKind kind, const FakeEndpointSpec& spec
);

// Span rows of one (service, span name) for baselines, one per duration, spread evenly over
// [from_ms, to_ms): agent spans for ServiceKind::apm, OpenTelemetry spans (span.kind internal)
// for otel. Each is in a trace of its own unless `trace_id` is given.
std::vector<FakeRequestEvent> make_span_events(
    const std::string& service,
    ServiceKind kind,
    const std::string& name,
    const std::vector<double>& durations_ms,
    std::int64_t from_ms,
    std::int64_t to_ms,
    const std::string& trace_id = {}
);

// Evaluates one NRQL query over `events`: the `results` rows, or nullopt when the query is not
// in the fake's dialect (the caller answers "NRQL Syntax Error"). Every aggregate must be
// aliased. FACET rows carry "facet" as a string for Transaction and as a one-item array for
// Span (an array of every value when several attributes are faceted) plus each attribute's key,
// and percentiles as objects keyed "50", "95", …, the shapes New Relic is seen to send.
// TIMESERIES rows carry beginTimeSeconds/endTimeSeconds; raw SELECTs of attributes (FROM Log,
// Span or Transaction) return the most recent events first, LIMIT 100 by default.
std::optional<nlohmann::json> evaluate_nrql(
    const std::string& nrql, const std::vector<FakeEvent>& events
);

class FakeMetricsStore {
public:
    void add(std::int64_t account, std::vector<FakeRequestEvent> events);
    void add_logs(std::int64_t account, std::vector<FakeLogEvent> events);
    std::optional<nlohmann::json> answer(
        const std::set<std::int64_t>& accounts, const std::string& nrql
    ) const;

private:
    mutable std::mutex mutex_;
    std::map<std::int64_t, std::vector<FakeRequestEvent>> events_;
    std::map<std::int64_t, std::vector<FakeLogEvent>> logs_;
};

}  // namespace nra::test
