// Trace-grounded suggestions: findings of the slowest sampled traces, aggregated across samples
// (suggest.hpp states the grouping and ordering).
#include "nra/report/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/report/report_format.hpp"

namespace nra {
namespace {

constexpr std::size_t kMaxSuggestions = 5;

// Percent-encodes everything but RFC 3986 unreserved characters and '/' (file paths keep their
// shape; spaces, '#', '?', '|', '<', '>' and non-ASCII bytes cannot break the link).
std::string url_encode(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        const bool plain = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                           (b >= '0' && b <= '9') || c == '-' || c == '_' || c == '.' || c == '~' ||
                           c == '/';
        out += plain ? std::string(1, c) : fmt::format("%{:02X}", b);
    }
    return out;
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

struct Group {
    Suggestion suggestion;
    std::size_t last_sample = static_cast<std::size_t>(-1);
    double saving_sum = 0;
};

std::string group_key(const Finding& f) {
    const std::string& where = f.statement.empty() ? f.location : f.statement;
    return f.kind + '\x1f' + f.service + '\x1f' + where;
}

void add_finding(Group& g, const Finding& f, std::size_t sample, const ImproveConfig& config) {
    Suggestion& s = g.suggestion;
    if (g.last_sample != sample) {
        g.last_sample = sample;
        ++s.traces_with;
    }
    s.total_ms += f.total_ms;
    g.saving_sum += f.saving_ms;
    if (s.advice.empty()) {
        s.advice = f.suggestion;
    }
    if (s.code_url.empty()) {
        s.code_url = code_url(config, f.service, f.code_filepath, f.code_lineno, f.code_function);
    }
}

// No finding anywhere: name the operation that holds the critical path longest.
std::vector<Suggestion> critical_path_suggestion(const std::vector<Summary>& samples) {
    std::unordered_map<std::string, Suggestion> by_operation;
    double trace_ms = 0;
    for (const Summary& summary : samples) {
        trace_ms += summary.duration_ms;
        std::unordered_map<std::string, bool> seen;
        for (const PathSegment& seg : summary.critical_path) {
            const std::string key = seg.service + '\x1f' + seg.name;
            Suggestion& s = by_operation[key];
            s.service = seg.service;
            s.what = seg.name;
            s.total_ms += seg.duration_ms;
            if (!seen[key]) {
                seen[key] = true;
                ++s.traces_with;
            }
        }
    }
    const Suggestion* top = nullptr;
    for (const auto& [key, s] : by_operation) {
        if (top == nullptr || s.total_ms > top->total_ms ||
            (s.total_ms == top->total_ms && s.what < top->what)) {
            top = &s;
        }
    }
    if (top == nullptr || top->total_ms <= 0) {
        return {};
    }
    Suggestion out = *top;
    out.kind = "critical_path";
    out.traces_sampled = static_cast<int>(samples.size());
    const auto n = static_cast<double>(samples.size());
    out.advice = fmt::format(
        "Most time in {}{}: {} of {} per trace on average; start looking there.",
        out.what,
        out.service.empty() ? "" : " (" + out.service + ")",
        report_format::ms(out.total_ms / n),
        report_format::ms(trace_ms / n)
    );
    return {out};
}

}  // namespace

std::string code_url(
    const ImproveConfig& config,
    const std::string& service,
    const std::string& filepath,
    int lineno,
    const std::string& function
) {
    if (filepath.empty()) {
        return {};
    }
    auto it = config.repositories.find(service);
    if (it == config.repositories.end()) {
        it = config.repositories.find("*");
    }
    if (it == config.repositories.end() || it->second.empty()) {
        return {};
    }
    std::string url = it->second;
    std::string path = url_encode(filepath);
    while (path.starts_with('/') && url.find("/{filepath}") != std::string::npos) {
        path.erase(0, 1);  // "…/blob/main/{filepath}" with "/src/app.py" must not give "//"
    }
    replace_all(url, "{filepath}", path);
    replace_all(url, "{function}", url_encode(function));
    replace_all(url, "{service}", url_encode(service));
    replace_all(url, "{lineno}", lineno > 0 ? std::to_string(lineno) : std::string());
    if (lineno <= 0) {
        for (const std::string_view tail : {"#L", "#", ":"}) {
            if (url.ends_with(tail)) {
                url.resize(url.size() - tail.size());
                break;
            }
        }
    }
    return url;
}

std::vector<Suggestion> suggest_from_traces(
    const std::vector<Summary>& samples, const ImproveConfig& config
) {
    std::vector<Group> groups;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        for (const Finding& f : samples[i].findings) {
            const auto [it, fresh] = index.try_emplace(group_key(f), groups.size());
            if (fresh) {
                Group g;
                g.suggestion.kind = f.kind;
                g.suggestion.service = f.service;
                g.suggestion.what = f.statement.empty() ? f.summary : f.statement;
                groups.push_back(std::move(g));
            }
            add_finding(groups[it->second], f, i, config);
        }
    }
    if (groups.empty()) {
        return critical_path_suggestion(samples);
    }
    std::vector<Suggestion> out;
    out.reserve(groups.size());
    for (Group& g : groups) {
        g.suggestion.traces_sampled = static_cast<int>(samples.size());
        g.suggestion.saving_ms = g.saving_sum / static_cast<double>(g.suggestion.traces_with);
        out.push_back(std::move(g.suggestion));
    }
    std::stable_sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
        return a.total_ms > b.total_ms;
    });
    if (out.size() > kMaxSuggestions) {
        out.resize(kMaxSuggestions);
    }
    return out;
}

}  // namespace nra
