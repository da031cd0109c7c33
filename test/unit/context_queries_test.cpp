// The incident-context NRQL text: the log query (every spelling of the trace id, the severe-only
// variant), the blast-radius series, users and p99 queries, the match for each kind of subject,
// hostile names quoted, refused names and unsafe trace ids giving no query, and the 4 KB cap.
#include "newrelic/context_queries.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "newrelic/baseline_queries.hpp"

namespace context_queries_test {

using namespace nra;
using namespace nra::newrelic;

namespace {

constexpr TimeWindow kWindow{1'700'000'000'000, 1'700'003'600'000};
constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

BlastSubject failing(std::string error_class = {}, std::string message = {}) {
    BlastSubject s;
    s.match = BlastSubject::Match::failure;
    s.service = "checkout";
    s.name = "POST /api/orders";
    s.noun = "requests";
    s.error_class = std::move(error_class);
    s.error_message = std::move(message);
    return s;
}

BlastSubject slow(double p99_ms) {
    auto s = failing();
    s.match = BlastSubject::Match::slowness;
    s.usual_p99_ms = p99_ms;
    return s;
}

}  // namespace

TEST_CASE("the exact log query accepts every spelling of the trace id") {
    const auto q = log_lines_nrql(kTrace, kWindow, 300, false);
    REQUIRE(q.ok());
    CHECK(
        *q ==
        "SELECT timestamp, message, level, log.level, severity.text, span.id, span_id, spanId, "
        "entity.name, service.name FROM Log WHERE (trace.id = '4bf92f3577b34da6a3ce929d0e0e4736' "
        "OR trace_id = '4bf92f3577b34da6a3ce929d0e0e4736' OR traceId = "
        "'4bf92f3577b34da6a3ce929d0e0e4736') SINCE 1700000000000 UNTIL 1700003600000 LIMIT 300"
    );
}

TEST_CASE("the severe-only log query asks every level attribute for errors and warnings") {
    const auto q = log_lines_nrql(kTrace, kWindow, 50, true);
    REQUIRE(q.ok());
    const std::string list =
        "('ERROR', 'error', 'Error', 'WARN', 'warn', 'Warn', 'WARNING', 'warning', 'Warning', "
        "'FATAL', 'fatal', 'CRITICAL', 'critical', 'SEVERE', 'severe')";
    CHECK(contains(
        *q,
        "traceId = '4bf92f3577b34da6a3ce929d0e0e4736') AND (level IN " + list +
            " OR log.level IN " + list + " OR severity.text IN " + list + ") SINCE"
    ));
    CHECK(contains(*q, " LIMIT 50"));
    CHECK(q->size() < kMaxBaselineNrql);
}

TEST_CASE("the log limit is clamped to 1 to 300 lines") {
    CHECK(contains(*log_lines_nrql(kTrace, kWindow, 5000, false), " LIMIT 300"));
    CHECK(contains(*log_lines_nrql(kTrace, kWindow, 0, false), " LIMIT 1"));
}

TEST_CASE("an unsafe trace id gives no log query") {
    for (const char* id :
         {"",
          "x' OR trace.id IS NOT NULL OR '",
          "4bf92f35",
          "not-hex-at-all-000",
          "4bf92f3577b34da6a3ce929d0e0e4736ff"}) {
        CHECK_FALSE(log_lines_nrql(id, kWindow, 300, false).ok());
        CHECK_FALSE(log_lines_nrql(id, kWindow, 300, true).ok());
    }
}

TEST_CASE("the exact blast series query for a failure with an error class") {
    const auto q = blast_series_nrql(failing("TimeoutError"), 0, kWindow, 5);
    REQUIRE(q.ok());
    CHECK(
        *q ==
        "SELECT count(*) AS 'total', filter(count(*), WHERE (error.class = 'TimeoutError' OR "
        "error.type = 'TimeoutError')) AS 'matching' FROM Span WHERE entity.name = 'checkout' AND "
        "name = 'POST /api/orders' SINCE "
        "1700000000000 UNTIL 1700003600000 TIMESERIES 5 minutes"
    );
    CHECK(contains(*blast_series_nrql(failing("E"), 0, kWindow, 1), "TIMESERIES 1 minute"));
}

TEST_CASE("the failure match prefers the class, then the message, then any error") {
    CHECK(
        *blast_match(failing("Timeout", "ignored"), 0) ==
        "(error.class = 'Timeout' OR error.type = 'Timeout')"
    );
    CHECK(
        *blast_match(failing({}, "card declined"), 0) ==
        "(error.message = 'card declined' OR otel.status_description = 'card declined')"
    );
    CHECK(
        *blast_match(failing(), 0) ==
        "(error.class IS NOT NULL OR error.type IS NOT NULL OR otel.status_code = 'ERROR')"
    );
}

TEST_CASE("the slowness match compares both duration attributes in their units") {
    CHECK(*blast_match(slow(0), 1250) == "(duration.ms > 1250 OR duration > 1.25)");
    CHECK(*blast_match(slow(0), 0.5) == "(duration.ms > 0.5 OR duration > 0.0005)");
    CHECK(*blast_match(slow(0), 123.4567) == "(duration.ms > 123.457 OR duration > 0.123457)");
    CHECK_FALSE(blast_match(slow(0), 0).ok());
    CHECK_FALSE(blast_match(slow(0), -3).ok());
    CHECK_FALSE(blast_match(slow(0), std::numeric_limits<double>::infinity()).ok());
}

TEST_CASE("the users and p99 queries") {
    const auto users = blast_users_nrql(slow(800), 800, kWindow);
    REQUIRE(users.ok());
    CHECK(
        *users ==
        "SELECT filter(uniqueCount(enduser.id), WHERE (duration.ms > 800 OR duration > 0.8)) AS "
        "'users', filter(count(enduser.id), WHERE (duration.ms > 800 OR duration > 0.8)) AS "
        "'with_user' FROM Span WHERE entity.name = 'checkout' AND name = 'POST /api/orders' "
        "SINCE 1700000000000 UNTIL 1700003600000"
    );
    const auto p99 = subject_p99_nrql(slow(0), kWindow);
    REQUIRE(p99.ok());
    CHECK(
        *p99 ==
        "SELECT percentile(duration.ms, 99) AS 'ms', percentile(duration, 99) AS 's' FROM Span "
        "WHERE entity.name = 'checkout' AND name = 'POST /api/orders' SINCE 1700000000000 UNTIL "
        "1700003600000"
    );
}

TEST_CASE("hostile names are quoted, not spliced") {
    auto s = failing("Err' OR error.class IS NOT NULL OR 'x", "it\\'s bad");
    s.service = "svc' OR entity.name != '";
    s.name = "GET /a\\b";
    const auto q = blast_series_nrql(s, 0, kWindow, 5);
    REQUIRE(q.ok());
    CHECK(contains(*q, "error.class = 'Err\\' OR error.class IS NOT NULL OR \\'x'"));
    CHECK(contains(*q, "entity.name = 'svc\\' OR entity.name != \\'' AND name = 'GET /a\\\\b'"));
    s.error_class.clear();
    CHECK(
        *blast_match(s, 0) ==
        "(error.message = 'it\\\\\\'s bad' OR otel.status_description = 'it\\\\\\'s bad')"
    );
}

TEST_CASE("names nrql_quote refuses give no query") {
    auto s = failing("Timeout");
    s.name = "GET /a\nDELETE";
    CHECK_FALSE(blast_series_nrql(s, 0, kWindow, 5).ok());
    CHECK_FALSE(blast_users_nrql(s, 0, kWindow).ok());
    CHECK_FALSE(subject_p99_nrql(s, kWindow).ok());
    s = failing(
        "Bad\x01"
        "Class"
    );
    CHECK_FALSE(blast_series_nrql(s, 0, kWindow, 5).ok());
    s = failing({}, "line one\nline two");
    CHECK_FALSE(blast_users_nrql(s, 0, kWindow).ok());
    s = failing();
    s.service = "\xff\xfe";
    CHECK_FALSE(subject_p99_nrql(s, kWindow).ok());
    s = failing();
    s.name.clear();
    CHECK_FALSE(blast_series_nrql(s, 0, kWindow, 5).ok());
}

TEST_CASE("a query of 4 KB or more is refused") {
    auto s = failing({}, std::string(1900, 'm'));
    const auto q = blast_users_nrql(s, 0, kWindow);  // the message twice: over 3,800 bytes
    CHECK_FALSE(q.ok());
    const auto series = blast_series_nrql(s, 0, kWindow, 5);  // twice too
    CHECK_FALSE(series.ok());
    s.error_message = std::string(800, 'm');
    const auto fits = blast_users_nrql(s, 0, kWindow);
    REQUIRE(fits.ok());
    CHECK(fits->size() < kMaxBaselineNrql);
}

}  // namespace context_queries_test
