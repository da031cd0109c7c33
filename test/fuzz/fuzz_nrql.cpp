// libFuzzer harness for NRQL escaping (include/newrelic/nrql_quote.hpp) and the query builders that
// use it (src/newrelic/*_queries.*). Input: "<name>\n<endpoint or second name>\n<trace id>".
// nrql_quote accepts exactly the strings without control characters that are valid UTF-8, and
// its literal un-escapes back to the input. The injection property: in every query the real
// builders make from fuzzed names, quotes balance and each literal is either one the builder
// always writes or one of the fuzzed strings: user text never leaves its literal.
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "newrelic/baseline_queries.hpp"
#include "newrelic/metrics_queries.hpp"
#include "newrelic/nrql_quote.hpp"
#include "newrelic/trace_queries.hpp"

namespace nra::fuzz::nrql {

using nra::fuzz::check;
using namespace nra::newrelic;

// Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF), no C0/DEL.
bool quotable(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x20 || b == 0x7F) return false;
        if (b < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
        if (n == 0 || b > 0xF4 || i + n > s.size()) return false;
        std::uint32_t cp = b & (0x7FU >> n);
        for (std::size_t k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0U) != 0x80U) return false;
            cp = (cp << 6U) | (c & 0x3FU);
        }
        const std::uint32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n;
    }
    return true;
}

// The literals of a query, un-escaped, in order; nullopt when a literal is left open or a
// quoted literal holds an unescaped quote (which would end it early: an injection).
std::optional<std::vector<std::string>> literals(std::string_view query) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < query.size(); ++i) {
        if (query[i] != '\'') continue;
        std::string text;
        for (++i; i < query.size() && query[i] != '\''; ++i) {
            if (query[i] == '\\') ++i;
            if (i < query.size()) text += query[i];
        }
        if (i >= query.size()) return std::nullopt;
        out.push_back(std::move(text));
    }
    return out;
}

void check_quote(std::string_view text) {
    const auto quoted = nra::nrql_quote(text);
    check(quoted.ok() == quotable(text), "nrql_quote accepts the wrong strings", text);
    if (!quoted) {
        nra::fuzz::check_error_line(quoted.error(), 80);
        return;
    }
    const auto& q = *quoted;
    check(q.size() >= 2 && q.front() == '\'' && q.back() == '\'', "literal not quoted", q);
    const auto parts = literals(q);
    check(parts && parts->size() == 1 && parts->front() == text, "literal does not un-escape", q);
}

// A built query: balanced, every literal allowed. `fixed` is the builder's output for a benign
// name (its constant literals), `user` the fuzzed strings that may appear.
void check_query(
    const nra::Result<std::string>& built,
    const nra::Result<std::string>& fixed,
    const std::set<std::string>& user
) {
    if (!built) {
        nra::fuzz::check_error_line(built.error(), 200);
        return;
    }
    check(fixed.ok(), "benign query refused");
    const auto got = literals(*built);
    check(got.has_value(), "unbalanced quote in", *built);
    const auto constants = literals(*fixed);
    const std::set<std::string> allowed(constants->begin(), constants->end());
    for (const auto& literal : *got) {
        check(allowed.contains(literal) || user.contains(literal), "foreign literal", *built);
    }
}

void check_builders(const std::string& name, const std::string& endpoint, const std::string& id) {
    const TimeWindow window{1'700'000'000'000, 1'700'003'600'000};
    std::set<std::string> user{name, endpoint, id};
    if (const auto like = like_prefilter(endpoint)) user.insert(*like);
    for (const auto kind : {nra::ServiceKind::apm, nra::ServiceKind::otel}) {
        check_query(
            kind_probe_nrql(kind, name, window), kind_probe_nrql(kind, "svc", window), user
        );
        check_query(
            endpoint_stats_nrql(kind, name, {}, window),
            endpoint_stats_nrql(kind, "svc", {}, window),
            user
        );
        check_query(
            slowest_traces_nrql(kind, name, endpoint, 5, window),
            slowest_traces_nrql(kind, "svc", "GET /", 5, window),
            user
        );
        nra::SloSpec slo;
        slo.service = name;
        slo.endpoint = endpoint;
        nra::SloSpec benign;
        benign.service = "svc";
        benign.endpoint = endpoint.find_first_of("*?") == std::string::npos ? "GET /" : "GET /*";
        check_query(
            slo_counts_nrql(kind, slo, window, 0), slo_counts_nrql(kind, benign, window, 0), user
        );
    }
    const auto ids = std::vector<std::string>{id};
    const auto rows = span_rows_nrql(ids, std::chrono::hours(24), window);
    check(rows.ok() == nra::is_query_safe_trace_id(id), "span_rows_nrql accepts an unsafe id", id);
    check_query(rows, span_rows_nrql({"0af7651916cd43dd"}, std::chrono::hours(24), window), user);
    const std::vector<nra::BaselineKey> keys{{name, endpoint}, {endpoint, name}, {"svc", "op"}};
    const auto baseline = baseline_nrql(keys, id, window);
    const auto benign = baseline_nrql({{"svc", "op"}}, "0af7651916cd43dd", window);
    if (baseline) {
        check(baseline->nrql.size() < kMaxBaselineNrql, "baseline query too long");
        check(benign.ok(), "benign baseline query refused");
        check_query(baseline->nrql, benign->nrql, user);
    }
}

bool safe_id_model(std::string_view id) {
    if (id.size() < 16 || id.size() > 32) return false;
    for (const char c : id) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

// Every check on one input; aborts (throws when replayed by a test) on a violation.
inline void one_input(std::string_view input) {
    const std::string_view text = input;
    check_quote(text);
    const auto parts = nra::fuzz::split_lines(text, 3);
    for (const auto part : parts) check_quote(part);
    check(
        nra::is_query_safe_trace_id(parts[2]) == safe_id_model(parts[2]), "is_query_safe_trace_id"
    );
    check_builders(std::string(parts[0]), std::string(parts[1]), std::string(parts[2]));
}

}  // namespace nra::fuzz::nrql

#ifndef NRA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nra::fuzz::nrql::one_input(nra::fuzz::as_text(data, size));
    return 0;
}
#endif
