#include "nra/statement.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/ascii.hpp"

namespace nra {
namespace {

using ascii::is_digit;
using ascii::is_hex;

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_word(char c) {
    return is_alpha(c) || is_digit(c) || c == '_' || c == '$';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

// Tokenizes SQL just enough to replace literals and placeholders with `?`; everything else is
// copied with runs of whitespace collapsed to one space. Comments are dropped because
// sqlcommenter-style tags carry per-request ids that would split one query into many shapes.
class SqlNormalizer {
public:
    explicit SqlNormalizer(std::string_view sql) : in_(sql) { out_.reserve(sql.size()); }

    std::string run() {
        while (pos_ < in_.size()) {
            step();
        }
        while (!out_.empty() && out_.back() == ' ') {
            out_.pop_back();
        }
        return std::move(out_);
    }

private:
    char at(std::size_t i) const { return i < in_.size() ? in_[i] : '\0'; }

    void step() {
        const char c = in_[pos_];
        if (is_space(c)) {
            skip_space();
        } else if (c == '-' && at(pos_ + 1) == '-') {
            skip_line_comment();
        } else if (c == '/' && at(pos_ + 1) == '*') {
            skip_block_comment();
        } else if (c == '\'') {
            skip_quoted(pos_);
        } else if (is_digit(c) || (c == '.' && is_digit(at(pos_ + 1)))) {
            skip_number();
        } else if (c == '-' && is_digit(at(pos_ + 1)) && sign_position()) {
            ++pos_;
            skip_number();
        } else if (is_alpha(c) || c == '_') {
            word();
        } else if (c == '"' || c == '`') {
            copy_quoted_identifier(c);
        } else {
            placeholder_or_punct();
        }
    }

    void emit_literal() { out_ += '?'; }

    void skip_space() {
        while (pos_ < in_.size() && is_space(in_[pos_])) {
            ++pos_;
        }
        if (!out_.empty() && out_.back() != ' ') {
            out_ += ' ';
        }
    }

    void skip_line_comment() {
        while (pos_ < in_.size() && in_[pos_] != '\n') {
            ++pos_;
        }
    }

    void skip_block_comment() {
        const std::size_t end = in_.find("*/", pos_ + 2);
        pos_ = end == std::string_view::npos ? in_.size() : end + 2;
    }

    // A string literal from `from` (its opening quote); '' is an escaped quote. An unterminated
    // literal (truncated statement) runs to the end.
    void skip_quoted(std::size_t from) {
        std::size_t i = from + 1;
        while (i < in_.size()) {
            if (in_[i] == '\'') {
                if (at(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                ++i;
                break;
            }
            ++i;
        }
        pos_ = i;
        emit_literal();
    }

    void skip_number() {
        if (in_[pos_] == '0' && (at(pos_ + 1) == 'x' || at(pos_ + 1) == 'X')) {
            pos_ += 2;
            while (is_hex(at(pos_))) {
                ++pos_;
            }
            emit_literal();
            return;
        }
        while (is_digit(at(pos_)) || at(pos_) == '.') {
            ++pos_;
        }
        const char e = at(pos_);
        const char after = at(pos_ + 1);
        const bool signed_exp = (after == '+' || after == '-') && is_digit(at(pos_ + 2));
        if ((e == 'e' || e == 'E') && (is_digit(after) || signed_exp)) {
            pos_ += signed_exp ? 2 : 1;
            while (is_digit(at(pos_))) {
                ++pos_;
            }
        }
        emit_literal();
    }

    // A '-' before a number is a sign (part of the literal) after an operator, '(' or ',' or at
    // the start; after an operand (a = b - 1) it is a subtraction and stays.
    bool sign_position() const {
        std::size_t i = out_.size();
        while (i > 0 && out_[i - 1] == ' ') {
            --i;
        }
        if (i == 0) {
            return true;
        }
        const char p = out_[i - 1];
        return p == '=' || p == '<' || p == '>' || p == '(' || p == ',' || p == '+' || p == '-' ||
               p == '*' || p == '/';
    }

    void word() {
        const std::size_t start = pos_;
        while (pos_ < in_.size() && is_word(in_[pos_])) {
            ++pos_;
        }
        const std::string_view w = in_.substr(start, pos_ - start);
        // N'…', E'…', X'…', B'…': prefixed string literals.
        if (w.size() == 1 && at(pos_) == '\'' &&
            (iequals(w, "n") || iequals(w, "e") || iequals(w, "x") || iequals(w, "b"))) {
            skip_quoted(pos_);
            return;
        }
        if (iequals(w, "true") || iequals(w, "false")) {
            emit_literal();
            return;
        }
        out_ += w;
    }

    void copy_quoted_identifier(char close) {
        const std::size_t end = in_.find(close, pos_ + 1);
        const std::size_t stop = end == std::string_view::npos ? in_.size() : end + 1;
        out_ += in_.substr(pos_, stop - pos_);
        pos_ = stop;
    }

    // `?`, `?1`, `$1`, `:name`, `@p1`, `%s`, `%(name)s` are bind placeholders. `::` (a Postgres
    // cast), `@@var` (a MySQL system variable) and `user:name` (a key) are not.
    void placeholder_or_punct() {
        const char c = in_[pos_];
        const char n = at(pos_ + 1);
        const char prev = pos_ == 0 ? ' ' : in_[pos_ - 1];
        std::size_t len = 0;
        if (c == '?' || (c == '$' && is_digit(n))) {
            len = 1;
            while (is_digit(at(pos_ + len))) {
                ++len;
            }
        } else if ((c == ':' || c == '@') && is_word(n) && !is_word(prev) && prev != c) {
            len = 1;
            while (is_word(at(pos_ + len))) {
                ++len;
            }
        } else if (c == '%' && n == 's') {
            len = 2;
        } else if (c == '%' && n == '(') {
            const std::size_t close = in_.find(")s", pos_);
            len = close == std::string_view::npos ? 1 : close + 2 - pos_;
        }
        if (len > 0) {
            pos_ += len;
            emit_literal();
            return;
        }
        out_ += c;
        ++pos_;
    }

    std::string_view in_;
    std::size_t pos_ = 0;
    std::string out_;
};

// Index just past the parenthesised group that opens at s[open] ('('), or npos if unbalanced.
std::size_t group_end(std::string_view s, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < s.size(); ++i) {
        if (s[i] == '(') {
            ++depth;
        } else if (s[i] == ')' && --depth == 0) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

bool only_placeholders(std::string_view group) {
    bool any = false;
    for (const char c : group.substr(1, group.size() - 2)) {
        if (c == '?') {
            any = true;
        } else if (c != ',' && c != ' ') {
            return false;
        }
    }
    return any;
}

// True when the word ending just before `i` (skipping one space) is `keyword`.
bool preceded_by(std::string_view s, std::size_t i, std::string_view keyword) {
    if (i > 0 && s[i - 1] == ' ') {
        --i;
    }
    if (i < keyword.size()) {
        return false;
    }
    const std::size_t start = i - keyword.size();
    return iequals(s.substr(start, keyword.size()), keyword) &&
           (start == 0 || !is_word(s[start - 1]));
}

bool same_ignoring_spaces(std::string_view a, std::string_view b) {
    std::size_t i = 0;
    std::size_t j = 0;
    for (;;) {
        while (i < a.size() && a[i] == ' ') {
            ++i;
        }
        while (j < b.size() && b[j] == ' ') {
            ++j;
        }
        if (i == a.size() || j == b.size()) {
            return i == a.size() && j == b.size();
        }
        if (a[i++] != b[j++]) {
            return false;
        }
    }
}

// Index after the ", (…)" groups that repeat `group` (multi-row VALUES) starting at `after`.
std::size_t skip_repeated_groups(std::string_view s, std::string_view group, std::size_t after) {
    for (;;) {
        std::size_t i = after;
        if (i < s.size() && s[i] == ' ') {
            ++i;
        }
        if (i >= s.size() || s[i] != ',') {
            return after;
        }
        ++i;
        if (i < s.size() && s[i] == ' ') {
            ++i;
        }
        const std::size_t end =
            i < s.size() && s[i] == '(' ? group_end(s, i) : std::string_view::npos;
        if (end == std::string_view::npos || !same_ignoring_spaces(s.substr(i, end - i), group)) {
            return after;
        }
        after = end;
    }
}

// IN (?, ?, ?) → IN (?); VALUES (?, ?), (?, ?) → VALUES (?, ?).
std::string collapse_lists(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '(') {  // text up to the next group goes as it is
            const std::size_t stop = std::min(s.find('(', i), s.size());
            out += s.substr(i, stop - i);
            i = stop;
            continue;
        }
        // Only look for the closing parenthesis after IN/VALUES: scanning every group would be
        // quadratic in the nesting depth.
        const bool in_list = preceded_by(s, i, "IN");
        const bool values = !in_list && preceded_by(s, i, "VALUES");
        const std::size_t end = (in_list || values) ? group_end(s, i) : std::string_view::npos;
        if (end == std::string_view::npos) {
            out += s[i++];
            continue;
        }
        const std::string_view group = s.substr(i, end - i);
        if (in_list && only_placeholders(group)) {
            out += "(?)";
            i = end;
        } else if (values) {
            out += group;
            i = skip_repeated_groups(s, group, end);
        } else {
            out += s[i++];
        }
    }
    return out;
}

}  // namespace

std::string normalize_statement(std::string_view sql) {
    return collapse_lists(SqlNormalizer(sql).run());
}

}  // namespace nra
