// The /improve side of FakeNerdGraph: request events per account (APM Transaction events or
// OpenTelemetry spans) and answers to aggregate NRQL over them. The NRQL is interpreted by a
// small evaluator (fake_nrql.cpp), not matched as text: service equality honours NRQL escaping,
// WHERE conditions, FACET, LIMIT (default 10, at most 5,000) and SINCE/UNTIL windows are applied
// as New Relic would, so a query that New Relic would read differently gets a different answer.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nra/metrics.hpp"

namespace nra::test {

// One request. APM events are Transaction rows (appName, name, duration in s, error, traceId);
// OTel events are Span rows (service.name, name, duration.ms, otel.status_code = 'ERROR' on
// errors and absent otherwise, span.kind, trace.id).
struct FakeRequestEvent {
    std::string service;
    ServiceKind kind = ServiceKind::apm;
    std::string endpoint;
    std::int64_t timestamp_ms = 0;
    double duration_ms = 0;
    bool error = false;
    std::string trace_id;              // empty: the attribute is absent
    std::string span_kind = "server";  // OTel only
};

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

// Evaluates one NRQL query over `events`: the `results` rows, or nullopt when the query is not
// in the fake's dialect (the caller answers "NRQL Syntax Error"). Every aggregate must be
// aliased. FACET rows carry "facet" as a string for Transaction and as a one-item array for
// Span, and percentiles as objects keyed "50", "95", …, the shapes New Relic is seen to send.
std::optional<nlohmann::json> evaluate_nrql(
    const std::string& nrql, const std::vector<const FakeRequestEvent*>& events
);

class FakeMetricsStore {
public:
    void add(std::int64_t account, std::vector<FakeRequestEvent> events);
    std::optional<nlohmann::json> answer(
        const std::set<std::int64_t>& accounts, const std::string& nrql
    ) const;

private:
    mutable std::mutex mutex_;
    std::map<std::int64_t, std::vector<FakeRequestEvent>> events_;
};

}  // namespace nra::test
