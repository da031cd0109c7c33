#include "support/fake_nrql_where.hpp"

#include <algorithm>
#include <variant>
#include <vector>

namespace nra::test::fake_nrql {
namespace {

using Event = FakeEvent;

FakeValue attribute(const Event& e, const std::string& name) {
    return fake_attribute(e, name);
}

}  // namespace

std::string lowered(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

namespace {

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

std::optional<Predicate> either(Scanner& in);

// After "(": an expression and its ")".
std::optional<Predicate> disjunction(Scanner& in) {
    auto p = either(in);
    if (!p || !in.eat(")")) return std::nullopt;
    return p;
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

// atom AND atom …: AND binds tighter than OR, as in NRQL.
std::optional<Predicate> both(Scanner& in) {
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

std::optional<Predicate> either(Scanner& in) {
    std::vector<Predicate> any;
    do {
        auto p = both(in);
        if (!p) return std::nullopt;
        any.push_back(std::move(*p));
    } while (in.eat(" OR "));
    if (any.size() == 1) return any.front();
    return [any](const Event& e) {
        return std::any_of(any.begin(), any.end(), [&e](const auto& p) { return p(e); });
    };
}

}  // namespace

std::optional<Predicate> conjunction(Scanner& in) {
    return either(in);
}

}  // namespace nra::test::fake_nrql
