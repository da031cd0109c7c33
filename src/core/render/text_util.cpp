// UTF-8-aware text helpers for the renderers: cleaning, measuring, clipping and wrapping; every
// cut lands on a code point boundary.
#include <algorithm>
#include <cstdint>

#include "core/render/render_util.hpp"
#include "core/render/utf8.hpp"

namespace nra {
namespace render_detail {
namespace {

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

}  // namespace

std::string clean_prefix(std::string_view text, std::size_t max_cp, bool& cut) {
    std::string out;
    out.reserve(std::min(text.size(), max_cp * 4));
    std::size_t kept = 0;
    std::size_t i = 0;
    while (i < text.size() && kept < max_cp) {
        const std::size_t start = i;
        const std::uint32_t cp = next_code_point(text, i);
        if (cp == kInvalid) {
            out += "\xEF\xBF\xBD";  // U+FFFD
        } else if (is_control(cp)) {
            out += ' ';
        } else if (is_invisible(cp)) {
            continue;
        } else {
            out.append(text.substr(start, i - start));
        }
        ++kept;
    }
    cut = i < text.size();
    return out;
}

std::string clean(std::string_view text) {
    bool cut = false;
    return clean_prefix(text, text.size(), cut);
}

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F;
    });
}

std::string service_name(std::string_view service) {
    return is_blank(service) ? std::string(kUnknownService) : clean(service);
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

}  // namespace render_detail
}  // namespace nra
