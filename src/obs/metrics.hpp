// The bot's own metrics in Prometheus text format (GET /metrics): counters and histograms with
// labels, and gauges read at scrape time. One process-wide registry, safe from any thread.
// Label values are ours (routes, outcomes, upstream names), never user text or secrets.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nra::obs {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
public:
    // Counters: declared on first use; `help` is kept from the first call.
    void count(std::string_view name, std::string_view help, const Labels& labels, double n = 1);
    // Histograms of seconds, with `bounds` (upper bounds, ascending) fixed by the first call.
    void observe(
        std::string_view name,
        std::string_view help,
        const Labels& labels,
        double seconds,
        const std::vector<double>& bounds
    );
    // A family before its first sample, so a scrape lists it: an unlabelled counter at 0, a
    // labelled family (or a histogram) with its HELP and TYPE only. `type`: "counter" or
    // "histogram" (with `bounds`).
    void declare(
        std::string_view name,
        std::string_view help,
        std::string_view type,
        bool labelled,
        const std::vector<double>& bounds = {}
    );
    // Gauges computed when scraped (queue lengths, connection state). Replaces one of that name.
    void gauge(std::string_view name, std::string_view help, std::function<double()> read);

    // The text exposition format 0.0.4, families sorted by name.
    std::string render() const;
    // A counter's value (tests; 0 when never counted).
    double counter_value(std::string_view name, const Labels& labels) const;

    void clear();  // tests

private:
    struct Series {
        Labels labels;
        double value = 0;                    // counter value, or the histogram's sum
        std::vector<std::uint64_t> buckets;  // histogram: cumulative counts are built at render
        std::uint64_t count = 0;
    };
    struct Family {
        std::string name, help, type;  // "counter", "histogram", "gauge"
        std::vector<double> bounds;
        std::vector<Series> series;
        std::function<double()> read;
    };
    Family& family(std::string_view name, std::string_view help, std::string_view type);
    static Series& series(Family& f, const Labels& labels);

    mutable std::mutex mutex_;
    std::vector<Family> families_;
};

// The process-wide registry, with every family of the catalog declared (obs/metric_catalog.hpp).
Registry& registry();

// One answered request: nra_requests_total and nra_ack_seconds by route (a fixed label: "socket",
// "slack_events", "healthz"…, never the raw path) and status.
void record_request(
    const std::string& route, int status, std::chrono::steady_clock::time_point start
);

// Buckets for acknowledgements (Slack allows 3 s) and for calls to other services.
const std::vector<double>& ack_buckets();
const std::vector<double>& call_buckets();

}  // namespace nra::obs
