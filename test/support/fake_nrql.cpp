// The fake NerdGraph's NRQL evaluator for aggregate queries (see fake_nerdgraph_metrics.hpp):
// SELECT <aliased aggregates> FROM Transaction|Span [WHERE <conditions>] [FACET <attr>[, <attr>]]
// SINCE <ms> UNTIL <ms> [LIMIT <n>|MAX]. Conditions: AND of atoms (attr IS [NOT] NULL|TRUE|
// FALSE, = / != / LIKE '…', IN ('…', …), <= >= < > number) and parenthesised ORs of atoms.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <variant>

#include "support/fake_nerdgraph_metrics.hpp"

namespace nra::test {
namespace {

using nlohmann::json;
using Event = FakeRequestEvent;
using Value = FakeValue;
using Predicate = std::function<bool(const Event&)>;

Value attribute(const Event& e, const std::string& name) {
    return fake_attribute(e, name);
}

class Scanner {
public:
    explicit Scanner(const std::string& text) : s_(text) {}
    bool eat(std::string_view word) {
        if (s_.compare(pos_, word.size(), word) != 0) return false;
        pos_ += word.size();
        return true;
    }
    bool done() const { return pos_ == s_.size(); }
    std::optional<std::string> identifier() {
        const auto start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                    s_[pos_] == '_' || s_[pos_] == '.')) {
            ++pos_;
        }
        if (pos_ == start) return std::nullopt;
        return s_.substr(start, pos_ - start);
    }
    // '…' with \' and \\ (any \x is x), as NRQL reads string literals.
    std::optional<std::string> quoted() {
        if (!eat("'")) return std::nullopt;
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != '\'') {
            if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
            out.push_back(s_[pos_++]);
        }
        if (!eat("'")) return std::nullopt;
        return out;
    }
    std::optional<double> number() {
        const auto start = pos_;
        while (pos_ < s_.size() &&
               (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) {
            ++pos_;
        }
        if (pos_ == start) return std::nullopt;
        return std::stod(s_.substr(start, pos_ - start));
    }

private:
    const std::string& s_;
    std::size_t pos_ = 0;
};

std::string lowered(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// NRQL LIKE: `%` is any run, everything else literal, case-insensitive.
bool like(const std::string& text, const std::string& pattern) {
    const auto t = lowered(text);
    const auto p = lowered(pattern);
    std::size_t i = 0, j = 0, star = std::string::npos, mark = 0;
    while (i < t.size()) {
        if (j < p.size() && p[j] != '%' && p[j] == t[i]) {
            ++i;
            ++j;
        } else if (j < p.size() && p[j] == '%') {
            star = j++;
            mark = i;
        } else if (star != std::string::npos) {
            j = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (j < p.size() && p[j] == '%') ++j;
    return j == p.size();
}

std::optional<Predicate> compare(const std::string& attr, Scanner& in) {
    using Op = std::function<bool(double, double)>;
    const std::pair<const char*, Op> ops[] = {
        {" <= ", std::less_equal<>()},
        {" >= ", std::greater_equal<>()},
        {" < ", std::less<>()},
        {" > ", std::greater<>()},
    };
    for (const auto& [word, op] : ops) {
        if (!in.eat(word)) continue;
        const auto n = in.number();
        if (!n) return std::nullopt;
        return [attr, op = op, n = *n](const Event& e) {
            const auto v = attribute(e, attr);
            return std::holds_alternative<double>(v) && op(std::get<double>(v), n);
        };
    }
    return std::nullopt;
}

std::optional<Predicate> atom(Scanner& in);

std::optional<Predicate> disjunction(Scanner& in) {
    std::vector<Predicate> any;
    do {
        auto p = atom(in);
        if (!p) return std::nullopt;
        any.push_back(std::move(*p));
    } while (in.eat(" OR "));
    if (!in.eat(")")) return std::nullopt;
    return [any](const Event& e) {
        return std::any_of(any.begin(), any.end(), [&e](const auto& p) { return p(e); });
    };
}

std::optional<Predicate> string_test(const std::string& attr, Scanner& in) {
    for (const char* word : {" = ", " != ", " LIKE "}) {
        if (!in.eat(word)) continue;
        const auto text = in.quoted();
        if (!text) return std::nullopt;
        const std::string op = word;
        return [attr, op, text = *text](const Event& e) {
            const auto v = attribute(e, attr);
            const auto* s = std::get_if<std::string>(&v);
            if (s == nullptr) return false;  // null compares false, even with !=
            return op == " = " ? *s == text : op == " != " ? *s != text : like(*s, text);
        };
    }
    if (!in.eat(" IN (")) return compare(attr, in);
    std::vector<std::string> list;
    do {
        auto text = in.quoted();
        if (!text) return std::nullopt;
        list.push_back(std::move(*text));
    } while (in.eat(", "));
    if (!in.eat(")")) return std::nullopt;
    return [attr, list](const Event& e) {
        const auto v = attribute(e, attr);
        const auto* s = std::get_if<std::string>(&v);
        return s != nullptr && std::find(list.begin(), list.end(), *s) != list.end();
    };
}

std::optional<Predicate> atom(Scanner& in) {
    if (in.eat("(")) return disjunction(in);
    const auto attr = in.identifier();
    if (!attr) return std::nullopt;
    const auto a = *attr;
    if (in.eat(" IS NOT NULL")) {
        return [a](const Event& e) {
            return !std::holds_alternative<std::monostate>(attribute(e, a));
        };
    }
    if (in.eat(" IS NULL")) {
        return
            [a](const Event& e) { return std::holds_alternative<std::monostate>(attribute(e, a)); };
    }
    for (const bool truth : {true, false}) {
        if (!in.eat(truth ? " IS TRUE" : " IS FALSE")) continue;
        return [a, truth](const Event& e) {
            const auto v = attribute(e, a);
            return std::holds_alternative<bool>(v) && std::get<bool>(v) == truth;
        };
    }
    return string_test(a, in);
}

std::optional<Predicate> conjunction(Scanner& in) {
    std::vector<Predicate> all;
    do {
        auto p = atom(in);
        if (!p) return std::nullopt;
        all.push_back(std::move(*p));
    } while (in.eat(" AND "));
    return [all](const Event& e) {
        return std::all_of(all.begin(), all.end(), [&e](const auto& p) { return p(e); });
    };
}

struct Aggregate {
    enum class Kind { count, rate, average, max, percentile, filter } kind = Kind::count;
    std::string attr;
    std::vector<double> ranks;
    Predicate where;
    std::string alias;
};

std::optional<Aggregate> aggregate(Scanner& in) {
    using K = Aggregate::Kind;
    Aggregate a;
    if (in.eat("count(*)")) {
        a.kind = K::count;
    } else if (in.eat("rate(count(*), 1 minute)")) {
        a.kind = K::rate;
    } else if (in.eat("filter(count(*), WHERE ")) {
        auto where = conjunction(in);
        if (!where || !in.eat(")")) return std::nullopt;
        a.kind = K::filter;
        a.where = std::move(*where);
    } else {
        const bool avg = in.eat("average(");
        const bool max = !avg && in.eat("max(");
        const bool pct = !avg && !max && in.eat("percentile(");
        auto attr = (avg || max || pct) ? in.identifier() : std::nullopt;
        if (!attr) return std::nullopt;
        a.kind = avg ? K::average : max ? K::max : K::percentile;
        a.attr = *attr;
        while (pct && in.eat(", ")) {
            auto rank = in.number();
            if (!rank) return std::nullopt;
            a.ranks.push_back(*rank);
        }
        if ((pct && a.ranks.empty()) || !in.eat(")")) return std::nullopt;
    }
    auto alias = in.eat(" AS ") ? in.quoted() : std::nullopt;  // we alias every aggregate
    if (!alias) return std::nullopt;
    a.alias = *alias;
    return a;
}

struct ParsedNrql {
    std::vector<Aggregate> select;
    ServiceKind from = ServiceKind::apm;
    Predicate where = [](const Event&) { return true; };
    std::vector<std::string> facets;
    std::int64_t since = 0, until = 0;
    std::size_t limit = 10;  // New Relic's default for FACET
};

std::optional<ParsedNrql> parse(const std::string& nrql) {
    Scanner in(nrql);
    ParsedNrql q;
    if (!in.eat("SELECT ")) return std::nullopt;
    do {
        auto a = aggregate(in);
        if (!a) return std::nullopt;
        q.select.push_back(std::move(*a));
    } while (in.eat(", "));
    if (in.eat(" FROM Span")) {
        q.from = ServiceKind::otel;
    } else if (!in.eat(" FROM Transaction")) {
        return std::nullopt;
    }
    if (in.eat(" WHERE ")) {
        auto where = conjunction(in);
        if (!where) return std::nullopt;
        q.where = std::move(*where);
    }
    if (in.eat(" FACET ")) {
        do {
            auto attr = in.identifier();
            if (!attr) return std::nullopt;
            q.facets.push_back(*attr);
        } while (in.eat(", "));
    }
    auto since = in.eat(" SINCE ") ? in.number() : std::nullopt;
    auto until = since && in.eat(" UNTIL ") ? in.number() : std::nullopt;
    if (!until) return std::nullopt;
    q.since = static_cast<std::int64_t>(*since);
    q.until = static_cast<std::int64_t>(*until);
    if (in.eat(" LIMIT ")) {
        auto n = in.eat("MAX") ? std::optional<double>(5000) : in.number();
        if (!n || *n < 1 || *n > 5000) return std::nullopt;  // New Relic refuses more
        q.limit = static_cast<std::size_t>(*n);
    }
    if (!in.done()) return std::nullopt;
    return q;
}

double nearest_rank(const std::vector<double>& sorted, double rank) {
    const auto n = static_cast<double>(sorted.size());
    const auto i = static_cast<std::size_t>(std::max(1.0, std::ceil(rank / 100.0 * n)));
    return sorted[std::min(sorted.size(), i) - 1];
}

json value_of(const Aggregate& a, const std::vector<const Event*>& events, const ParsedNrql& q) {
    using K = Aggregate::Kind;
    if (a.kind == K::count) return events.size();
    if (a.kind == K::rate) {
        const double minutes = static_cast<double>(q.until - q.since) / 60'000.0;
        return minutes > 0 ? static_cast<double>(events.size()) / minutes : 0.0;
    }
    if (a.kind == K::filter) {
        return std::count_if(events.begin(), events.end(), [&a](auto* e) { return a.where(*e); });
    }
    std::vector<double> values;
    for (const auto* e : events) {
        const auto v = attribute(*e, a.attr);
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

json row_of(const ParsedNrql& q, const std::vector<const Event*>& events) {
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

}  // namespace

std::optional<json> evaluate_nrql(
    const std::string& nrql, const std::vector<const Event*>& events
) {
    const auto q = parse(nrql);
    if (!q) return std::nullopt;
    std::vector<const Event*> hits;
    for (const auto* e : events) {
        if (is_span_row(*e) == (q->from == ServiceKind::otel) && e->timestamp_ms >= q->since &&
            e->timestamp_ms < q->until && q->where(*e)) {
            hits.push_back(e);
        }
    }
    json rows = json::array();
    if (q->facets.empty()) {
        rows.push_back(row_of(*q, hits));
        return rows;
    }
    std::map<std::vector<std::string>, std::vector<const Event*>> groups;
    for (const auto* e : hits) {
        std::vector<std::string> key;
        for (const auto& attr : q->facets) {
            const auto v = attribute(*e, attr);
            if (const auto* s = std::get_if<std::string>(&v)) key.push_back(*s);
        }
        if (key.size() == q->facets.size()) groups[key].push_back(e);  // no null facets
    }
    std::vector<json> list;
    for (const auto& [key, members] : groups) {
        auto row = row_of(*q, members);
        const bool one = key.size() == 1;
        row["facet"] = !one || q->from == ServiceKind::otel ? json(key) : json(key.front());
        for (std::size_t i = 0; i < key.size(); ++i) row[q->facets[i]] = key[i];
        list.push_back(std::move(row));
    }
    const auto& first = q->select.front().alias;
    std::stable_sort(list.begin(), list.end(), [&first](const json& a, const json& b) {
        return order_key(a[first]) > order_key(b[first]);
    });
    if (list.size() > q->limit) list.resize(q->limit);
    for (auto& row : list) rows.push_back(std::move(row));
    return rows;
}

}  // namespace nra::test
