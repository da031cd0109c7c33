// A fake New Relic NerdGraph endpoint (POST /graphql) on FakeHttpServer. It checks the API-Key
// header and the GraphQL document shape, interprets the NRQL our trace queries use (answered
// from Span rows per account with LIMIT MAX semantics, the most recent rows first), aggregate
// NRQL over request events for /improve, baselines and the blast radius, and raw SELECTs over
// Log events for a trace's logs (fake_nerdgraph_metrics.hpp), refuses anything else with
// "NRQL Syntax Error", as New Relic would, and injects scripted faults.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nra/report/endpoint_stats.hpp"
#include "support/fake_http_server.hpp"
#include "support/fake_nerdgraph_metrics.hpp"

namespace nra::test {

struct NerdGraphFault {
    enum class Kind { http_status, hang, close, truncate, malformed, graphql_error, gzip };
    Kind kind = Kind::http_status;
    int status = 503;
    std::string retry_after;    // http_status: Retry-After header value when set
    std::string error_class;    // graphql_error: extensions.errorClass
    std::string error_code;     // graphql_error: extensions.error_code
    std::string nrql_contains;  // set: waits for a request whose NRQL contains this text

    NerdGraphFault& when_nrql_contains(std::string text) {
        nrql_contains = std::move(text);
        return *this;
    }

    static NerdGraphFault http(int status, std::string retry_after = {});
    static NerdGraphFault graphql(std::string error_class, std::string error_code = {});
    static NerdGraphFault of(Kind kind);
};

class FakeNerdGraph {
public:
    static constexpr const char* kApiKey = "NRAK-FAKE-TEST-KEY-0123456789";

    explicit FakeNerdGraph(FakeServerOptions options = {});
    ~FakeNerdGraph();

    std::string url() const;  // http(s)://127.0.0.1:PORT/graphql
    FakeHttpServer& server() { return *server_; }

    void add_rows(std::int64_t account, const nlohmann::json& rows);  // array of Span rows
    // Request events for aggregate (/improve) queries and Span events for baseline queries
    // (make_span_events); see fake_nerdgraph_metrics.hpp.
    void add_requests(std::int64_t account, std::vector<FakeRequestEvent> events);
    // Log events for the incident-context log queries (either spelling of trace and span id).
    void add_logs(std::int64_t account, std::vector<FakeLogEvent> events);
    void add_service_stats(
        std::int64_t account,
        const std::string& service,
        ServiceKind kind,
        const std::vector<FakeEndpointSpec>& endpoints
    );
    void set_row_limit(std::size_t limit);
    void set_gzip(bool on);  // compress every answer
    // Applied to the next requests, in order: each request takes the first queued fault that
    // applies to it (see NerdGraphFault::nrql_contains).
    void push_fault(NerdGraphFault fault);
    // Called (on the server thread, under no lock) after the n-th rows query was answered.
    void on_rows_query(std::function<void(FakeNerdGraph&, std::size_t n)> hook);

    std::vector<std::string> nrql_log() const;          // every NRQL received, in order
    std::vector<nlohmann::json> variables_log() const;  // every request's GraphQL variables
    std::size_t rows_queries() const;

private:
    FakeReply handle(const FakeRequest& request);
    FakeReply answer(const nlohmann::json& body);

    struct State;
    std::unique_ptr<State> state_;
    std::unique_ptr<FakeMetricsStore> metrics_;
    std::unique_ptr<FakeHttpServer> server_;
};

enum class RowDialect { agent, otel };

// A synthetic trace as Span rows: a root, service spans in sequence, each with sequential DB
// calls below it (so N+1 shows), `n` spans in all, the root ending at `end_ms`.
nlohmann::json make_trace_rows(
    const std::string& trace_id, std::size_t n, RowDialect dialect, std::int64_t end_ms
);

// Shifts every row's `timestamp` so the latest span start is `latest_start_ms`.
nlohmann::json rebase_rows(nlohmann::json rows, std::int64_t latest_start_ms);

std::int64_t now_ms();

}  // namespace nra::test
