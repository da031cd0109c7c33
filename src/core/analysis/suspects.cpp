#include "nra/analysis/suspects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "nra/analysis/summary.hpp"
#include "nra/detectors/detectors.hpp"
#include "suspect_parts.hpp"

namespace nra {
namespace {

using suspect_parts::Candidate;
using suspect_parts::Contribution;
using suspect_parts::ms;
using suspect_parts::plain;
using suspect_parts::quoted;
using suspect_parts::Ranking;

constexpr std::size_t kMaxEvidence = 5;

// The callee's service for a call that reached no instrumented server: a service of this trace
// whose name the peer starts with (payment-service:8080, payment-service.prod.svc), else the
// peer's host without its port.
std::string callee_of(const Span& client, const std::set<std::string_view>& services) {
    const std::string_view peer = client.peer_host;
    if (peer.empty()) return {};
    for (const auto service : services) {
        if (peer == service) return std::string(service);
        if (peer.size() > service.size() && peer.starts_with(service) &&
            (peer[service.size()] == ':' || peer[service.size()] == '.')) {
            return std::string(service);
        }
    }
    return std::string(peer.substr(0, peer.find(':')));
}

// The spans the evidence names (unusual spans, errors, retried calls), by id, and the trace's
// services. Only the named ids are indexed: a 100k-span trace names a few dozen.
struct Spans {
    Spans(const TraceTree& t, const Summary& summary) : tree(t) {
        for (const auto& u : summary.baseline.unusual) index.emplace(u.span_id, -1);
        for (const auto& error : summary.errors) index.emplace(error.span_id, -1);
        for (const auto& finding : summary.findings) {
            if (!finding.span_ids.empty()) index.emplace(finding.span_ids.front(), -1);
        }
        std::string_view last_service;
        for (std::int32_t i = 0; i < static_cast<std::int32_t>(t.size()); ++i) {
            if (i == 0 || t.span(i).service != last_service) {  // runs of one service are common
                last_service = t.span(i).service;
                services.insert(last_service);
            }
            if (index.empty()) continue;
            const auto it = index.find(t.span(i).span_id);
            if (it != index.end() && it->second < 0) it->second = i;  // the first with the id
        }
    }
    // The index of the (first) span with this id, or -1.
    std::int32_t find(std::string_view id) const {
        const auto it = index.find(id);
        return it == index.end() ? -1 : it->second;
    }
    const TraceTree& tree;
    std::unordered_map<std::string_view, std::int32_t> index;
    std::set<std::string_view> services;
};

// Time lost between callers and callees: the call_gap findings (detectors), credited as they say.
void add_gaps(const Summary& summary, Ranking& ranking) {
    for (const auto& finding : summary.findings) {
        if (finding.kind != "call_gap") continue;
        Contribution part;
        part.kind = SuspectKind::gap;
        part.operation = finding.statement;
        part.excess_ms = finding.total_ms;
        part.weight = finding.total_ms;
        part.evidence.span_ids = finding.span_ids;
        part.evidence.text = finding.summary;
        ranking.add(finding.service, std::move(part));
    }
}

// Unusual time (baselines applied), bottom-up along the critical path. A client span's own
// excess over an instrumented callee is already a gap; otherwise it stays with its service.
void add_latency(const Summary& summary, const Spans& spans, Ranking& ranking) {
    const TraceTree& tree = spans.tree;
    for (const auto& u : summary.baseline.unusual) {
        if (u.baseline.unusual_ms <= 0) continue;
        const std::int32_t at = spans.find(u.span_id);
        if (at >= 0 && calls_out(tree.span(at)) && server_side(tree, at) >= 0) {
            continue;  // counted as a gap
        }
        Contribution part;
        part.kind = SuspectKind::latency;
        part.operation = u.name;
        part.excess_ms = u.baseline.unusual_ms;
        part.weight = u.baseline.unusual_ms;
        part.evidence.span_ids = {u.span_id};
        part.evidence.text = fmt::format(
            "{} in {} beyond its usual duration: took {}, usually {} (p99 {})",
            ms(u.baseline.unusual_ms),
            quoted(u.name),
            ms(u.baseline.duration_ms),
            ms(u.baseline.p50_ms),
            ms(u.baseline.p99_ms)
        );
        ranking.add(u.service, std::move(part));
    }
}

// A database call the database answered with a refusal of the statement itself (a column or
// table that does not exist, a syntax error): the fault is in the code that sent it, not in the
// database.
bool statement_refused(const Span& span, const std::string& message) {
    if (span.category != SpanCategory::datastore && span.db_system.empty()) return false;
    static constexpr std::array<std::string_view, 9> kRefusals{
        "does not exist",
        "doesn't exist",
        "syntax error",
        "unknown column",
        "no such table",
        "no such column",
        "invalid column",
        "bad sql grammar",
        "undefined column"};
    std::string lower = message;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return std::any_of(kRefusals.begin(), kRefusals.end(), [&lower](std::string_view r) {
        return lower.find(r) != std::string::npos;
    });
}

// Where failures started. A call that failed without reaching any server names its callee.
void add_errors(const Summary& summary, const Spans& spans, Ranking& ranking) {
    const TraceTree& tree = spans.tree;
    const auto& services = spans.services;
    const double weight = std::max(50.0, 0.5 * summary.duration_ms);
    std::set<std::string> credited;
    for (const auto& error : summary.errors) {
        if (!error.origin) continue;
        std::string service = error.service;
        std::string how = fmt::format(
            "the failure started in {} ({}){}",
            quoted(error.name),
            plain(
                error.error_class.empty() ? error.message : error.error_class + ": " + error.message
            ),
            summary.errors.size() > 1 ? " and propagated to its callers" : ""
        );
        if (const std::int32_t at = spans.find(error.span_id); at >= 0) {
            const Span& span = tree.span(at);
            const std::string callee = callee_of(span, services);
            if (statement_refused(span, error.message)) {
                how = fmt::format(
                    "the database refused the statement of {} ({}): the fault is in the code "
                    "that sent it",
                    quoted(error.name),
                    plain(error.message)
                );
            } else if (calls_out(span) && tree.children(at).empty() && !callee.empty() && callee != span.service) {
                how = fmt::format(
                    "calls from {} to {} failed without an answer from it ({})",
                    quoted(span.service),
                    quoted(callee),
                    plain(error.message)
                );
                service = callee;
            }
        }
        Contribution part;
        part.kind = SuspectKind::error;
        part.operation = error.name;
        part.weight = credited.insert(service).second ? weight : 0.05 * weight;
        part.evidence.text = std::move(how);
        part.evidence.span_ids = {error.span_id};
        ranking.add(service, std::move(part));
    }
}

// A call retried after failures: the time of the attempts is the callee's (it failed them), not
// the caller's that waited and retried.
void add_retries(const Summary& summary, const Spans& spans, Ranking& ranking) {
    const TraceTree& tree = spans.tree;
    const auto& services = spans.services;
    for (const auto& finding : summary.findings) {
        if (finding.kind != "retries" || finding.span_ids.empty()) continue;
        const std::int32_t at = spans.find(finding.span_ids.front());
        if (at < 0) continue;
        const Span& attempt = tree.span(at);
        const auto server = server_side(tree, at);
        const std::string callee =
            server >= 0 ? std::string(tree.span(server).service) : callee_of(attempt, services);
        if (callee.empty() || callee == attempt.service) continue;
        Contribution part;
        part.kind = SuspectKind::error;
        part.operation = std::string(server >= 0 ? tree.span(server).name : attempt.name);
        part.excess_ms = finding.saving_ms;  // the failed attempts and the waits between them
        part.weight = std::max(finding.saving_ms, 0.25 * summary.duration_ms);
        part.evidence.span_ids = finding.span_ids;
        part.evidence.text = fmt::format(
            "{} called {} {} times, retrying after failures: {} spent on the attempts",
            quoted(attempt.service),
            quoted(callee),
            finding.count,
            ms(finding.total_ms)
        );
        ranking.add(callee, std::move(part));
    }
}

Suspect suspect_of(const std::string& service, const Candidate& candidate) {
    Suspect out;
    out.service = service;
    out.score = candidate.score();
    out.excess_ms = candidate.excess();
    auto parts = candidate.parts;
    std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
        return a.weight > b.weight;
    });
    std::map<SuspectKind, double> by_kind;
    for (const auto& p : parts) by_kind[p.kind] += p.weight;
    out.kind = std::max_element(by_kind.begin(), by_kind.end(), [](const auto& a, const auto& b) {
                   return a.second < b.second;
               })->first;
    for (const auto& p : parts) {
        if (p.kind == out.kind && out.operation.empty()) out.operation = p.operation;
        if (out.evidence.size() < kMaxEvidence) out.evidence.push_back(p.evidence);
    }
    return out;
}

// docs/analysis.md "Suspects": high when the first explains at least a quarter of the request (or
// is where its failure started) and scores at least twice the next; medium when it scores 1.3× the
// next or explains a tenth of the request; low otherwise.
Confidence confidence_of(const Suspect& s, double next_score, double duration_ms) {
    const bool clear_lead = next_score <= 0 || s.score >= 2 * next_score;
    const bool large = s.excess_ms >= 0.25 * duration_ms || s.kind == SuspectKind::error;
    if (clear_lead && large) return Confidence::high;
    if (s.score >= 1.3 * next_score || s.excess_ms >= 0.1 * duration_ms) return Confidence::medium;
    return Confidence::low;
}

}  // namespace

std::string_view to_string(SuspectKind kind) {
    switch (kind) {
        case SuspectKind::latency:
            return "latency";
        case SuspectKind::gap:
            return "gap";
        case SuspectKind::error:
            return "error";
        case SuspectKind::change:
            return "change";
        case SuspectKind::structure:
            break;
    }
    return "structure";
}

std::string_view to_string(Confidence level) {
    switch (level) {
        case Confidence::high:
            return "high";
        case Confidence::medium:
            return "medium";
        case Confidence::low:
            break;
    }
    return "low";
}

std::vector<Suspect> find_suspects(
    const Summary& summary,
    const TraceTree& tree,
    std::string& why_none,
    const SuspectOptions& options
) {
    why_none.clear();
    Ranking ranking;
    add_gaps(summary, ranking);
    const Spans spans(tree, summary);
    add_latency(summary, spans, ranking);
    add_errors(summary, spans, ranking);
    add_retries(summary, spans, ranking);
    suspect_parts::add_structure(summary, ranking);
    suspect_parts::add_changes(summary, ranking);
    const double floor = std::max(10.0, 0.05 * summary.duration_ms);
    std::vector<Suspect> out;
    for (const auto& [service, candidate] : ranking.candidates()) {
        if (candidate.score() >= floor) out.push_back(suspect_of(service, candidate));
    }
    std::stable_sort(out.begin(), out.end(), [](const Suspect& a, const Suspect& b) {
        return a.score > b.score;
    });
    if (out.size() > options.max_suspects) out.resize(options.max_suspects);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double next = i + 1 < out.size() ? out[i + 1].score : 0;
        out[i].confidence = confidence_of(out[i], next, summary.duration_ms);
    }
    if (out.empty()) {
        why_none = summary.baseline.state == BaselineOverview::State::applied
                       ? "Inconclusive: nothing in this request stands out — no error, no time "
                         "lost between services, no span much slower than usual."
                       : "Inconclusive: no error and no time lost between services; without "
                         "usual durations (baselines) slowness cannot be placed.";
    }
    return out;
}

}  // namespace nra
