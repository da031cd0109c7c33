#include "newrelic/baseline_queries.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "newrelic/nrql_quote.hpp"

namespace nra::newrelic {
namespace {

// A growing IN list of quoted literals, with the length it takes in the query.
struct InList {
    std::vector<std::string> items;
    std::set<std::string> seen;
    std::size_t chars = 0;  // items joined with ", "

    std::size_t length_with(const std::string& item) const {
        if (seen.contains(item)) return chars;
        return chars + item.size() + (items.empty() ? 0 : 2);
    }
    std::size_t size_with(const std::string& item) const {
        return items.size() + (seen.contains(item) ? 0 : 1);
    }
    void add(const std::string& item) {
        if (seen.contains(item)) return;
        chars = length_with(item);
        seen.insert(item);
        items.push_back(item);
    }
};

std::size_t digits(std::size_t n) {
    return fmt::formatted_size("{}", n);
}

std::size_t facet_limit(std::size_t services, std::size_t names) {
    return std::min(kNrqlLimitMax, services * names);
}

std::string render(
    const std::string& services,
    const std::string& names,
    const std::string& excluded,
    TimeWindow window,
    std::size_t limit
) {
    return fmt::format(
        "SELECT count(*) AS 'samples', percentile(duration.ms, 50, 90, 99) AS 'ms', "
        "percentile(duration, 50, 90, 99) AS 's' FROM Span WHERE entity.name IN ({}) AND name IN "
        "({}){} FACET entity.name, name SINCE {} UNTIL {} LIMIT {}",
        services,
        names,
        excluded,
        window.from_ms,
        window.to_ms,
        limit
    );
}

}  // namespace

std::string trace_exclusion(std::string_view trace_id) {
    if (!is_query_safe_trace_id(trace_id)) return {};
    return fmt::format(
        " AND (trace.id IS NULL OR trace.id != '{0}') AND (traceId IS NULL OR traceId != '{0}')",
        trace_id
    );
}

Result<BaselineNrql> baseline_nrql(
    const std::vector<BaselineKey>& keys, std::string_view trace_id, TimeWindow window
) {
    if (keys.empty()) return make_error("no span to ask a baseline for");
    const auto excluded = trace_exclusion(trace_id);
    // Everything but the two lists and the LIMIT digits.
    const std::size_t fixed = render({}, {}, excluded, window, 0).size() - 1;
    InList services;
    InList names;
    std::set<BaselineKey> pairs;
    BaselineNrql out;
    bool too_long = false;
    for (const auto& key : keys) {
        if (key.service.empty() || key.name.empty() || !key.callee.empty() || pairs.contains(key)) {
            continue;  // callee keys: callee_baseline_nrql
        }
        const auto service = nrql_quote(key.service);
        const auto name = nrql_quote(key.name);
        if (!service || !name) continue;
        const auto limit = facet_limit(services.size_with(*service), names.size_with(*name));
        const auto length =
            fixed + services.length_with(*service) + names.length_with(*name) + digits(limit);
        if (length >= kMaxBaselineNrql) {
            too_long = true;
            break;
        }
        services.add(*service);
        names.add(*name);
        pairs.insert(key);
        out.asked.push_back(key);
    }
    if (out.asked.empty()) {
        return make_error(
            too_long ? "the span names are too long for a baseline query"
                     : "no span name can be put into a baseline query"
        );
    }
    out.nrql = render(
        fmt::format("{}", fmt::join(services.items, ", ")),
        fmt::format("{}", fmt::join(names.items, ", ")),
        excluded,
        window,
        facet_limit(services.items.size(), names.items.size())
    );
    if (out.nrql.size() >= kMaxBaselineNrql) return make_error("the baseline query is too long");
    return out;
}

namespace {

// `(a = 'v' OR b = 'v' …)` over every spelling of one attribute; nullopt when unquotable.
std::optional<std::string> any_of(
    std::initializer_list<const char*> names, const std::string& value, const char* op = "="
) {
    const auto quoted = nrql_quote(value);
    if (!quoted) return std::nullopt;
    std::string out;
    for (const char* name : names) {
        out += fmt::format("{}{} {} {}", out.empty() ? "(" : " OR ", name, op, *quoted);
    }
    return out + ")";
}

std::optional<std::string> callee_condition(const std::string& callee) {
    const auto parts = callee_parts(callee);
    if (parts.empty()) return std::nullopt;
    std::vector<std::string> conditions;
    if (parts[0] == "db") {
        if (!parts[1].empty()) {
            auto c = any_of({"db.system", "db.system.name", "db.type"}, parts[1]);
            if (!c) return std::nullopt;
            conditions.push_back(*c);
        }
        if (!parts[2].empty()) {
            auto c = any_of({"db.name", "db.namespace", "db.instance"}, parts[2]);
            if (!c) return std::nullopt;
            conditions.push_back(*c);
        }
    } else if (parts[0] == "url") {
        // Anchored after the scheme and at the end (or a query string): `/orders` must not take
        // `/orders-archive` or `/orders/5/items`. A path-only shape anchors at its start.
        std::string shape = parts[1];
        std::replace(shape.begin(), shape.end(), '*', '%');
        const std::string head = shape.front() == '/' ? "" : "%://";
        std::string c;
        for (const char* attr : {"http.url", "url.full", "http.path"}) {
            for (const char* tail : {"", "?%"}) {
                const auto quoted = nrql_quote(head + shape + tail);
                if (!quoted) return std::nullopt;
                c += fmt::format("{}{} LIKE {}", c.empty() ? "(" : " OR ", attr, *quoted);
            }
        }
        conditions.push_back(c + ")");
    } else {
        auto c =
            any_of({"peer.hostname", "server.address", "net.peer.name", "peer.service"}, parts[1]);
        if (!c) return std::nullopt;
        conditions.push_back(*c);
    }
    if (conditions.empty()) return std::nullopt;
    return fmt::format("{}", fmt::join(conditions, " AND "));
}

}  // namespace

Result<BaselineNrql> callee_baseline_nrql(
    const std::vector<BaselineKey>& keys, std::string_view trace_id, TimeWindow window
) {
    const auto render = [&](const std::string& services, const std::string& cases, std::size_t n) {
        return fmt::format(
            "SELECT count(*) AS 'samples', percentile(duration.ms, 50, 90, 99) AS 'ms', "
            "percentile(duration, 50, 90, 99) AS 's' FROM Span WHERE entity.name IN ({}){} FACET "
            "CASES ({}) SINCE {} UNTIL {} LIMIT {}",
            services,
            trace_exclusion(trace_id),
            cases,
            window.from_ms,
            window.to_ms,
            std::max<std::size_t>(n, 1)
        );
    };
    // Each span counts in the first case it meets: the most specific callee (longest shape)
    // goes first, so `/orders/*` does not take the spans of `/orders/*/items`.
    std::vector<const BaselineKey*> ordered;
    for (const auto& key : keys) ordered.push_back(&key);
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
        return a->callee.size() > b->callee.size();
    });
    InList services;
    std::string cases;
    std::set<BaselineKey> seen;
    BaselineNrql out;
    for (const auto* key_at : ordered) {
        const BaselineKey& key = *key_at;
        if (key.callee.empty() || key.service.empty() || key.name.empty() || seen.contains(key)) {
            continue;
        }
        const auto service = nrql_quote(key.service);
        const auto name = nrql_quote(key.name);
        const auto callee = callee_condition(key.callee);
        if (!service || !name || !callee) continue;
        const auto one = fmt::format(
            "{}WHERE entity.name = {} AND name = {} AND {} AS 'c{}'",
            cases.empty() ? "" : ", ",
            *service,
            *name,
            *callee,
            out.asked.size()
        );
        InList more = services;
        more.add(*service);
        const auto list = fmt::format("{}", fmt::join(more.items, ", "));
        if (render(list, cases + one, out.asked.size() + 1).size() >= kMaxBaselineNrql) break;
        services = std::move(more);
        cases += one;
        seen.insert(key);
        out.asked.push_back(key);
    }
    if (out.asked.empty()) return make_error("no call can be put into a callee baseline query");
    out.nrql = render(fmt::format("{}", fmt::join(services.items, ", ")), cases, out.asked.size());
    return out;
}

}  // namespace nra::newrelic
