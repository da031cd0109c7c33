// Zipkin v2 reader: every public fixture in test/fixtures/zipkin loads with the expected counts
// and field values; shared spans, error tags, several traces, missing times.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"
#include "support/trace_reading.hpp"

namespace formats_zipkin_test {

namespace {

using nra::test::attr;
using nra::test::load;
using nra::test::services;

std::size_t count_if(const nra::Trace& trace, bool (*pred)(const nra::Span&)) {
    return static_cast<std::size_t>(std::count_if(trace.spans.begin(), trace.spans.end(), pred));
}

// The span with this id (and kind, since shared spans repeat an id).
const nra::Span& find(const nra::Trace& trace, std::string_view id, nra::SpanKind kind) {
    auto it = std::find_if(trace.spans.begin(), trace.spans.end(), [&](const nra::Span& s) {
        return s.span_id == id && s.kind == kind;
    });
    REQUIRE(it != trace.spans.end());
    return *it;
}

}  // namespace

TEST_CASE("every Zipkin fixture loads with its span, service, error and shared counts") {
    struct Expect {
        const char* file;
        std::size_t spans;
        std::size_t services;
        std::size_t errors;
        std::size_t shared;
        const char* trace_id;
    };
    const Expect cases[] = {
        {"zipkin/ascend.json", 8, 3, 0, 2, "ef86c83c0a05a6d6"},
        {"zipkin/messaging.json", 4, 2, 0, 0, "5aab74dbb904746bb33447baae403ed6"},
        {"zipkin/messaging2.json", 11, 4, 0, 1, "0d1a94ebc9256244"},
        {"zipkin/simple-db-p6.json", 5, 1, 0, 0, "19f84f102048e047"},
        {"zipkin/smartthings-oauth-authorization.json", 175, 8, 2, 45, "8ce82b2e9ed820ba"},
        {"zipkin/yelp.json", 16, 6, 0, 4, "a03ee8fff1dcd9b9"},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        const std::string json = nra::test::read_fixture(c.file);
        CHECK(nra::detect_format(json) == nra::TraceFormat::zipkin);
        const nra::Trace trace = load(c.file);
        CHECK(trace.spans.size() == c.spans);
        CHECK(services(trace) == c.services);
        CHECK(count_if(trace, [](const nra::Span& s) { return s.error; }) == c.errors);
        CHECK(count_if(trace, [](const nra::Span& s) { return s.shared; }) == c.shared);
        CHECK(trace.trace_id == c.trace_id);
        for (const auto& span : trace.spans) {
            CHECK(span.trace_id == c.trace_id);
            CHECK(span.duration_us >= 0);
        }
    }
}

TEST_CASE("Zipkin yelp: client and shared server halves keep one span id") {
    const nra::Trace trace = load("zipkin/yelp.json");
    const auto& client = find(trace, "7a778764a0d0b594", nra::SpanKind::client);
    CHECK(client.parent_id == "f5f268651b2a2b34");
    CHECK(client.name == "get");
    CHECK(client.service == "mobile_api");
    CHECK(client.peer_host == "spectre");
    CHECK(client.start_us == 1571896375310000);
    CHECK(client.duration_us == 3000);
    CHECK_FALSE(client.shared);
    CHECK(attr(client, "client_status_code") == "200");

    const auto& server = find(trace, "7a778764a0d0b594", nra::SpanKind::server);
    CHECK(server.shared);
    CHECK(server.service == "spectre");
    CHECK(server.parent_id == "f5f268651b2a2b34");
    CHECK(server.start_us == 1571896375310740);
    CHECK(server.duration_us == 1490);
    CHECK(server.host.empty());  // no ipv4 in the endpoint
    CHECK(attr(server, "region") == "uswest1-prod");

    const auto& root = find(trace, "2e8cfb154b59a41f", nra::SpanKind::server);
    CHECK(root.parent_id.empty());
    CHECK(root.service == "routing");
    CHECK(root.duration_us == 131848);
}

TEST_CASE("Zipkin smartthings: error tag with the 401 message, Cassandra and missing durations") {
    const nra::Trace trace = load("zipkin/smartthings-oauth-authorization.json");
    const auto& server = find(trace, "c47bff7f7964b321", nra::SpanKind::server);
    CHECK(server.error);
    CHECK(server.error_message == "401");
    CHECK(server.http_status == 401);
    CHECK(server.http_url == "/sso/authenticate");
    CHECK(server.service == "auth");
    CHECK(server.host == "10.0.0.63");
    CHECK(server.shared);
    CHECK(server.category == nra::SpanCategory::generic);  // a server span is not an HTTP call

    const auto& client = find(trace, "c47bff7f7964b321", nra::SpanKind::client);
    CHECK(client.error);
    CHECK(client.service == "stlogin");
    CHECK(client.http_method == "POST");
    CHECK(client.category == nra::SpanCategory::http);
    CHECK(client.duration_us == 56057);

    const auto& cassandra = find(trace, "c8a2bcb3011b9fcd", nra::SpanKind::client);
    CHECK(cassandra.name == "access_token-store-without-refresh");
    CHECK(cassandra.peer_host == "auth");
    CHECK(cassandra.db_statement.find("BEGIN BATCH") != std::string_view::npos);
    CHECK(cassandra.category == nra::SpanCategory::datastore);
    CHECK(attr(cassandra, "cassandra.keyspace") == "auth");

    // Redirect spans were never finished: kept as instants, with one aggregated warning.
    const auto& redirect = find(trace, "3463f822a0e9cc02", nra::SpanKind::client);
    CHECK(redirect.duration_us == 0);
    CHECK(redirect.start_us == 1543334726297212);
    REQUIRE(trace.warnings.size() == 1);
    CHECK(trace.warnings[0] == "19 spans without a valid duration were kept with duration 0");

    const auto& root = find(trace, "8ce82b2e9ed820ba", nra::SpanKind::server);
    CHECK(root.http_status == 302);
    CHECK_FALSE(root.error);  // a status code alone is not an error
    CHECK(root.peer_host == "23.0.0.0");
}

TEST_CASE("Zipkin simple-db-p6: sql.query spans are datastore client calls") {
    const nra::Trace trace = load("zipkin/simple-db-p6.json");
    CHECK(count_if(trace, [](const nra::Span& s) {
              return s.category == nra::SpanCategory::datastore;
          }) == 4);
    const auto& insert = find(trace, "544e854ede87b217", nra::SpanKind::client);
    CHECK(insert.parent_id == "19f84f102048e047");
    CHECK(
        insert.db_statement ==
        "insert into api_book_aud (revtype, book_price, book_title, book_id, rev) values (0, "
        "12.25, 'Cloud Native Java', 10001, 97)"
    );
    CHECK(insert.peer_host == "app_db");
    CHECK(insert.host == "172.23.250.16");
    CHECK(insert.start_us == 1541485537498305);
    CHECK(insert.duration_us == 1118);
}

TEST_CASE("Zipkin messaging: producer, consumer and a local span") {
    const nra::Trace trace = load("zipkin/messaging.json");
    const auto& consumer = find(trace, "e457b5a2e4d86bd1", nra::SpanKind::consumer);
    CHECK(consumer.parent_id == "05e3ac9a4f6e3b90");
    CHECK(consumer.peer_host == "rabbitmq");
    CHECK(consumer.duration_us == 14);
    CHECK(attr(consumer, "rabbit.queue") == "backend");
    CHECK(attr(consumer, "rabbit.exchange") == "");
    const auto& local = find(trace, "4ad2db84ac76def7", nra::SpanKind::unspecified);
    CHECK(local.name == "on-message");
    const auto& producer = find(trace, "05e3ac9a4f6e3b90", nra::SpanKind::producer);
    CHECK(producer.service == "frontend");
    const auto& root = find(trace, "b33447baae403ed6", nra::SpanKind::server);
    CHECK(root.http_url == "/");
    CHECK(root.peer_host == "::1");
}

TEST_CASE("Zipkin ascend and messaging2: http.path becomes the URL") {
    const nra::Trace ascend = load("zipkin/ascend.json");
    const auto& get = find(ascend, "ecc00062ceef4bf0", nra::SpanKind::client);
    CHECK(get.http_method == "GET");
    CHECK(get.http_url == "/content/personal");
    CHECK(get.host == "172.17.0.13");
    CHECK(get.start_us == 1531282088548312);
    CHECK(get.duration_us == 20333);
    const nra::Trace m2 = load("zipkin/messaging2.json");
    const auto& post = find(m2, "99a4a9084092224d", nra::SpanKind::client);
    CHECK(post.service == "notification-service");
    CHECK(post.http_url == "/notification-service/send");
    CHECK(post.parent_id == "3df9ceef91bbc777");
}

TEST_CASE("Zipkin: an array of traces keeps the largest unless a trace id is given") {
    const std::string json = R"([
      [{"traceId":"aa","id":"1","timestamp":10,"duration":5,"localEndpoint":{"serviceName":"a"}}],
      [{"traceId":"BB","id":"2","timestamp":10,"duration":5,"localEndpoint":{"serviceName":"b"}},
       {"traceId":"bb","id":"3","parentId":"2","timestamp":11,"duration":1}]
    ])";
    auto largest = nra::read_trace(json);
    REQUIRE(largest.ok());
    CHECK(largest->trace_id == "bb");
    CHECK(largest->spans.size() == 2);
    REQUIRE(largest->warnings.size() == 1);
    CHECK(
        largest->warnings[0] ==
        "file holds 2 traces; analysing bb (2 spans); other trace: aa (1 span)"
    );

    auto chosen = nra::read_trace(json, {}, "AA");
    REQUIRE(chosen.ok());
    CHECK(chosen->trace_id == "aa");
    REQUIRE(chosen->spans.size() == 1);
    CHECK(chosen->spans[0].service == "a");
    CHECK(chosen->warnings.empty());

    auto missing = nra::read_trace(json, {}, "cc");
    REQUIRE_FALSE(missing.ok());
    CHECK(
        missing.error() ==
        "trace cc is not in the file (it holds 2 other traces: bb (2 spans), aa (1 span))"
    );
}

TEST_CASE("Zipkin: spans without a timestamp are skipped, ids upper-case or numeric") {
    const std::string json = R"([
      {"traceId":"AB12","id":"CD34","timestamp":1000,"duration":10,"kind":"SERVER"},
      {"traceId":"ab12","id":77,"parentId":"cd34","timestamp":1005,"duration":2},
      {"traceId":"ab12","id":"ee","parentId":"cd34","duration":2},
      {"traceId":"ab12","id":"ff","parentId":"cd34","timestamp":"soon","duration":2},
      {"traceId":"ab12","id":"aa","parentId":"cd34","timestamp":1001,"duration":-4,
       "tags":{"error":""}}
    ])";
    auto trace = nra::read_trace(json);
    REQUIRE(trace.ok());
    REQUIRE(trace->spans.size() == 3);
    CHECK(trace->spans[0].span_id == "cd34");
    CHECK(trace->spans[0].trace_id == "ab12");
    CHECK(trace->spans[1].span_id == "77");
    CHECK(trace->spans[1].parent_id == "cd34");
    CHECK(trace->spans[2].duration_us == 0);
    CHECK(trace->spans[2].error);
    CHECK(trace->spans[2].error_message.empty());
    CHECK(
        trace->warnings ==
        std::vector<std::string>{
            "2 spans without a valid start time were skipped",
            "1 span with a negative duration was kept with duration 0",
        }
    );
}

}  // namespace formats_zipkin_test
