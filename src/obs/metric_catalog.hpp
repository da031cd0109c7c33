// The families of the process-wide registry, declared when it is created so that a scrape lists
// every one from the start: unlabelled counters at 0, labelled families with their HELP and TYPE
// until their first sample. docs/production.md's metrics table documents the same names; an e2e
// test (metrics_documented) checks both ways. The events endpoint writes its own gauges and
// counters (jobs, dedup hits, signatures, busy answers) next to these.
#pragma once

#include <string_view>

namespace nra::obs {

class Registry;

struct FamilyInfo {
    std::string_view name;
    std::string_view type;  // "counter" or "histogram"
    std::string_view help;
    bool labelled = false;
};

// The HTTP server at its connection limit (ServerOptions::max_connections).
inline constexpr FamilyInfo kConnectionsShed{
    "nra_connections_shed_total",
    "counter",
    "Idle connections closed at the connection limit to make room for new ones"};
inline constexpr FamilyInfo kConnectionsRefused{
    "nra_connections_refused_total",
    "counter",
    "New connections closed at once at the connection limit: no connection was idle"};
inline constexpr FamilyInfo kMalformedRequests{
    "nra_malformed_requests_total",
    "counter",
    "Requests the HTTP server refused unread: malformed, or headers or body too large"};

// Declares every family above and those counted elsewhere (requests, upstream calls, traces,
// rate limits, shared dedup). A family's help is the first one given, so these texts win.
void declare_bot_metrics(Registry& registry);

}  // namespace nra::obs
