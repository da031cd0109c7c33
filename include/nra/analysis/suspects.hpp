// Suspects: where the fault of this request most likely is, ranked, each with its evidence and a
// confidence from explicit rules (docs/analysis.md "Suspects"). Pure and deterministic.
//
// Evidence, credited to the service where the fault is, not where it shows:
// - gap: the call_gap findings (a client span that waited much longer than its server span
//   worked): the callee's, or a starved caller's, as the finding credits it;
// - latency: time beyond the usual durations (baselines), attributed bottom-up along the critical
//   path; a client span's own excess over a fast server span is a gap;
// - error: the span where a failure started; a call that failed without any server span (the
//   callee never answered) names the callee (peer.service, server.address, the URL's host).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nra/assemble/assemble.hpp"

namespace nra {

struct Summary;

enum class SuspectKind { latency, gap, error, change, structure };
enum class Confidence { high, medium, low };
std::string_view to_string(SuspectKind kind);  // "latency", "gap", …
std::string_view to_string(Confidence level);  // "high", "medium", "low"

struct SuspectEvidence {
    std::string text;  // plain, names in backticks (slack_escape_marked-ready)
    std::vector<std::string> span_ids;
};

struct Suspect {
    std::string service;
    std::string operation;                    // the operation behind most of the evidence
    SuspectKind kind = SuspectKind::latency;  // the kind of most of the evidence
    Confidence confidence = Confidence::low;
    double score = 0;      // what the ranking uses: excess_ms plus a weight for errors
    double excess_ms = 0;  // time this suspect explains (gap + unusual time)
    std::vector<SuspectEvidence> evidence;  // strongest first, at most 5
};

struct SuspectOptions {
    std::size_t max_suspects = 5;
};

// Ranked suspects (at most max_suspects); empty when nothing stands out, with the reason in
// `why_none` ("Inconclusive: …"). Uses the summary's errors and, once applied, its baselines.
std::vector<Suspect> find_suspects(
    const Summary& summary,
    const TraceTree& tree,
    std::string& why_none,
    const SuspectOptions& options = {}
);

}  // namespace nra
