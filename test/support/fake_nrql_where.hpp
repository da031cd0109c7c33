// The fake NerdGraph's NRQL scanner and WHERE conditions (fake_nrql.cpp evaluates the rest):
// ANDs and ORs (AND binding tighter, parentheses nesting) of atoms (attr IS [NOT] NULL|TRUE|FALSE,
// = / != / LIKE '…', IN ('…', …), <= >= < > number), over any event type.
#pragma once

#include <cctype>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "support/fake_nerdgraph_metrics.hpp"

namespace nra::test::fake_nrql {

using Predicate = std::function<bool(const FakeEvent&)>;

class Scanner {
public:
    explicit Scanner(const std::string& text) : s_(text) {}
    bool eat(std::string_view word) {
        if (s_.compare(pos_, word.size(), word) != 0) return false;
        pos_ += word.size();
        return true;
    }
    bool done() const { return pos_ == s_.size(); }
    bool next_is(std::string_view word) const { return s_.compare(pos_, word.size(), word) == 0; }
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
        const auto text = s_.substr(start, pos_ - start);
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
        return value;
    }
    std::size_t mark() const { return pos_; }
    void reset(std::size_t mark) { pos_ = mark; }

private:
    const std::string& s_;
    std::size_t pos_ = 0;
};

std::string lowered(std::string s);

// A condition (ANDs and ORs of atoms) up to the first text that is not one; nullopt when
// malformed.
std::optional<Predicate> conjunction(Scanner& in);

}  // namespace nra::test::fake_nrql
