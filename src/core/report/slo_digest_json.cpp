// SLO review digest → JSON (the fields are listed in slo_digest.hpp). Missing figures and empty
// optional texts are null, so consumers never mistake "unknown" for 0 or "".
#include <nlohmann/json.hpp>

#include "core/report/report_format.hpp"
#include "core/report/slo_digest_parts.hpp"
#include "nra/report/slo_digest.hpp"
#include "nra/report/slo_math.hpp"
#include "nra/time_units.hpp"

namespace nra::slo {
namespace {

namespace rf = report_format;
using Json = nlohmann::ordered_json;

template <typename T>
Json opt(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json text_or_null(const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(text);
}

Json windows(const SloSpec& spec, const std::vector<WindowCounts>& history) {
    Json out = Json::array();
    for (const WindowCounts& w : history) {
        out.push_back(Json{
            {"since", rf::iso_time(w.since_ms)},
            {"until", rf::iso_time(w.until_ms)},
            {"since_ms", w.since_ms},
            {"until_ms", w.until_ms},
            {"total", w.total},
            {"bad", w.bad},
            {"attainment", opt(attainment(w.total, w.bad))},
            {"budget_remaining", opt(budget_remaining(w.total, w.bad, spec.target))},
            {"met", opt(slo_parts::window_met(spec, w))},
        });
    }
    return out;
}

Json suggestion(const Advice& a) {
    return Json{
        {"kind", to_string(a.suggestion)},
        {"proposed_target", opt(a.proposed_target)},
        {"because", a.because},
        {"rule", a.rule},
        {"windows_with_data", a.windows_with_data},
        {"windows_met", a.windows_met},
        {"release_stops", a.release_stops},
        {"best_attainment", opt(a.best_attainment)},
        {"worst_attainment", opt(a.worst_attainment)},
    };
}

Json spenders(const std::vector<BudgetSpender>& list) {
    Json out = Json::array();
    for (const BudgetSpender& s : list) {
        out.push_back(Json{{"endpoint", s.endpoint}, {"bad", s.bad}, {"share", s.share}});
    }
    return out;
}

Json decision(const std::optional<ReviewDecision>& d) {
    if (!d) {
        return nullptr;
    }
    return Json{
        {"decision", d->decision},
        {"user", d->user},
        {"at", rf::iso_time(d->at_s * 1000)},
    };
}

Json entry(const DigestEntry& e) {
    const SloSpec& s = e.spec;
    const auto& reviewed = s.review.last_reviewed_days;
    const bool computed = e.problem.empty();
    return Json{
        {"name", s.name},
        {"service", s.service},
        {"endpoint", s.endpoint},
        {"kind", s.kind == SloKind::latency ? "latency" : "availability"},
        {"target", s.target},
        {"latency_ms", s.kind == SloKind::latency ? Json(s.latency_ms) : Json(nullptr)},
        {"window_days", s.window_days},
        {"owner", text_or_null(s.review.owner)},
        {"review_every_days", s.review.interval_days},  // 0: never due
        {"last_reviewed", reviewed ? Json(rf::iso_date(*reviewed * kDayMs)) : Json(nullptr)},
        {"why", text_or_null(s.review.why)},
        {"problem", text_or_null(e.problem)},
        {"history_note", text_or_null(e.history_note)},
        {"windows", windows(s, e.history)},
        // An SLO that could not be computed has no advice worth reading.
        {"suggestion", computed ? suggestion(e.advice) : Json(nullptr)},
        {"summary", text_or_null(e.summary)},
        {"review_due", e.overdue_days.has_value()},
        {"overdue_days", opt(e.overdue_days)},
        {"spenders", spenders(e.spenders)},
        {"last_decision", decision(e.last_decision)},
    };
}

}  // namespace

std::string render_digest_json(const Digest& digest) {
    Json slos = Json::array();
    for (const DigestEntry& e : digest.slos) {
        slos.push_back(entry(e));
    }
    const Json out{
        {"scope", digest.scope},
        {"generated", rf::iso_time(digest.generated_ms)},
        {"generated_ms", digest.generated_ms},
        {"slos", std::move(slos)},
        {"due", slo_parts::due_names(digest)},
    };
    return out.dump(2, ' ', false, Json::error_handler_t::replace);
}

}  // namespace nra::slo
