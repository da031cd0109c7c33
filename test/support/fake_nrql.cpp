// The fake NerdGraph's NRQL evaluator (see fake_nerdgraph_metrics.hpp):
// SELECT <aliased aggregates> | <attributes> FROM <type>[, <type>…] [WHERE <conditions>]
// [FACET <attr>[, <attr>] | FACET CASES (WHERE <conditions> AS '<label>', …)]
// SINCE <ms> UNTIL <ms> [TIMESERIES <n> minute[s]] [LIMIT <n>|MAX].
// Aggregates: count(*), count(attr) (non-null values), uniqueCount(attr), uniques(attr[, limit])
// (distinct text values, a list), rate(count(*), 1 minute), average, max, percentile(attr,
// ranks…), and filter(<any of these>, WHERE …).
// Conditions: fake_nrql_where.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <variant>

#include "support/fake_nrql_where.hpp"

namespace nra::test {
namespace {

using fake_nrql::Predicate;
using fake_nrql::Scanner;
using nlohmann::json;
using Event = FakeEvent;
using Events = std::vector<Event>;

struct Aggregate {
    enum class Kind {
        count,
        count_attr,
        unique,
        rate,
        average,
        max,
        percentile,
        uniques
    } kind = Kind::count;
    std::string attr;
    std::vector<double> ranks;
    std::optional<Predicate> where;  // filter(…, WHERE …)
    std::string alias;
};

bool has_value(const Event& e, const std::string& attr) {
    return !std::holds_alternative<std::monostate>(fake_attribute(e, attr));
}

// An aggregate function without its alias; `filter(` nests one.
std::optional<Aggregate> function(Scanner& in) {
    using K = Aggregate::Kind;
    Aggregate a;
    if (in.eat("filter(")) {
        auto inner = function(in);
        auto where = inner && in.eat(", WHERE ") ? fake_nrql::conjunction(in) : std::nullopt;
        if (!where || inner->where || !in.eat(")")) return std::nullopt;
        inner->where = std::move(*where);
        return inner;
    }
    if (in.eat("count(*)")) return a;
    if (in.eat("rate(count(*), 1 minute)")) {
        a.kind = K::rate;
        return a;
    }
    const std::pair<const char*, K> named[] = {
        {"count(", K::count_attr},
        {"uniqueCount(", K::unique},
        {"average(", K::average},
        {"max(", K::max},
        {"percentile(", K::percentile},
        {"uniques(", K::uniques},
    };
    const auto it = std::find_if(std::begin(named), std::end(named), [&in](const auto& n) {
        return in.eat(n.first);
    });
    if (it == std::end(named)) return std::nullopt;
    a.kind = it->second;
    auto attr = in.identifier();
    if (!attr) return std::nullopt;
    a.attr = *attr;
    if (a.kind == K::uniques && in.eat(", ")) {  // uniques(attr, limit): up to limit values
        auto limit = in.number();
        if (!limit || *limit < 1 || *limit > 10000) return std::nullopt;
        a.ranks.push_back(*limit);
    }
    while (a.kind == K::percentile && in.eat(", ")) {
        auto rank = in.number();
        if (!rank) return std::nullopt;
        a.ranks.push_back(*rank);
    }
    if ((a.kind == K::percentile && a.ranks.empty()) || !in.eat(")")) return std::nullopt;
    return a;
}

std::optional<Aggregate> aggregate(Scanner& in) {
    auto a = function(in);
    auto alias = a && in.eat(" AS ") ? in.quoted() : std::nullopt;  // we alias every aggregate
    if (!alias) return std::nullopt;
    a->alias = *alias;
    return a;
}

struct ParsedNrql {
    std::vector<Aggregate> select;
    std::vector<std::string> attributes;  // a raw SELECT of attributes (no aggregate)
    std::set<std::string> from;
    Predicate where = [](const Event&) { return true; };
    std::vector<std::string> facets;
    std::vector<std::pair<Predicate, std::string>> cases;  // FACET CASES (WHERE … AS '…', …)
    std::int64_t since = 0, until = 0;
    std::int64_t bucket_ms = 0;  // TIMESERIES
    std::optional<std::size_t> limit;
};

bool parse_select(Scanner& in, ParsedNrql& q) {
    const auto start = in.mark();
    do {
        auto a = aggregate(in);
        if (!a) break;
        q.select.push_back(std::move(*a));
    } while (in.eat(", "));
    if (!q.select.empty()) return in.next_is(" FROM ");
    in.reset(start);
    do {
        auto attr = in.identifier();
        if (!attr || in.next_is("(")) return false;
        q.attributes.push_back(*attr);
    } while (in.eat(", "));
    return true;
}

bool parse_tail(Scanner& in, ParsedNrql& q) {
    auto since = in.eat(" SINCE ") ? in.number() : std::nullopt;
    auto until = since && in.eat(" UNTIL ") ? in.number() : std::nullopt;
    if (!until) return false;
    q.since = static_cast<std::int64_t>(*since);
    q.until = static_cast<std::int64_t>(*until);
    if (in.eat(" TIMESERIES ")) {
        const auto n = in.number();
        if (!n || *n < 1 || (!in.eat(" minutes") && !in.eat(" minute"))) return false;
        q.bucket_ms = static_cast<std::int64_t>(*n) * 60'000;
        const auto buckets = (q.until - q.since + q.bucket_ms - 1) / q.bucket_ms;
        if (!q.facets.empty() || !q.attributes.empty() || buckets > 366) return false;
    }
    if (in.eat(" LIMIT ")) {
        auto n = in.eat("MAX") ? std::optional<double>(5000) : in.number();
        if (!n || *n < 1 || *n > 5000) return false;  // New Relic refuses more
        q.limit = static_cast<std::size_t>(*n);
    }
    return in.done();
}

std::optional<ParsedNrql> parse(const std::string& nrql) {
    Scanner in(nrql);
    ParsedNrql q;
    if (!in.eat("SELECT ") || !parse_select(in, q)) return std::nullopt;
    if (!in.eat(" FROM ")) return std::nullopt;
    do {  // FROM A[, B…]: events of any of the types
        const auto type = in.identifier();
        static const std::set<std::string> kTypes{
            "Transaction", "Span", "Log", "Deployment", "ChangeTrackingEvent"};
        if (!type || !kTypes.contains(*type)) return std::nullopt;
        q.from.insert(*type);
    } while (in.eat(", "));
    if (in.eat(" WHERE ")) {
        auto where = fake_nrql::conjunction(in);
        if (!where) return std::nullopt;
        q.where = std::move(*where);
    }
    if (in.eat(" FACET CASES (")) {
        do {
            auto where = in.eat("WHERE ") ? fake_nrql::conjunction(in) : std::nullopt;
            auto label = where && in.eat(" AS ") ? in.quoted() : std::nullopt;
            if (!label) return std::nullopt;
            q.cases.emplace_back(std::move(*where), std::move(*label));
        } while (in.eat(", "));
        if (!in.eat(")") || !q.attributes.empty()) return std::nullopt;
    } else if (in.eat(" FACET ")) {
        do {
            auto attr = in.identifier();
            if (!attr) return std::nullopt;
            q.facets.push_back(*attr);
        } while (in.eat(", "));
        if (!q.attributes.empty()) return std::nullopt;
    }
    if (!parse_tail(in, q)) return std::nullopt;
    return q;
}

double nearest_rank(const std::vector<double>& sorted, double rank) {
    const auto n = static_cast<double>(sorted.size());
    const auto i = static_cast<std::size_t>(std::max(1.0, std::ceil(rank / 100.0 * n)));
    return sorted[std::min(sorted.size(), i) - 1];
}

json numbers_of(const Aggregate& a, const Events& events) {
    using K = Aggregate::Kind;
    std::vector<double> values;
    for (const auto& e : events) {
        const auto v = fake_attribute(e, a.attr);
        if (std::holds_alternative<double>(v)) values.push_back(std::get<double>(v));
    }
    if (values.empty()) return nullptr;
    std::sort(values.begin(), values.end());
    if (a.kind == K::max) return values.back();
    if (a.kind == K::average) {
        double sum = 0;
        for (const double v : values) sum += v;
        return sum / static_cast<double>(values.size());
    }
    json out = json::object();
    for (const double rank : a.ranks) out[fmt::format("{}", rank)] = nearest_rank(values, rank);
    return out;
}

json value_of(const Aggregate& a, const Events& all, const ParsedNrql& q) {
    using K = Aggregate::Kind;
    Events events;
    for (const auto& e : all) {
        if (!a.where || (*a.where)(e)) events.push_back(e);
    }
    if (a.kind == K::count) return events.size();
    if (a.kind == K::count_attr) {
        return std::count_if(events.begin(), events.end(), [&a](const Event& e) {
            return has_value(e, a.attr);
        });
    }
    if (a.kind == K::unique) {
        std::set<std::string> seen;
        for (const auto& e : events) {
            const auto v = fake_attribute(e, a.attr);
            if (const auto* s = std::get_if<std::string>(&v)) seen.insert("s" + *s);
            if (const auto* d = std::get_if<double>(&v)) seen.insert(fmt::format("d{}", *d));
        }
        return seen.size();
    }
    if (a.kind == K::uniques) {  // distinct text values in event order, at most the limit
        json out = json::array();
        std::set<std::string> seen;
        const auto limit = a.ranks.empty() ? 1000.0 : a.ranks.front();
        for (const auto& e : events) {
            const auto v = fake_attribute(e, a.attr);
            const auto* s = std::get_if<std::string>(&v);
            if (s != nullptr && static_cast<double>(seen.size()) < limit &&
                seen.insert(*s).second) {
                out.push_back(*s);
            }
        }
        return out;
    }
    if (a.kind == K::rate) {
        const double minutes = static_cast<double>(q.until - q.since) / 60'000.0;
        return minutes > 0 ? static_cast<double>(events.size()) / minutes : 0.0;
    }
    return numbers_of(a, events);
}

json row_of(const ParsedNrql& q, const Events& events) {
    json row = json::object();
    for (const auto& a : q.select) row[a.alias] = value_of(a, events, q);
    return row;
}

// Facets are chosen and ordered by the first aggregate, largest first.
double order_key(const json& v) {
    if (v.is_number()) return v.get<double>();
    if (v.is_object() && !v.empty() && v.begin()->is_number()) return v.begin()->get<double>();
    return -std::numeric_limits<double>::infinity();
}

// FACET CASES: each event in the first case it meets; rows faceted by the case's label.
json case_rows(const ParsedNrql& q, const Events& hits) {
    std::map<std::size_t, Events> groups;
    for (const auto& e : hits) {
        for (std::size_t i = 0; i < q.cases.size(); ++i) {
            if (q.cases[i].first(e)) {
                groups[i].push_back(e);
                break;
            }
        }
    }
    json rows = json::array();
    for (const auto& [i, members] : groups) {
        auto row = row_of(q, members);
        row["facet"] = q.cases[i].second;
        rows.push_back(std::move(row));
    }
    return rows;
}

json facet_rows(const ParsedNrql& q, const Events& hits) {
    std::map<std::vector<std::string>, Events> groups;
    for (const auto& e : hits) {
        std::vector<std::string> key;
        for (const auto& attr : q.facets) {
            const auto v = fake_attribute(e, attr);
            if (const auto* s = std::get_if<std::string>(&v)) key.push_back(*s);
        }
        if (key.size() == q.facets.size()) groups[key].push_back(e);  // no null facets
    }
    std::vector<json> list;
    for (const auto& [key, members] : groups) {
        auto row = row_of(q, members);
        const bool one = key.size() == 1;
        row["facet"] = !one || q.from.contains("Span") ? json(key) : json(key.front());
        for (std::size_t i = 0; i < key.size(); ++i) row[q.facets[i]] = key[i];
        list.push_back(std::move(row));
    }
    const auto& first = q.select.front().alias;
    std::stable_sort(list.begin(), list.end(), [&first](const json& a, const json& b) {
        return order_key(a[first]) > order_key(b[first]);
    });
    if (list.size() > q.limit.value_or(10)) list.resize(q.limit.value_or(10));  // FACET: 10
    return json(std::move(list));
}

// One row per bucket from SINCE, each with its window in seconds.
json timeseries_rows(const ParsedNrql& q, const Events& hits) {
    json rows = json::array();
    for (std::int64_t begin = q.since; begin < q.until; begin += q.bucket_ms) {
        const auto end = std::min(q.until, begin + q.bucket_ms);
        Events in_bucket;
        for (const auto& e : hits) {
            const auto ts = fake_timestamp(e);
            if (ts >= begin && ts < end) in_bucket.push_back(e);
        }
        auto row = row_of(q, in_bucket);
        row["beginTimeSeconds"] = begin / 1000;
        row["endTimeSeconds"] = end / 1000;
        rows.push_back(std::move(row));
    }
    return rows;
}

json to_json(const FakeValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* b = std::get_if<bool>(&v)) return *b;
    return nullptr;
}

// A raw SELECT: the most recent events first, each with `timestamp` and the attributes asked
// (null when absent), LIMIT 100 by default.
json attribute_rows(const ParsedNrql& q, Events hits) {
    std::stable_sort(hits.begin(), hits.end(), [](const Event& a, const Event& b) {
        return fake_timestamp(a) > fake_timestamp(b);
    });
    if (hits.size() > q.limit.value_or(100)) hits.resize(q.limit.value_or(100));
    json rows = json::array();
    for (const auto& e : hits) {
        json row{{"timestamp", fake_timestamp(e)}};
        for (const auto& attr : q.attributes) row[attr] = to_json(fake_attribute(e, attr));
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

std::optional<json> evaluate_nrql(const std::string& nrql, const std::vector<FakeEvent>& events) {
    const auto q = parse(nrql);
    if (!q) return std::nullopt;
    Events hits;
    for (const auto& e : events) {
        const auto ts = fake_timestamp(e);
        if (q->from.contains(fake_event_type(e)) && ts >= q->since && ts < q->until &&
            q->where(e)) {
            hits.push_back(e);
        }
    }
    if (!q->attributes.empty()) return attribute_rows(*q, std::move(hits));
    if (q->bucket_ms > 0) return timeseries_rows(*q, hits);
    if (!q->cases.empty()) return case_rows(*q, hits);
    if (!q->facets.empty()) return facet_rows(*q, hits);
    return json::array({row_of(*q, hits)});
}

}  // namespace nra::test
