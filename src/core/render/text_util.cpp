// UTF-8-aware text helpers for the renderers: every cut lands on a code point boundary and, for
// Slack, on an escape-sequence boundary.
#include <algorithm>
#include <cstdint>

#include "core/render/render_util.hpp"
#include "nra/render.hpp"

namespace nra {
namespace render_detail {
namespace {

constexpr std::uint32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at text[i] and advances i; malformed input (bad lead, truncated,
// overlong, surrogate, > U+10FFFF) consumes one byte and yields kInvalid.
std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((lead & 0xE0) == 0xC0) {
        len = 2;
        cp = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
        len = 3;
        cp = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
        len = 4;
        cp = lead & 0x07u;
    } else {
        ++i;
        return kInvalid;
    }
    if (i + len > text.size()) {
        ++i;
        return kInvalid;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto byte = static_cast<unsigned char>(text[i + k]);
        if ((byte & 0xC0) != 0x80) {
            ++i;
            return kInvalid;
        }
        cp = (cp << 6) | (byte & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kInvalid;
    }
    i += len;
    return cp;
}

// Control characters and bidi overrides: harmless-looking names must not reorder or break lines.
bool is_unsafe(std::uint32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
           cp == 0x2029;
}

std::size_t units_of(std::uint32_t cp) {
    return cp != kInvalid && cp >= 0x10000 ? 2 : 1;
}

// Shared clipping: keeps whole code points while their cost fits max (reserving 1 for "…").
template <typename Cost>
std::string clip(std::string_view text, std::size_t max, Cost cost) {
    std::size_t total = 0;
    for (std::size_t i = 0; i < text.size();) {
        total += cost(next_code_point(text, i));
    }
    if (total <= max) {
        return std::string(text);
    }
    if (max == 0) {
        return {};
    }
    std::size_t used = 0;
    std::size_t end = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t c = cost(next_code_point(text, i));
        if (used + c + 1 > max) {
            break;
        }
        used += c;
        end = i;
    }
    return std::string(text.substr(0, end)) + std::string(kEllipsis);
}

std::string_view escaped(char c) {
    switch (c) {
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        default:
            return {};
    }
}

}  // namespace

std::string clean(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const std::uint32_t cp = next_code_point(text, i);
        if (cp == kInvalid) {
            out += "\xEF\xBF\xBD";  // U+FFFD
        } else if (is_unsafe(cp)) {
            out += ' ';
        } else {
            out.append(text.substr(start, i - start));
        }
    }
    return out;
}

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F;
    });
}

std::string service_name(std::string_view service) {
    return is_blank(service) ? std::string("(unknown)") : clean(service);
}

std::size_t width_of(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++n) {
        next_code_point(text, i);
    }
    return n;
}

std::size_t slack_length(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size();) {
        n += units_of(next_code_point(text, i));
    }
    return n;
}

std::string fit(std::string_view text, std::size_t max_cp) {
    return clip(text, max_cp, [](std::uint32_t) { return std::size_t{1}; });
}

std::string fit_units(std::string_view text, std::size_t max_units) {
    return clip(text, max_units, units_of);
}

std::string fit_middle(std::string_view text, std::size_t max_cp) {
    const std::size_t width = width_of(text);
    if (width <= max_cp || max_cp < 8) {
        return fit(text, max_cp);
    }
    const std::size_t head = (max_cp - 1) * 2 / 5;
    const std::size_t tail = max_cp - 1 - head;
    std::size_t i = 0;
    std::size_t head_end = 0;
    std::size_t tail_start = 0;
    for (std::size_t n = 0; i < text.size(); ++n) {
        if (n == head) {
            head_end = i;
        }
        if (n == width - tail) {
            tail_start = i;
        }
        next_code_point(text, i);
    }
    return std::string(text.substr(0, head_end)) + std::string(kEllipsis) +
           std::string(text.substr(tail_start));
}

std::string pad_right(std::string_view text, std::size_t cp) {
    std::string out = fit(text, cp);
    out.append(cp - width_of(out), ' ');
    return out;
}

std::string pad_left(std::string_view text, std::size_t cp) {
    std::string out = fit(text, cp);
    return std::string(cp - width_of(out), ' ') + out;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t max_lines) {
    // More than width * max_lines code points can never fit, so the rest only has to exist (for
    // the "…"), not be split into words.
    std::size_t end = 0;
    for (std::size_t n = 0; end < text.size() && n <= width * max_lines; ++n) {
        next_code_point(text, end);
    }
    text = text.substr(0, end);
    std::vector<std::string> words;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t space = std::min(text.find(' ', pos), text.size());
        if (space > pos) {
            words.emplace_back(text.substr(pos, space - pos));
        }
        pos = space + 1;
    }
    std::vector<std::string> lines;
    if (width == 0 || max_lines == 0) {
        return lines;
    }
    std::string line;
    for (std::size_t i = 0; i < words.size(); ++i) {
        std::string candidate = line.empty() ? words[i] : line + " " + words[i];
        if (line.empty() || width_of(candidate) <= width) {
            line = std::move(candidate);
            continue;
        }
        if (lines.size() + 1 == max_lines) {
            // Last allowed line: keep the rest so fit() shows the cut with "…".
            for (std::size_t k = i + 1; k < words.size(); ++k) {
                candidate += " " + words[k];
            }
            lines.push_back(fit(candidate, width));
            return lines;
        }
        lines.push_back(fit(line, width));
        line = words[i];
    }
    if (!line.empty()) {
        lines.push_back(fit(line, width));
    }
    return lines;
}

std::string mrkdwn(std::string_view raw, std::size_t max_units) {
    // Escaping only lengthens text, so max_units + 1 code points of input decide the output: the
    // rest of a 5,000-character name need not be cleaned and escaped.
    std::size_t end = 0;
    for (std::size_t n = 0; end < raw.size() && n <= max_units; ++n) {
        next_code_point(raw, end);
    }
    const std::string text = clean(raw.substr(0, end));
    const std::string full = slack_escape(text);
    if (slack_length(full) <= max_units) {
        return full;
    }
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < text.size() && max_units > 0;) {
        const std::size_t start = i;
        const std::uint32_t cp = next_code_point(text, i);
        const std::string_view esc = escaped(text[start]);
        const std::size_t cost = esc.empty() ? units_of(cp) : esc.size();
        if (used + cost + 1 > max_units) {
            break;
        }
        out.append(esc.empty() ? text.substr(start, i - start) : esc);
        used += cost;
    }
    return max_units == 0 ? out : out + std::string(kEllipsis);
}

std::string mrkdwn_code(std::string_view raw, std::size_t max_units) {
    std::string text(raw);
    for (char& c : text) {
        if (c == '`') {
            c = '\'';
        }
    }
    return mrkdwn(text, max_units);
}

std::string slack_link(std::string_view url, std::string_view label) {
    constexpr std::size_t kMaxUrl = 2000;
    std::string target;
    for (const char c : clean(url)) {
        switch (c) {
            case '|':
                target += "%7C";
                break;
            case ' ':
                target += "%20";
                break;
            case '<':
                target += "%3C";
                break;
            case '>':
                target += "%3E";
                break;
            case '&':
                target += "&amp;";
                break;
            default:
                target += c;
        }
    }
    if (target.empty() || slack_length(target) > kMaxUrl) {
        return {};
    }
    return "<" + target + "|" + std::string(label) + ">";
}

}  // namespace render_detail

std::string slack_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const std::string_view esc = render_detail::escaped(c);
        if (esc.empty()) {
            out += c;
        } else {
            out.append(esc);
        }
    }
    return out;
}

}  // namespace nra
