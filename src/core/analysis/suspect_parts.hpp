// Private to the suspects: the ranking the kinds of evidence add to, and the wording helpers
// they share (suspects.cpp; suspects_context.cpp adds the typical request and the changes).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nra/analysis/suspects.hpp"

namespace nra {
struct Summary;
}

namespace nra::suspect_parts {

inline std::string ms(double value) {
    if (value >= 1000) return fmt::format("{:.2f} s", value / 1000);
    return fmt::format("{:.0f} ms", value);
}

// Backticks inside a name would break the text's own code spans.
inline std::string quoted(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '`', '\'');
    return "`" + out + "`";
}

// An outside message inside our sentence: one line, clipped, no backticks of its own.
inline std::string plain(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 200)) {
        out.push_back(c == '`' ? '\'' : (static_cast<unsigned char>(c) < 0x20 ? ' ' : c));
    }
    return out;
}

struct Contribution {
    SuspectKind kind = SuspectKind::latency;
    std::string operation;
    double excess_ms = 0;
    double weight = 0;  // what it adds to the score
    SuspectEvidence evidence;
};

struct Candidate {
    std::vector<Contribution> parts;
    double score() const {
        double s = 0;
        for (const auto& p : parts) s += p.weight;
        return s;
    }
    double excess() const {
        double s = 0;
        for (const auto& p : parts) s += p.excess_ms;
        return s;
    }
};

class Ranking {
public:
    void add(const std::string& service, Contribution part) {
        if (service.empty() || part.weight <= 0) return;
        by_service_[service].parts.push_back(std::move(part));
    }
    const std::map<std::string, Candidate>& candidates() const { return by_service_; }

private:
    std::map<std::string, Candidate> by_service_;
};

// What a typical request did differently: calls missing, extra or repeated (the caller's), and,
// without baselines, operations slower than in the typical request.
void add_structure(const Summary& summary, Ranking& ranking);
// Versions unlike the typical request's and deployments shortly before the request.
void add_changes(const Summary& summary, Ranking& ranking);

}  // namespace nra::suspect_parts
