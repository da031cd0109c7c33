// The one escaping of untrusted text for Slack mrkdwn (nra/render.hpp: slack_escape) and the
// renderers' clipped forms of it (render_util.hpp: mrkdwn, mrkdwn_code, mrkdwn_marked): every cut
// lands on a code point and escape-sequence boundary, and never leaves a code span open.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "core/render/render_util.hpp"
#include "core/render/utf8.hpp"
#include "nra/render/render.hpp"

namespace nra {
namespace render_detail {
namespace {

// One code point of escaped mrkdwn: its bytes and its UTF-16 length; `code` is +1 for the
// backtick that opens one of our code spans, -1 for the one that closes it.
struct Piece {
    std::string_view bytes;
    std::size_t units = 1;
    int code = 0;
};

constexpr std::string_view kBacktickLookalike = "\u02CB";  // ˋ modifier letter grave accent

bool is_ascii_alnum(std::uint32_t cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

// Slack formats *bold*, _italic_ and ~strike~ only at word boundaries: a marker between two
// letters or digits (snake_case, a*b) stays as it is, any other one becomes a look-alike.
std::string_view formatting_lookalike(char c, std::uint32_t before, std::uint32_t after) {
    if (is_ascii_alnum(before) && is_ascii_alnum(after)) {
        return {};
    }
    switch (c) {
        case '*':
            return "\u2217";  // ∗ asterisk operator
        case '_':
            return "\u02CD";  // ˍ modifier letter low macron
        case '~':
            return "\u223C";  // ∼ tilde operator
        default:
            return {};
    }
}

// The escape of one ASCII character of untrusted text (empty: the character itself).
std::string_view ascii_escape(std::string_view text, std::size_t i, SlackSpan where, bool first) {
    switch (text[i]) {
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            // A '>' that starts a line quotes it; a piece may start a line.
            return first && where == SlackSpan::text ? "\u203A" : "&gt;";  // › look-alike
        case '`':
            return kBacktickLookalike;
        case '*':
        case '_':
        case '~': {
            if (where == SlackSpan::code) {
                return {};
            }
            const auto before = static_cast<unsigned char>(i > 0 ? text[i - 1] : ' ');
            const auto after = static_cast<unsigned char>(i + 1 < text.size() ? text[i + 1] : ' ');
            return formatting_lookalike(text[i], before, after);
        }
        default:
            return {};
    }
}

// Calls emit(Piece) for each code point of `text` (already clean()ed) as escaped for `where`;
// stops when emit returns false. `line_start`: the text may begin a line of the message.
template <typename Emit>
bool escape_pieces(std::string_view text, SlackSpan where, bool line_start, Emit&& emit) {
    const std::size_t lead = line_start ? text.find_first_not_of(' ') : std::string_view::npos;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const std::uint32_t cp = next_code_point(text, i);
        const std::string_view esc =
            cp < 0x80 ? ascii_escape(text, start, where, start == lead) : std::string_view();
        const Piece piece = esc.empty() ? Piece{text.substr(start, i - start), units_of(cp)}
                                        : Piece{esc, esc.front() == '&' ? esc.size() : 1};
        if (!emit(piece)) {
            return false;
        }
    }
    return true;
}

// Marked text (our sentence; backtick pairs mark code): the pieces of each part, backticks
// included. With an odd number of backticks the last one is unpaired and becomes a look-alike,
// unless the text was cut (then it opened a code span whose end was cut off).
template <typename Emit>
void marked_pieces(std::string_view text, bool cut, Emit&& emit) {
    const auto ticks = static_cast<std::size_t>(std::count(text.begin(), text.end(), '`'));
    const std::size_t paired = cut ? ticks : ticks - ticks % 2;
    std::size_t seen = 0;
    bool code = false;
    std::size_t from = 0;
    while (from <= text.size()) {
        std::size_t tick = text.find('`', from);
        if (tick != std::string_view::npos && seen >= paired) {
            tick = std::string_view::npos;  // the unpaired one: escaped with the rest
        }
        const std::string_view part =
            text.substr(from, tick == std::string_view::npos ? tick : tick - from);
        const SlackSpan where = code ? SlackSpan::code : SlackSpan::text;
        if (!escape_pieces(part, where, from == 0, emit)) {
            return;
        }
        if (tick == std::string_view::npos) {
            return;
        }
        ++seen;
        code = !code;
        if (!emit(Piece{"`", 1, code ? 1 : -1})) {
            return;
        }
        from = tick + 1;
    }
}

// Pieces joined, clipped to max_units with "…" (a code span cut open is closed after it).
template <typename Produce>
std::string clip_pieces(std::size_t max_units, Produce&& produce) {
    std::size_t total = 0;
    produce([&total](const Piece& p) {
        total += p.units;
        return true;
    });
    std::string out;
    if (total <= max_units) {
        produce([&out](const Piece& p) {
            out.append(p.bytes);
            return true;
        });
        return out;
    }
    if (max_units == 0) {
        return out;
    }
    std::size_t used = 0;
    int open = 0;
    produce([&](const Piece& p) {
        const int after = open + p.code;
        if (used + p.units + 1 + (after > 0 ? 1 : 0) > max_units) {
            return false;
        }
        out.append(p.bytes);
        used += p.units;
        open = after;
        return true;
    });
    return out + std::string(kEllipsis) + (open > 0 ? "`" : "");
}

std::string mrkdwn_in(std::string_view raw, std::size_t max_units, SlackSpan where) {
    // Escaping never shortens clean text, so max_units + 1 kept code points decide the output: the
    // rest of a 5,000-character name need not be cleaned and escaped.
    bool cut = false;
    const std::string text = clean_prefix(raw, max_units + 1, cut);
    return clip_pieces(max_units, [&text, where](auto&& emit) {
        escape_pieces(text, where, true, emit);
    });
}

}  // namespace

std::string mrkdwn(std::string_view raw, std::size_t max_units) {
    return mrkdwn_in(raw, max_units, SlackSpan::text);
}

std::string mrkdwn_code(std::string_view raw, std::size_t max_units) {
    return mrkdwn_in(raw, max_units, SlackSpan::code);
}

std::string mrkdwn_marked(std::string_view raw, std::size_t max_units) {
    bool cut = false;
    const std::string text = clean_prefix(raw, max_units + 1, cut);
    return clip_pieces(max_units, [&text, cut](auto&& emit) { marked_pieces(text, cut, emit); });
}

}  // namespace render_detail

std::string slack_link(std::string_view url, std::string_view label) {
    constexpr std::size_t kMaxUrl = 2000;
    // What would end the link (| > space) or is no URL character at all: percent-encoded.
    constexpr std::string_view kEncoded = "| <>`\"\\^{}";
    std::string target;
    for (const char c : render_detail::clean(url)) {
        if (c == '&') {
            target += "&amp;";
        } else if (kEncoded.find(c) != std::string_view::npos) {
            target += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        } else {
            target += c;
        }
    }
    if (target.empty() || render_detail::slack_length(target) > kMaxUrl) {
        return {};
    }
    return "<" + target + "|" + std::string(label) + ">";
}

std::string slack_escape(std::string_view text, SlackSpan where) {
    std::string out;
    out.reserve(text.size());
    render_detail::escape_pieces(
        render_detail::clean(text),
        where,
        true,
        [&out](const auto& piece) {
            out.append(piece.bytes);
            return true;
        }
    );
    return out;
}

std::string slack_escape_marked(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    render_detail::marked_pieces(render_detail::clean(text), false, [&out](const auto& piece) {
        out.append(piece.bytes);
        return true;
    });
    return out;
}

}  // namespace nra
