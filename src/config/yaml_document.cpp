// Text → one YAML document, with the parser's complaints turned into "file:line: …" sentences.
#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

#include <set>
#include <utility>

#include "config/yaml_fields.hpp"

namespace nra::config::detail {
namespace {

[[noreturn]] void fail_at(const Source& src, int line, std::string_view what) {
    fail(src, Field{YAML::Node{}, "", line < 1 ? 1 : line}, what);
}

std::string_view line_text(std::string_view text, int line) {  // 1-based
    for (int i = 1; i < line; ++i) {
        const auto nl = text.find('\n');
        if (nl == std::string_view::npos) return {};
        text.remove_prefix(nl + 1);
    }
    return text.substr(0, text.find('\n'));
}

bool tab_in_indentation(std::string_view line) {
    for (char c : line) {
        if (c == '\t') return true;
        if (c != ' ') return false;
    }
    return false;
}

// yaml-cpp's messages ("illegal map value") rarely name the real cause; tabs are the usual one.
[[noreturn]] void parse_failure(
    const Source& src, std::string_view text, const YAML::Exception& e
) {
    const int line = e.mark.line + 1;
    for (int l = line; l >= 1 && l >= line - 1; --l) {
        if (tab_in_indentation(line_text(text, l))) {
            fail_at(src, l, "a tab in the indentation: YAML indents with spaces");
        }
    }
    fail_at(src, line, fmt::format("not valid YAML: {} (check the indentation and quotes)", e.msg));
}

// yaml-cpp 0.7 ends an unclosed quoted string at the end of the file instead of failing, which
// would silently swallow every key after it. A quoted scalar starts at its node's mark.
void check_quoted(const Source& src, std::string_view text, const YAML::Node& node) {
    const auto pos = node.Mark().pos;
    if (pos < 0 || static_cast<std::size_t>(pos) >= text.size()) return;
    auto i = static_cast<std::size_t>(pos);
    while (i < text.size() && (text[i] == '&' || text[i] == '!')) {  // anchor or tag first
        while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    }
    if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) return;
    const char quote = text[i];
    for (++i; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i;
        } else if (text[i] == quote) {
            if (quote == '"' || i + 1 >= text.size() || text[i + 1] != '\'') return;
            ++i;  // '' is an escaped single quote
        }
    }
    fail_at(
        src, node.Mark().line + 1, fmt::format("a value opened with {} is never closed", quote)
    );
}

// Visits every node once: aliases share nodes, so (position, type) identifies them.
void check_quotes(
    const Source& src,
    std::string_view text,
    const YAML::Node& node,
    std::set<std::pair<int, int>>& seen
) {
    if (!seen.emplace(node.Mark().pos, static_cast<int>(node.Type())).second) return;
    if (node.IsScalar()) check_quoted(src, text, node);
    if (node.IsSequence()) {
        for (const auto& item : node) check_quotes(src, text, item, seen);
    } else if (node.IsMap()) {
        for (const auto& entry : node) {
            check_quotes(src, text, entry.first, seen);
            check_quotes(src, text, entry.second, seen);
        }
    }
}

}  // namespace

YAML::Node load_document(std::string_view text, const Source& src) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
    const std::string body(text);
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(body);
    } catch (const YAML::DeepRecursion& e) {
        fail_at(src, e.mark.line + 1, "nested too deeply");
    } catch (const YAML::Exception& e) {
        parse_failure(src, body, e);
    }
    for (std::size_t i = 1; i < docs.size(); ++i) {
        if (!docs[i].IsNull()) {
            fail_at(
                src,
                docs[i].Mark().line + 1,
                "a second YAML document (after ---): keep the whole configuration in one"
            );
        }
    }
    if (docs.empty()) return YAML::Node{};
    std::set<std::pair<int, int>> seen;
    check_quotes(src, body, docs.front(), seen);
    return docs.front();
}

}  // namespace nra::config::detail
