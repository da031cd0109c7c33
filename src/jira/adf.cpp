#include "jira/adf.hpp"

#include <vector>

namespace nra::jira {
namespace {

using nlohmann::json;

struct Inline {
    enum class Kind { text, code, link };
    Kind kind = Kind::text;
    std::string text;
    std::string href;
};

// A run of lines inside one blank-line-separated block: bullets or plain lines.
struct Block {
    bool bullets = false;
    std::vector<std::string> lines;  // bullet lines without their "- "
};

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

bool linkable(std::string_view url) {
    const bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0 ||
                        url.rfind("mailto:", 0) == 0;
    return scheme && url.find_first_of(" \t<>") == std::string_view::npos;
}

void add_text(std::vector<Inline>& out, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().kind == Inline::Kind::text) {
        out.back().text += text;
    } else {
        out.push_back({Inline::Kind::text, std::string(text), {}});
    }
}

// Splits one line into text, `code` and <url|label> pieces; unmatched markers stay literal.
std::vector<Inline> parse_inline(std::string_view line) {
    std::vector<Inline> out;
    while (!line.empty()) {
        const auto mark = line.find_first_of("`<");
        add_text(out, line.substr(0, mark));
        if (mark == std::string_view::npos) break;
        line.remove_prefix(mark);
        const auto close = line.find(line.front() == '`' ? '`' : '>', 1);
        if (close == std::string_view::npos) {
            add_text(out, line.substr(0, 1));
            line.remove_prefix(1);
            continue;
        }
        const auto inner = line.substr(1, close - 1);
        if (line.front() == '`') {
            if (!inner.empty()) out.push_back({Inline::Kind::code, std::string(inner), {}});
        } else {
            const auto bar = inner.find('|');
            const auto url = inner.substr(0, bar);
            if (!linkable(url)) {
                add_text(out, line.substr(0, 1));
                line.remove_prefix(1);
                continue;
            }
            auto label = bar == std::string_view::npos ? url : inner.substr(bar + 1);
            if (label.empty()) label = url;
            out.push_back({Inline::Kind::link, std::string(label), std::string(url)});
        }
        line.remove_prefix(close + 1);
    }
    return out;
}

std::vector<Block> parse_blocks(std::string_view text) {
    std::vector<Block> blocks;
    bool fresh = true;  // the next line starts a new block
    while (!text.empty()) {
        const auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) {
            fresh = true;
            continue;
        }
        const auto start = line.find_first_not_of(" \t");
        const bool bullet = line.substr(start).rfind("- ", 0) == 0;
        if (bullet) line = line.substr(start + 2);
        if (bullet && is_blank(line)) continue;
        if (fresh || blocks.back().bullets != bullet) blocks.push_back({bullet, {}});
        blocks.back().lines.emplace_back(line);
        fresh = false;
    }
    return blocks;
}

json adf_inline(const Inline& piece) {
    json node{{"type", "text"}, {"text", piece.text}};
    if (piece.kind == Inline::Kind::code) node["marks"] = json::array({{{"type", "code"}}});
    if (piece.kind == Inline::Kind::link) {
        node["marks"] = json::array({{{"type", "link"}, {"attrs", {{"href", piece.href}}}}});
    }
    return node;
}

json adf_paragraph(const std::vector<std::string>& lines) {
    auto content = json::array();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) content.push_back({{"type", "hardBreak"}});
        for (const auto& piece : parse_inline(lines[i])) content.push_back(adf_inline(piece));
    }
    return {{"type", "paragraph"}, {"content", std::move(content)}};
}

json adf_bullets(const std::vector<std::string>& lines) {
    auto items = json::array();
    for (const auto& line : lines) {
        const std::vector<std::string> one{line};
        items.push_back({{"type", "listItem"}, {"content", json::array({adf_paragraph(one)})}});
    }
    return {{"type", "bulletList"}, {"content", std::move(items)}};
}

// Characters Jira's wiki renderer reads as markup; a backslash makes them literal.
bool wiki_special(char c) {
    return std::string_view("*_-+^~?{}[]|!#").find(c) != std::string_view::npos;
}

std::string wiki_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        if (c == '\\') {
            out += "&#92;";  // "\\" would be a forced line break
        } else {
            if (wiki_special(c)) out += '\\';
            out += c;
        }
    }
    return out;
}

// A URL inside [label|url]: characters that would end or split the link are percent-encoded.
std::string wiki_url(std::string_view url) {
    std::string out;
    for (const char c : url) {
        switch (c) {
            case '|':
                out += "%7C";
                break;
            case '[':
                out += "%5B";
                break;
            case ']':
                out += "%5D";
                break;
            case '{':
                out += "%7B";
                break;
            case '}':
                out += "%7D";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string wiki_inline(std::string_view line) {
    std::string out;
    for (const auto& piece : parse_inline(line)) {
        switch (piece.kind) {
            case Inline::Kind::text:
                out += wiki_escape(piece.text);
                break;
            case Inline::Kind::code:
                out += "{{" + wiki_escape(piece.text) + "}}";
                break;
            case Inline::Kind::link:
                out += piece.text == piece.href
                           ? "[" + wiki_url(piece.href) + "]"
                           : "[" + wiki_escape(piece.text) + "|" + wiki_url(piece.href) + "]";
                break;
        }
    }
    return out;
}

// "h1. ", "bq. " at the start of a line would make a heading or quote: hide the letter.
std::string wiki_line(std::string_view line) {
    const bool heading = line.size() >= 4 && line[0] == 'h' && line[1] >= '1' && line[1] <= '6' &&
                         line[2] == '.' && line[3] == ' ';
    const bool quote = line.rfind("bq. ", 0) == 0;
    if (heading || quote)
        return (line[0] == 'h' ? "&#104;" : "&#98;") + wiki_inline(line.substr(1));
    return wiki_inline(line);
}

std::size_t rendered_size(const json& body) {
    return body.is_string() ? body.get_ref<const std::string&>().size() : dump_json(body).size();
}

json render(std::string_view text, JiraFlavor flavor) {
    if (flavor == JiraFlavor::cloud) return to_adf(text);
    return to_wiki(text);
}

// `text` cut to about `keep` bytes, at the last line or word break when one is near.
std::string cut(std::string_view text, std::size_t keep) {
    auto head = utf8_prefix(text, keep);
    const auto brk = head.find_last_of("\n ");
    if (brk != std::string_view::npos && head.size() - brk < 200) head = head.substr(0, brk);
    return std::string(head) + "\n\n… (cut here: Jira allows 32,767 characters per text)";
}

}  // namespace

json to_adf(std::string_view text) {
    auto content = json::array();
    for (const auto& block : parse_blocks(text)) {
        content.push_back(block.bullets ? adf_bullets(block.lines) : adf_paragraph(block.lines));
    }
    return {{"version", 1}, {"type", "doc"}, {"content", std::move(content)}};
}

std::string to_wiki(std::string_view text) {
    std::string out;
    for (const auto& block : parse_blocks(text)) {
        if (!out.empty()) out += "\n\n";
        for (std::size_t i = 0; i < block.lines.size(); ++i) {
            if (i > 0) out += '\n';
            if (block.bullets) out += "* ";
            out += wiki_line(block.lines[i]);
        }
    }
    return out;
}

json render_body(std::string_view text, JiraFlavor flavor, std::size_t max_chars) {
    auto body = render(text, flavor);
    auto size = rendered_size(body);
    std::size_t keep = text.size();
    // Markup grows text unevenly, so shrink proportionally until it fits (a few rounds at most).
    for (int round = 0; size > max_chars && round < 12; ++round) {
        const double ratio = static_cast<double>(max_chars) / static_cast<double>(size);
        keep = static_cast<std::size_t>(static_cast<double>(keep) * ratio * 0.97);
        keep = keep > 100 ? keep - 100 : 0;
        body = render(cut(text, keep), flavor);
        size = rendered_size(body);
    }
    if (size > max_chars) body = render("(the text was too long for Jira)", flavor);
    return body;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    auto end = max_bytes;
    // Step back over continuation bytes (10xxxxxx) to the start of the split sequence.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
    return text.substr(0, end);
}

std::string dump_json(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace nra::jira
