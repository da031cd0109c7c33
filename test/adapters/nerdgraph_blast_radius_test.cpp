// The NerdGraph context source's blast radius against the fake NerdGraph over HTTP: per-bucket
// counts of the subject's spans for an APM (agent spans, duration in seconds) and an
// OpenTelemetry service (duration.ms, otel.status_*), the day before, distinct users, slowness
// with a given p99, with the p99 asked of New Relic and with neither, and faults. The fake
// evaluates the TIMESERIES, filter() and uniqueCount NRQL it receives.
#include <catch2/catch.hpp>

#include "nerdgraph_context_harness.hpp"

namespace nerdgraph_blast_radius_test {

using namespace context_test;  // NOLINT(google-build-using-namespace): test helpers

namespace {

constexpr std::int64_t kFrom = kNow - 60 * kMinute;
constexpr std::int64_t kBucket = 5 * kMinute;

BlastSubject subject(std::string service, std::string name) {
    BlastSubject s;
    s.service = std::move(service);
    s.name = std::move(name);
    s.noun = "requests";
    return s;
}

// `n` spans in bucket `i` of the window starting at `from`, made by `make(k)`.
template <class Make>
std::vector<FakeRequestEvent> in_bucket(std::int64_t from, int i, int n, Make make) {
    std::vector<FakeRequestEvent> out;
    for (int k = 0; k < n; ++k) out.push_back(make(k, from + i * kBucket + kMinute + k));
    return out;
}

std::int64_t matching(const std::vector<BlastBucket>& buckets) {
    std::int64_t n = 0;
    for (const auto& b : buckets) n += b.matching;
    return n;
}

}  // namespace

TEST_CASE("an APM failure by error class: buckets, the day before and distinct users") {
    ContextHarness h;
    const std::string svc = "checkout";
    const std::string name = "POST /api/orders";
    const std::vector<std::string> users{"u1", "u2", "u1", ""};
    for (int i = 0; i < 12; ++i) {
        h.fake.add_requests(1, in_bucket(kFrom, i, 10, [&](int k, std::int64_t at) {
                                auto e = span_at(svc, ServiceKind::apm, name, at);
                                if (i >= 10 && k < 4) {
                                    e.error = true;
                                    e.error_class = "TimeoutError";
                                    e.user_id = users[static_cast<std::size_t>(k)];
                                }
                                if (i == 3 && k == 0) e.error_class = "OtherError";
                                return e;
                            }));
        h.fake.add_requests(1, in_bucket(kFrom - kDay, i, 5, [&](int k, std::int64_t at) {
                                auto e = span_at(svc, ServiceKind::apm, name, at);
                                if (i == 2 && k == 0) e.error_class = "TimeoutError";
                                return e;
                            }));
    }
    auto other = span_at(svc, ServiceKind::apm, "GET /other", kNow - kMinute);
    other.error_class = "TimeoutError";
    h.fake.add_requests(1, {other});

    auto s = subject(svc, name);
    s.error_class = "TimeoutError";
    const auto r = h.blast(s);
    REQUIRE(r.status == FetchStatus::found);
    const auto& series = r.series;
    CHECK(series.window_minutes == 60);
    CHECK(series.bucket_minutes == 5);
    CHECK(series.until_ms == kNow);
    REQUIRE(series.buckets.size() == 12);
    CHECK(series.buckets[0].start_ms == kFrom);
    CHECK(series.buckets[11].start_ms == kNow - kBucket);
    for (const auto& b : series.buckets) CHECK(b.total == 10);
    CHECK(series.buckets[3].matching == 0);
    CHECK(series.buckets[10].matching == 4);
    CHECK(series.buckets[11].matching == 4);
    CHECK(matching(series.buckets) == 8);
    REQUIRE(series.previous_day);
    REQUIRE(series.previous_day->size() == 12);
    CHECK((*series.previous_day)[0].start_ms == kFrom - kDay);
    CHECK((*series.previous_day)[2].total == 5);
    CHECK((*series.previous_day)[2].matching == 1);
    CHECK(matching(*series.previous_day) == 1);
    REQUIRE(series.users);
    CHECK(*series.users == 2);  // u1 and u2 among the matching spans that carry one
    CHECK(h.queries() == 3);
}

TEST_CASE("an OpenTelemetry failure by message: otel.status_description, no users") {
    ContextHarness h;
    const std::string svc = "cart-svc";
    const std::string name = "GET /cart";
    h.fake.add_requests(1, in_bucket(kFrom, 6, 8, [&](int k, std::int64_t at) {
                            auto e = span_at(svc, ServiceKind::otel, name, at);
                            e.error = k < 5;
                            e.error_message = k < 3 ? "card declined" : "other";
                            return e;
                        }));
    auto s = subject(svc, name);
    s.error_message = "card declined";
    const auto r = h.blast(s);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.series.buckets[6].total == 8);
    CHECK(r.series.buckets[6].matching == 3);
    CHECK(matching(r.series.buckets) == 3);
    REQUIRE(r.series.previous_day);
    CHECK(matching(*r.series.previous_day) == 0);
    CHECK_FALSE(r.series.users);

    s.error_message.clear();  // any error: otel.status_code = 'ERROR'
    const auto any = h.blast(s);
    REQUIRE(any.status == FetchStatus::found);
    CHECK(matching(any.series.buckets) == 5);
}

TEST_CASE("slowness with a given p99, in both duration units") {
    ContextHarness h;
    for (const auto kind : {ServiceKind::apm, ServiceKind::otel}) {
        const std::string svc = kind == ServiceKind::apm ? "agent-svc" : "otel-svc";
        h.fake.add_requests(1, in_bucket(kFrom, 1, 6, [&](int k, std::int64_t at) {
                                return span_at(svc, kind, "GET /slow", at, k < 2 ? 900.0 : 100.0);
                            }));
        auto s = subject(svc, "GET /slow");
        s.match = BlastSubject::Match::slowness;
        s.usual_p99_ms = 500;
        const auto r = h.blast(s);
        REQUIRE(r.status == FetchStatus::found);
        CHECK(r.series.threshold_ms == 500);
        CHECK(r.series.buckets[1].total == 6);
        CHECK(r.series.buckets[1].matching == 2);
    }
    CHECK(h.queries() == 6);  // no p99 asked
}

TEST_CASE("slowness without a p99: the day before's p99 from New Relic, else 90 % of the trace") {
    ContextHarness h;
    std::vector<double> durations;
    for (int i = 1; i <= 100; ++i) durations.push_back(10.0 * i);  // p99 990 ms
    h.fake.add_requests(
        1, make_span_events("otel-svc", ServiceKind::otel, "GET /p", durations, kFrom - kDay, kFrom)
    );
    h.fake.add_requests(1, in_bucket(kFrom, 0, 3, [](int k, std::int64_t at) {
                            return span_at(
                                "otel-svc", ServiceKind::otel, "GET /p", at, 985.0 + 10 * k
                            );
                        }));
    auto s = subject("otel-svc", "GET /p");
    s.match = BlastSubject::Match::slowness;
    s.trace_ms = 2000;
    const auto r = h.blast(s);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.series.threshold_ms == Approx(990));
    CHECK(r.series.buckets[0].matching == 2);  // 995 and 1005
    REQUIRE(h.queries() == 4);
    CHECK(contains(h.fake.nrql_log()[0], "percentile(duration.ms, 99)"));

    s.name = "GET /unknown";  // no span the day before: 90 % of the trace's 2 s
    const auto fallback = h.blast(s);
    REQUIRE(fallback.status == FetchStatus::found);
    CHECK(fallback.series.threshold_ms == Approx(1800));
    CHECK(contains(h.fake.nrql_log().back(), "duration.ms > 1800 OR duration > 1.8"));
}

TEST_CASE("a name New Relic cannot be asked about: failed, no query") {
    ContextHarness h;
    auto s = subject("checkout", "GET /a\nb");
    CHECK(h.blast(s).status == FetchStatus::failed);
    s.match = BlastSubject::Match::slowness;
    const auto r = h.blast(s);
    CHECK(r.status == FetchStatus::failed);
    CHECK_FALSE(r.message.empty());
    CHECK(h.queries() == 0);
}

TEST_CASE("blast radius of more than 5 accounts: counts of every group added") {
    ContextHarness h;
    h.config.accounts = {1, 2, 3, 4, 5, 6};
    for (const std::int64_t account : {1, 6}) {
        h.fake.add_requests(account, in_bucket(kFrom, 4, 3, [](int, std::int64_t at) {
                                auto e = span_at("checkout", ServiceKind::apm, "POST /o", at);
                                e.error_class = "E";
                                return e;
                            }));
    }
    auto s = subject("checkout", "POST /o");
    s.error_class = "E";
    const auto r = h.blast(s);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.series.buckets[4].total == 6);
    CHECK(r.series.buckets[4].matching == 6);
    CHECK(h.queries() == 6);
}

TEST_CASE("blast radius from a New Relic that hangs or fails, within the deadline") {
    ContextHarness h;
    h.deadline = std::chrono::milliseconds(800);
    auto s = subject("checkout", "POST /o");
    FetchStatus status = FetchStatus::found;
    std::string text;
    SECTION("hangs") {
        for (int i = 0; i < 3; ++i)
            h.fake.push_fault(NerdGraphFault::of(NerdGraphFault::Kind::hang));
        status = FetchStatus::timed_out;
        text = "New Relic did not answer the blast radius query in time";
    }
    SECTION("503") {
        for (int i = 0; i < 60; ++i) h.fake.push_fault(NerdGraphFault::http(503));
        status = FetchStatus::unavailable;
        text = "New Relic is having trouble (HTTP 503); try again shortly";
    }
    const auto start = std::chrono::steady_clock::now();
    const auto r = h.blast(s);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    CHECK(r.status == status);
    CHECK(r.message == text);
}

}  // namespace nerdgraph_blast_radius_test
