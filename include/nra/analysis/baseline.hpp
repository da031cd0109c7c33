// Baselines: how long a span of one (service, name) usually takes, and the verdict on this trace's
// spans against it ("slower than usual ×N", "normal", …). Pure values and functions; the New
// Relic query and the reader of its recorded answers live in src/newrelic/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nra/result.hpp"

namespace nra {

struct Span;

// A (service, span name) pair whose usual duration is asked for; for a client or database span
// also what it called (callee_key), so calls to different callees are not mixed.
struct BaselineKey {
    BaselineKey() = default;
    BaselineKey(std::string s, std::string n, std::string c = {})
        : service(std::move(s)), name(std::move(n)), callee(std::move(c)) {}
    std::string service;
    std::string name;
    std::string callee;  // empty: every span of (service, name)
    friend bool operator==(const BaselineKey&, const BaselineKey&) = default;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy misreads the defaulted <=>
    friend auto operator<=>(const BaselineKey&, const BaselineKey&) = default;
};

// Usual durations of one (service, name) over the baseline window (ms; nullopt: no value).
struct BaselineStats {
    BaselineKey key;
    std::int64_t count = 0;  // spans seen in the window (this trace excluded)
    std::optional<double> p50_ms, p90_ms, p99_ms;
};

enum class BaselineVerdict { normal, slower, faster, no_baseline };
std::string_view to_string(BaselineVerdict verdict);  // "normal", "slower", "faster", "no_baseline"

// The judgement on one span (also attached to every critical-path segment of that span).
struct Baseline {
    BaselineVerdict verdict = BaselineVerdict::no_baseline;
    double duration_ms = 0;                     // the span's whole duration in this trace
    std::int64_t count = 0;                     // samples behind the percentiles (0: none)
    double p50_ms = 0, p90_ms = 0, p99_ms = 0;  // 0 when there is no baseline
    double ratio = 0;                           // duration / p50 (0 without a baseline)
    double unusual_ms = 0;  // this span's share of the trace's unusual_ms (≥ 0)
};

// Whether a finding is part of what is different in this trace.
enum class FindingContext {
    unknown,   // no baseline covers its spans
    unusual,   // one of its spans (or their parents) is slower than usual
    standing,  // its spans and their parents take their usual time: it is always there
};
std::string_view to_string(FindingContext context);  // "unknown", "unusual", "standing"

struct BaselineOptions {
    int window_hours = 24;          // how far back usual durations are taken from
    std::int64_t min_samples = 20;  // fewer samples: no baseline
    double slower_factor = 1.5;     // slower: duration > p99 and ≥ factor × p50 …
    double faster_factor = 0.25;    // faster: duration ≤ factor × p50 …
    double min_delta_ms = 5;        // … and at least this far from p50 either way
    std::size_t max_keys = 60;      // (service, name) pairs asked for per trace
};

// What a client or database span called, as a baseline key: "db␟<db.system>␟<database>" (db.name,
// db.namespace or db.instance), "url␟<normalize_url(url)>" for a call with a URL that names its
// host, else "peer␟<peer.service | server.address | net.peer.name | peer.hostname>"; empty for
// any other span (and a database span naming neither system nor database). Values as stored.
inline constexpr char kCalleeSeparator = '\x1f';
std::string callee_key(const Span& span);
// Its parts: {"db", system, database} | {"url", shape} | {"peer", host}; empty when malformed.
std::vector<std::string> callee_parts(std::string_view callee);
// For people: "postgresql orders", "api.psp.example/v1/payment_intents", "payment-service".
std::string callee_label(std::string_view callee);

// "last 24 h", "last 3 days": a baseline window as the summary names it.
std::string baseline_window_text(int hours);

// The verdict of one duration against one baseline (rules in the header of baseline.cpp).
BaselineVerdict judge_duration(
    double duration_ms, const BaselineStats* stats, const BaselineOptions& options
);

// What the summary says about baselines as a whole.
struct BaselineOverview {
    enum class State {
        not_asked,    // no baseline source (e.g. a file without --baseline)
        unavailable,  // the source failed (timeout, rate limit, …): `note` says why
        applied,      // verdicts are set (some spans may still have no baseline)
    };
    State state = State::not_asked;
    std::string note;       // one plain sentence when not applied (or a partial warning)
    std::string window;     // e.g. "last 24 h"
    double unusual_ms = 0;  // time of the request beyond its spans' usual durations
    int judged_spans = 0;   // spans with a baseline verdict
    int slower_spans = 0;
    // The operations that carry unusual time, by unusual_ms descending (at most 10). Spans of
    // the same (service, name) share one entry: the baseline of the longest, unusual_ms summed.
    struct Unusual {
        std::string span_id, service, name;  // span_id: the longest of them
        Baseline baseline;
        int spans = 1;
    };
    std::vector<Unusual> unusual;
    std::optional<Baseline> request;  // the root span's own verdict, when it has a baseline
};

}  // namespace nra
