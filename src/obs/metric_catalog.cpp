#include "obs/metric_catalog.hpp"

#include <array>

#include "obs/metrics.hpp"

namespace nra::obs {

void declare_bot_metrics(Registry& registry) {
    static constexpr std::array<FamilyInfo, 15> kFamilies{{
        {"nra_requests_total",
         "counter",
         "Requests answered, by route (socket: Socket Mode envelopes) and HTTP status",
         true},
        {"nra_ack_seconds",
         "histogram",
         "Time from a request's arrival to its answer (Slack waits 3 s)",
         true},
        {"nra_upstream_requests_total",
         "counter",
         "Requests to New Relic, Slack, Jira and others, by outcome",
         true},
        {"nra_upstream_request_seconds",
         "histogram",
         "Time of one request to another service, connect to last byte",
         true},
        {"nra_traces_fetched_total", "counter", "Trace fetches for analysis, by outcome", true},
        {"nra_spans_analysed_total", "counter", "Spans of the traces handed to the analysis"},
        {"nra_shared_dedup_hits_total", "counter", "Events another replica had already claimed"},
        {"nra_rate_limited_total", "counter", "Jobs refused by the per-user limit"},
        {"nra_jobs_failed_total", "counter", "Jobs that ended with an exception"},
        {"nra_dedup_hits_total",
         "counter",
         "Slack retries and double clicks answered without doing the work again"},
        {"nra_bad_signatures_total",
         "counter",
         "Requests refused for a missing, forged or stale Slack signature"},
        {"nra_busy_total", "counter", "Requests answered busy: the job queue was full"},
        kConnectionsShed,
        kConnectionsRefused,
        kMalformedRequests,
    }};
    for (const auto& family : kFamilies) {
        const bool upstream = family.name.starts_with("nra_upstream");
        const auto& bounds = family.type != "histogram" ? std::vector<double>{}
                             : upstream                 ? call_buckets()
                                                        : ack_buckets();
        registry.declare(family.name, family.help, family.type, family.labelled, bounds);
    }
}

}  // namespace nra::obs
