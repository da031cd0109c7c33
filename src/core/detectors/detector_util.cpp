// Helpers shared by the detectors: span predicates and the wording of findings.
#include "detector_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace nra::detect {
namespace {

std::string first_word_lower(std::string_view text) {
    std::size_t b = 0;
    while (b < text.size() && (std::isspace(static_cast<unsigned char>(text[b])) || text[b] == '(')
    ) {
        ++b;
    }
    std::string word;
    for (std::size_t i = b; i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]));
         ++i) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    }
    return word;
}

// Statement verbs (SQL and key-value stores) that change data or transaction state.
bool is_write_verb(std::string_view verb) {
    static constexpr std::array<std::string_view, 22> kWrites{
        "insert", "update",   "delete", "merge",  "upsert",   "replace", "create", "drop",
        "alter",  "truncate", "begin",  "commit", "rollback", "set",     "del",    "put",
        "save",   "write",    "call",   "exec",   "execute",  "lock"};
    return std::find(kWrites.begin(), kWrites.end(), verb) != kWrites.end();
}

}  // namespace

bool is_datastore(const Span& span) {
    return span.category == SpanCategory::datastore || !span.db_system.empty() ||
           !span.db_statement.empty();
}

bool is_http_client(const Span& span) {
    return span.category == SpanCategory::http && span.kind != SpanKind::server &&
           span.kind != SpanKind::consumer;
}

bool attempt_failed(const Span& span) {
    return span.error || span.http_status >= 500 || span.http_status == 429;
}

bool looks_like_read(const Context& ctx, std::int32_t i) {
    const Span& span = ctx.tree.span(i);
    switch (ctx.call[static_cast<std::size_t>(i)]) {
        case CallKind::db: {
            const std::string_view text = span.db_statement.empty() ? span.name : span.db_statement;
            return !is_write_verb(first_word_lower(text));
        }
        case CallKind::http: {
            const std::string method = first_word_lower(span.http_method);
            return method.empty() || method == "get" || method == "head" || method == "options";
        }
        case CallKind::other:
            return span.kind != SpanKind::producer;  // publishing a message is a write
        case CallKind::none:
            break;
    }
    return false;
}

std::string failure_reason(const Span& s) {
    std::string_view msg = s.error_message.empty() ? s.error_class : s.error_message;
    if (s.http_status > 0 && msg == std::to_string(s.http_status)) {
        msg = {};  // Zipkin's error tag often repeats the status code
    }
    if (s.http_status > 0 && !msg.empty()) {
        return fmt::format("HTTP {}, \"{}\"", s.http_status, shorten(msg, 60));
    }
    if (s.http_status > 0) {
        return fmt::format("HTTP {}", s.http_status);
    }
    return msg.empty() ? std::string("error") : fmt::format("\"{}\"", shorten(msg, 60));
}

std::string fmt_ms(double ms) {
    if (ms >= 1000.0) {
        return fmt::format("{:.1f} s", ms / 1000.0);
    }
    if (ms < 10.0) {
        return fmt::format("{:.1f} ms", ms);
    }
    return fmt::format("{:.0f} ms", ms);
}

std::int64_t union_us(const TraceTree& tree, const std::vector<std::int32_t>& spans) {
    std::int64_t total = 0;
    std::int64_t cur_start = 0;
    std::int64_t cur_end = 0;
    bool open = false;
    for (const std::int32_t i : spans) {
        const Span& s = tree.span(i);
        if (open && s.start_us <= cur_end) {
            cur_end = std::max(cur_end, s.end_us());
            continue;
        }
        if (open) {
            total += cur_end - cur_start;
        }
        cur_start = s.start_us;
        cur_end = s.end_us();
        open = true;
    }
    return open ? total + (cur_end - cur_start) : total;
}

std::string shorten(std::string_view text, std::size_t max_chars) {
    if (text.size() <= max_chars) {
        return std::string(text);
    }
    std::size_t cut = max_chars;
    // Do not cut a UTF-8 sequence in half.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
        --cut;
    }
    return fmt::format("{}…", text.substr(0, cut));
}

std::string quoted(std::string_view text) {
    std::string s = shorten(text);
    std::replace(s.begin(), s.end(), '`', '\'');  // a backtick would end the code span
    return fmt::format("`{}`", s);
}

std::string span_label(const TraceTree& tree, std::int32_t i) {
    const Span& span = tree.span(i);
    if (span.service.empty()) {
        return quoted(span.name);
    }
    return fmt::format("{} in {}", quoted(span.name), span.service);
}

std::string code_location(const Span& span) {
    if (span.code_function.empty() && span.code_filepath.empty()) {
        return {};
    }
    std::string file(span.code_filepath);
    if (!file.empty() && span.code_lineno > 0) {
        file += fmt::format(":{}", span.code_lineno);
    }
    if (span.code_function.empty()) {
        return file;
    }
    return file.empty() ? std::string(span.code_function)
                        : fmt::format("{} ({})", span.code_function, file);
}

Finding make_finding(
    const TraceTree& tree,
    std::string kind,
    const std::vector<std::int32_t>& spans,
    std::int32_t parent
) {
    Finding f;
    // The first span that carries code.* attributes gives both the location and the link parts.
    const auto take_code = [&f](const Span& span) {
        f.location = code_location(span);
        if (!f.location.empty()) {
            f.code_filepath = std::string(span.code_filepath);
            f.code_function = std::string(span.code_function);
            f.code_lineno = span.code_lineno;
        }
    };
    f.kind = std::move(kind);
    f.count = static_cast<int>(spans.size());
    f.span_ids.reserve(spans.size());
    for (const std::int32_t i : spans) {
        f.span_ids.emplace_back(tree.span(i).span_id);
        if (f.location.empty()) {
            take_code(tree.span(i));
        }
    }
    if (!spans.empty()) {
        f.service = std::string(tree.span(spans.front()).service);
    }
    if (f.location.empty() && parent >= 0) {
        take_code(tree.span(parent));
    }
    return f;
}

bool same_call(const Span& a, const Span& b) {
    return a.name == b.name && a.db_statement == b.db_statement && a.http_method == b.http_method &&
           a.http_url == b.http_url;
}

}  // namespace nra::detect
