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
        if (key.service.empty() || key.name.empty() || pairs.contains(key)) continue;
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

}  // namespace nra::newrelic
