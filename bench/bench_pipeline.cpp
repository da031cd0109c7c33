// Pipeline benchmark: synthetic New Relic traces of 1k, 10k and 100k spans (NerdGraph JSON, both
// attribute dialects), timed through read_trace → assemble → summarize → render_text/render_json.
// Each size runs in a forked child so its peak RSS (wait4) is not masked by a larger size.
// Usage: nra_bench [--quick] [--check]   (--check: exit 1 when a target is missed)
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nra/assemble.hpp"
#include "nra/formats.hpp"
#include "nra/render.hpp"
#include "nra/summary.hpp"

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

// ---- measurement -------------------------------------------------------------------------------

enum Stage { kRead, kAssemble, kSummarize, kRender, kEndToEnd, kStages };
constexpr std::array<const char*, kStages> kStageNames = {
    "read_trace", "assemble", "summarize", "render text+json", "end-to-end"};

// Sent from the child to the parent through a pipe: plain bytes, no pointers.
struct SizeResult {
    double median_ms[kStages] = {};
    double min_ms[kStages] = {};
    double json_mb = 0;
    double gen_rss_mb = 0;   // child peak before the pipeline ran (generator + JSON)
    double peak_rss_mb = 0;  // filled by the parent from wait4
    int spans_read = 0;
    int findings = 0;
    int reps = 0;
    char error[240] = {};
};

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double max_rss_mb(const rusage& ru) {
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// One pass through the pipeline; fills one sample per stage. False (and r.error) on a read error.
bool run_once(const std::string& json, std::array<double, kStages>& sample, SizeResult& r) {
    const auto t0 = Clock::now();
    auto trace = nra::read_trace(json);
    const auto t1 = Clock::now();
    if (!trace.ok()) {
        std::snprintf(r.error, sizeof r.error, "read_trace: %s", trace.error().c_str());
        return false;
    }
    const auto tree = nra::assemble(std::move(trace).value());
    const auto t2 = Clock::now();
    const auto summary = nra::summarize(tree);
    const auto t3 = Clock::now();
    const auto text = nra::render_text(summary);
    const auto out = nra::render_json(summary);
    const auto t4 = Clock::now();
    sample = {
        ms_between(t0, t1),
        ms_between(t1, t2),
        ms_between(t2, t3),
        ms_between(t3, t4),
        ms_between(t0, t4)};
    r.spans_read = static_cast<int>(tree.size());
    r.findings = static_cast<int>(summary.findings.size());
    return !text.empty() && !out.empty();
}

SizeResult measure(std::size_t n, int reps) {
    SizeResult r;
    const std::string json = make_trace_json(n, 0x5EED0000 + n);
    r.json_mb = static_cast<double>(json.size()) / (1024.0 * 1024.0);
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    r.gen_rss_mb = max_rss_mb(ru);
    std::array<std::vector<double>, kStages> samples;
    std::array<double, kStages> sample{};
    if (!run_once(json, sample, r)) return r;  // warm-up, not counted
    for (int k = 0; k < reps; ++k) {
        if (!run_once(json, sample, r)) return r;
        for (int s = 0; s < kStages; ++s) samples[s].push_back(sample[s]);
    }
    for (int s = 0; s < kStages; ++s) {
        r.median_ms[s] = median(samples[s]);
        r.min_ms[s] = *std::min_element(samples[s].begin(), samples[s].end());
    }
    r.reps = reps;
    return r;
}

bool read_all(int fd, void* buf, std::size_t len) {
    auto* p = static_cast<char*>(buf);
    while (len > 0) {
        const auto got = read(fd, p, len);
        if (got <= 0) return false;
        p += got;
        len -= static_cast<std::size_t>(got);
    }
    return true;
}

// Runs measure() in a forked child; the child's peak RSS comes from wait4.
SizeResult measure_in_child(std::size_t n, int reps) {
    SizeResult r;
    int fds[2];
    if (pipe(fds) != 0) {
        std::snprintf(r.error, sizeof r.error, "pipe failed");
        return r;
    }
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const SizeResult res = measure(n, reps);
        const bool ok = write(fds[1], &res, sizeof res) == static_cast<ssize_t>(sizeof res);
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    const bool got = pid > 0 && read_all(fds[0], &r, sizeof r);
    close(fds[0]);
    int status = 0;
    rusage ru{};
    if (pid > 0) wait4(pid, &status, 0, &ru);
    if (!got) std::snprintf(r.error, sizeof r.error, "child failed (status %d)", status);
    r.peak_rss_mb = max_rss_mb(ru);
    return r;
}

// ---- report ------------------------------------------------------------------------------------

struct Target {
    std::size_t spans;
    double end_to_end_ms;
};
constexpr std::array<Target, 2> kTargets = {{{10'000, 25.0}, {100'000, 300.0}}};

void print_size(std::size_t n, const SizeResult& r) {
    fmt::print(
        "\n{} spans  (JSON {:.1f} MB, read {} spans, {} findings, {} reps; peak RSS {:.0f} MB, "
        "{:.0f} MB before the pipeline ran: generator + JSON)\n",
        n,
        r.json_mb,
        r.spans_read,
        r.findings,
        r.reps,
        r.peak_rss_mb,
        r.gen_rss_mb
    );
    fmt::print("  {:<18} {:>12} {:>12} {:>14}\n", "stage", "median ms", "min ms", "µs per span");
    for (int s = 0; s < kStages; ++s) {
        fmt::print(
            "  {:<18} {:>12.2f} {:>12.2f} {:>14.3f}\n",
            kStageNames[s],
            r.median_ms[s],
            r.min_ms[s],
            r.median_ms[s] * 1000.0 / static_cast<double>(n)
        );
    }
}

// Ratios of consecutive sizes, next to what linear and n·log n growth would give.
void print_growth(const std::vector<std::size_t>& sizes, const std::vector<SizeResult>& res) {
    const auto row = [&](std::string_view name, auto&& ratio) {
        fmt::print("  {:<18}", name);
        for (std::size_t k = 1; k < sizes.size(); ++k) fmt::print(" {:>10.2f}", ratio(k));
        fmt::print("\n");
    };
    const auto n = [&](std::size_t k) { return static_cast<double>(sizes[k]); };
    fmt::print("\nGrowth of the median time\n  {:<18}", "");
    for (std::size_t k = 1; k < sizes.size(); ++k) {
        fmt::print(" {:>10}", fmt::format("{}k/{}k", sizes[k] / 1000, sizes[k - 1] / 1000));
    }
    fmt::print("\n");
    row("(n)", [&](std::size_t k) { return n(k) / n(k - 1); });
    row("(n·log n)",
        [&](std::size_t k) { return n(k) * std::log(n(k)) / (n(k - 1) * std::log(n(k - 1))); });
    for (int s = 0; s < kStages; ++s) {
        row(kStageNames[s], [&](std::size_t k) {
            return res[k].median_ms[s] / std::max(res[k - 1].median_ms[s], 1e-6);
        });
    }
}

bool print_targets(const std::vector<std::size_t>& sizes, const std::vector<SizeResult>& res) {
    bool all_met = true;
    fmt::print("\nTargets (median end-to-end)\n");
    for (const auto& t : kTargets) {
        const auto it = std::find(sizes.begin(), sizes.end(), t.spans);
        if (it == sizes.end()) continue;
        const double got = res[static_cast<std::size_t>(it - sizes.begin())].median_ms[kEndToEnd];
        const bool met = got <= t.end_to_end_ms;
        all_met = all_met && met;
        fmt::print(
            "  {:>7} spans: {:8.2f} ms  (target ≤ {:.0f} ms)  {}\n",
            t.spans,
            got,
            t.end_to_end_ms,
            met ? "met" : "MISSED"
        );
    }
    return all_met;
}

void print_build() {
#if defined(__OPTIMIZE__)
    const char* opt = "optimized";
#else
    const char* opt = "NOT optimized (use the release preset for real figures)";
#endif
#if defined(__SANITIZE_ADDRESS__)
    const char* san = ", AddressSanitizer ON (figures are not representative)";
#else
    const char* san = "";
#endif
    fmt::print("nra_bench: {} build{}; {} CPUs online\n", opt, san, sysconf(_SC_NPROCESSORS_ONLN));
}

}  // namespace

// Runs every size in its own child process and prints the table; see the file comment.
int main(int argc, char** argv) {
    bool quick = false;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        quick = quick || arg == "--quick";
        check = check || arg == "--check";
    }
    print_build();
    const std::vector<std::size_t> sizes = {1'000, 10'000, 100'000};
    const std::vector<int> reps = quick ? std::vector<int>{5, 3, 2} : std::vector<int>{41, 21, 7};
    std::vector<SizeResult> results;
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        results.push_back(measure_in_child(sizes[k], reps[k]));
        if (results.back().error[0] != '\0') {
            fmt::print(stderr, "{} spans: {}\n", sizes[k], results.back().error);
            return 2;
        }
        print_size(sizes[k], results.back());
    }
    print_growth(sizes, results);
    const bool met = print_targets(sizes, results);
    return check && !met ? 1 : 0;
}
