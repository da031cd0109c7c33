// Shared set-up of the NerdGraph context source tests: a fake NerdGraph holding Log events and
// Span events of both dialects around a fixed "now", and the source under test.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nerdgraph_harness.hpp"
#include "newrelic/nerdgraph_context_source.hpp"

namespace context_test {

using namespace nra;
using namespace nra::test;

constexpr std::int64_t kNow = 1'750'000'000'000;
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kOther = "0af7651916cd43dd8448eb211c80319c";

struct ContextHarness : NerdGraphHarness {
    ContextHarness() = default;

    newrelic::NerdGraphContextSource& source() {
        if (!source_) {
            client_ = std::make_unique<http::Client>(ioc.get_executor(), client_options);
            source_ = std::make_unique<newrelic::NerdGraphContextSource>(*client_, config, options);
        }
        return *source_;
    }

    LogResult logs(std::string trace = kTrace, std::size_t max = kMaxLogLines) {
        LogQuery q;
        q.trace_id = std::move(trace);
        q.from_ms = kNow - 10 * kMinute;
        q.to_ms = kNow;
        q.max_lines = max;
        q.deadline = deadline;
        return run_blocking(ioc, source().logs(std::move(q)));
    }

    BlastResult blast(BlastSubject subject) {
        BlastQuery q;
        q.subject = std::move(subject);
        q.until_ms = kNow;
        q.deadline = deadline;
        return run_blocking(ioc, source().blast_radius(std::move(q)));
    }

    std::size_t queries() const { return fake.nrql_log().size(); }

    std::chrono::milliseconds deadline{10'000};
    newrelic::ContextSourceOptions options;
    std::unique_ptr<http::Client> client_;
    std::unique_ptr<newrelic::NerdGraphContextSource> source_;
};

// A Log event `ms` before kNow with the given attributes.
inline FakeLogEvent log_at(
    std::int64_t ms_before, std::string message, std::map<std::string, FakeValue> attributes
) {
    return FakeLogEvent{kNow - ms_before, std::move(message), std::move(attributes)};
}

// One span of the subject at `at_ms`.
inline FakeRequestEvent span_at(
    const std::string& service,
    ServiceKind kind,
    const std::string& name,
    std::int64_t at_ms,
    double duration_ms = 100
) {
    FakeRequestEvent e;
    e.service = service;
    e.kind = kind;
    e.endpoint = name;
    e.timestamp_ms = at_ms;
    e.duration_ms = duration_ms;
    e.span_event = kind == ServiceKind::apm;
    e.trace_id = "1111111111111111";
    return e;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace context_test
