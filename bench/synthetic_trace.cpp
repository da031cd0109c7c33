#include "synthetic_trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nra::bench {
namespace {

// ---- synthetic trace shape ---------------------------------------------------------------------

enum class Role : std::uint8_t { server, client, db, internal };

constexpr int kServices = 24;
constexpr int kMaxDepth = 11;
constexpr int kStatements = 20;
constexpr std::int64_t kMs = 1000;
constexpr std::int64_t kBaseUs = 1'795'168'800'000'000;  // 2026-11-20T10:00:00Z

struct GenSpan {
    std::int32_t parent = -1;
    std::int32_t service = 0;
    std::int32_t depth = 0;
    std::int32_t statement = 0;  // db: template index; others: endpoint index
    Role role = Role::server;
    bool error = false;
    bool parallel = false;      // children start together instead of one after another
    std::int64_t pre_us = kMs;  // parent-only time before the first child
    std::int64_t start_us = 0;
    std::int64_t dur_us = 0;
};

struct Shape {
    std::vector<GenSpan> spans;
    std::mt19937_64 rng;
    std::size_t limit;

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng); }
    bool full() const { return spans.size() >= limit; }
    std::int32_t add(std::int32_t parent, std::int32_t service, Role role, std::int32_t stmt) {
        GenSpan s;
        s.parent = parent;
        s.service = service;
        s.depth = parent < 0 ? 0 : spans[static_cast<std::size_t>(parent)].depth + 1;
        s.role = role;
        s.statement = stmt;
        s.error = role != Role::internal && chance(0.004);
        s.pre_us = uniform(1, 3) * kMs;
        spans.push_back(s);
        return static_cast<std::int32_t>(spans.size() - 1);
    }
};

// One service visit: an internal span, DB calls (sometimes an N+1 burst of one statement), and
// client calls whose server spans are pushed for later expansion (depth first, so depth fills up).
void expand_visit(Shape& sh, std::int32_t visit, std::vector<std::int32_t>& todo) {
    const GenSpan v = sh.spans[static_cast<std::size_t>(visit)];
    if (!sh.full()) sh.add(visit, v.service, Role::internal, sh.uniform(0, 50));
    const bool burst = sh.chance(0.12);
    const int dbs = burst ? sh.uniform(10, 25) : sh.uniform(1, 4);
    const int burst_stmt = sh.uniform(0, kStatements - 1);
    for (int k = 0; k < dbs && !sh.full(); ++k) {
        sh.add(visit, v.service, Role::db, burst ? burst_stmt : sh.uniform(0, kStatements - 1));
    }
    if (v.depth + 2 > kMaxDepth) return;
    const int calls = sh.uniform(1, 4);
    sh.spans[static_cast<std::size_t>(visit)].parallel = calls >= 2 && sh.chance(0.25);
    for (int k = 0; k < calls && !sh.full(); ++k) {
        const int endpoint = sh.uniform(0, 200);
        const auto client = sh.add(visit, v.service, Role::client, endpoint);
        if (sh.full()) break;
        const auto callee = (v.service + sh.uniform(1, kServices - 1)) % kServices;
        todo.push_back(sh.add(client, callee, Role::server, endpoint));
    }
}

std::int64_t leaf_duration(Shape& sh, const GenSpan& s) {
    switch (s.role) {
        case Role::db:
            return sh.uniform(300, 8000);
        case Role::internal:
            return sh.uniform(100, 2000);
        default:
            return sh.uniform(5000, 50000);  // uninstrumented callee
    }
}

std::int64_t ceil_ms(std::int64_t us) {
    return (us + kMs - 1) / kMs * kMs;
}

// Durations bottom-up (children have larger indices than parents), then integer-ms starts
// top-down, so every child lies within its parent even with New Relic's ms timestamps.
void lay_out(Shape& sh) {
    auto& sp = sh.spans;
    std::vector<std::int64_t> acc(sp.size(), 0);
    std::vector<bool> has_children(sp.size(), false);
    for (std::size_t i = sp.size(); i-- > 0;) {
        auto& s = sp[i];
        s.dur_us = has_children[i] ? s.pre_us + acc[i] + sh.uniform(0, 3000) : leaf_duration(sh, s);
        if (s.parent < 0) continue;
        const auto p = static_cast<std::size_t>(s.parent);
        has_children[p] = true;
        acc[p] = sp[p].parallel ? std::max(acc[p], ceil_ms(s.dur_us) + kMs)
                                : acc[p] + ceil_ms(s.dur_us) + kMs;
    }
    std::fill(acc.begin(), acc.end(), 0);
    sp[0].start_us = kBaseUs;
    for (std::size_t i = 1; i < sp.size(); ++i) {
        const auto p = static_cast<std::size_t>(sp[i].parent);
        sp[i].start_us = sp[p].start_us + sp[p].pre_us + (sp[p].parallel ? 0 : acc[p]);
        acc[p] += ceil_ms(sp[i].dur_us) + kMs;
    }
}

Shape make_shape(std::size_t n, std::uint64_t seed) {
    Shape sh{{}, std::mt19937_64(seed), n};
    sh.spans.reserve(n);
    sh.add(-1, 0, Role::server, 0);
    std::vector<std::int32_t> todo;
    while (!sh.full()) {
        if (todo.empty()) todo.push_back(0);  // the root starts another top-level call chain
        const auto v = todo.back();
        todo.pop_back();
        expand_visit(sh, v, todo);
    }
    lay_out(sh);
    return sh;
}

// ---- NerdGraph JSON ----------------------------------------------------------------------------

constexpr std::string_view kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

std::string span_id(std::int32_t i) {
    return fmt::format("{:016x}", static_cast<std::uint64_t>(i + 1) * 0x9E3779B97F4A7C15ULL);
}

std::string statement(const GenSpan& s, std::int32_t i) {
    return fmt::format(
        "SELECT id, status, total FROM table_{} WHERE owner_id = {} ORDER BY created_at",
        s.statement,
        (i * 7919) % 100000
    );
}

// Row head by dialect [OpenTelemetry, APM agent]: trace id, span id, timestamp (ms), duration
// (OTel: ms, APM: seconds), service index.
constexpr std::array<std::string_view, 2> kHead = {
    R"j({{"trace.id":"{0}","id":"{1}","timestamp":{2},"duration.ms":{3:.3f},"service.name":"svc-{4}","host.name":"svc-{4}-5b7d8c4f9-k3p6s")j",
    R"j({{"traceId":"{0}","guid":"{1}","timestamp":{2},"duration":{3:.6f},"appName":"svc-{4}","entity.name":"svc-{4}","host":"svc-{4}-7f9c6d5b8-m4t7w","sampled":true)j"};

// Attributes by role (server, client, db, internal) and dialect [OpenTelemetry, APM agent].
// {0}: endpoint or table index, {1}: statement text, {2}: HTTP status.
constexpr std::array<std::array<std::string_view, 2>, 4> kRoleAttrs = {{
    {R"j(,"name":"GET /api/r{0}","span.kind":"server","http.request.method":"GET","http.route":"/api/r{0}","http.response.status_code":{2})j",
     R"j(,"name":"WebTransaction/SpringController/api/r{0} (GET)","category":"generic","nr.entryPoint":true,"span.kind":"server","http.statusCode":{2})j"},
    {R"j(,"name":"GET","span.kind":"client","http.request.method":"GET","url.full":"http://svc:8080/api/r{0}","server.address":"svc")j",
     R"j(,"name":"External/svc/SpringWebClient/GET","category":"http","span.kind":"client","http.url":"http://svc:8080/api/r{0}","http.method":"GET")j"},
    {R"j(,"name":"SELECT app.table_{0}","span.kind":"client","db.system":"postgresql","db.query.text":"{1}")j",
     R"j(,"name":"Datastore/statement/Postgres/table_{0}/select","category":"datastore","span.kind":"client","db.system":"Postgres","db.statement":"{1}")j"},
    {R"j(,"name":"handle{0}","span.kind":"internal")j",
     R"j(,"name":"Java/com.acme.Service{0}/handle","category":"generic")j"},
}};

void append_row(std::string& out, const GenSpan& s, std::int32_t i) {
    const bool apm = s.service % 2 == 0;
    auto it = std::back_inserter(out);
    const double dur = static_cast<double>(s.dur_us) / (apm ? 1e6 : 1e3);  // seconds vs ms
    fmt::format_to(
        it, fmt::runtime(kHead[apm ? 1 : 0]), kTraceId, span_id(i), s.start_us / kMs, dur, s.service
    );
    if (s.parent >= 0) {
        const auto key = apm ? "parentId" : "parent.id";
        fmt::format_to(it, R"(,"{}":"{}")", key, span_id(s.parent));
    }
    const auto role = static_cast<std::size_t>(s.role);
    fmt::format_to(
        it,
        fmt::runtime(kRoleAttrs[role][apm ? 1 : 0]),
        s.statement,
        s.role == Role::db ? statement(s, i) : std::string(),
        s.error ? 500 : 200
    );
    if (s.error) {
        out += apm ? R"(,"error.class":"java.io.IOException","error.message":"Broken pipe")"
                   : R"(,"otel.status_code":"ERROR","otel.status_description":"Broken pipe")";
    }
    out += '}';
}

}  // namespace

std::string make_trace_json(std::size_t n, std::uint64_t seed) {
    const Shape sh = make_shape(n, seed);
    std::string out;
    out.reserve(n * 420 + 128);
    out += R"({"data":{"actor":{"account":{"nrql":{"results":[)";
    for (std::size_t i = 0; i < sh.spans.size(); ++i) {
        if (i > 0) out += ",\n";
        append_row(out, sh.spans[i], static_cast<std::int32_t>(i));
    }
    out += "]}}}}}";
    return out;
}

std::vector<BaselineStats> usual_for(const std::vector<BaselineKey>& keys) {
    std::vector<BaselineStats> out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        BaselineStats s;
        s.key = keys[i];
        s.count = 1000;
        s.p50_ms = i % 2 == 0 ? 0.5 : 50.0;
        s.p90_ms = *s.p50_ms * 1.5;
        s.p99_ms = *s.p50_ms * 2.5;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace nra::bench
