// Summary JSON (PRODUCT.md contract): contract keys first, in contract order, then extras.
// ordered_json keeps the key order stable, so the output is byte-for-byte deterministic.
#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/render/baseline_text.hpp"
#include "core/render/context_text.hpp"
#include "core/render/json_rows.hpp"
#include "core/render/render_util.hpp"
#include "core/render/suspects_text.hpp"
#include "core/render/typical_text.hpp"
#include "nra/render/render.hpp"
#include "nra/span.hpp"

namespace nra {
namespace {

using Json = nlohmann::ordered_json;
using render_detail::round_ms;

// Span ids as people search for them: a Zipkin server half is "<id> (server side)".
Json shown_span_ids(const std::vector<std::string>& ids) {
    Json out = Json::array();
    for (const auto& id : ids) {
        out.push_back(shown_span_id(id));
    }
    return out;
}

// The members of a baseline object, in order, for both writers of the Summary JSON (nlohmann
// objects, and json_rows for the critical path): percentiles and the ratio are null without a
// baseline (0 would read as "usually instant").
template <class Writer>
void baseline_members(const Baseline& b, Writer& w) {
    const bool known = b.verdict != BaselineVerdict::no_baseline;
    w.text("verdict", to_string(b.verdict));
    w.number("duration_ms", round_ms(b.duration_ms));
    w.integer("samples", b.count);
    for (const auto& [key, ms] :
         {std::pair<std::string_view, double>{"p50_ms", b.p50_ms},
          {"p90_ms", b.p90_ms},
          {"p99_ms", b.p99_ms},
          {"ratio", b.ratio}}) {
        known ? w.number(key, round_ms(ms)) : w.null(key);
    }
    w.number("unusual_ms", round_ms(b.unusual_ms));
}

// PrettyObject's writing interface over an nlohmann object (members appended in order).
struct JsonMembers {
    Json& json;
    JsonMembers& text(std::string_view key, std::string_view value) {
        json[std::string(key)] = std::string(value);
        return *this;
    }
    JsonMembers& number(std::string_view key, double value) {
        json[std::string(key)] = value;
        return *this;
    }
    JsonMembers& integer(std::string_view key, long long value) {
        json[std::string(key)] = value;
        return *this;
    }
    JsonMembers& null(std::string_view key) {
        json[std::string(key)] = nullptr;
        return *this;
    }
};

Json baseline_json(const Baseline& b) {
    Json out = Json::object();
    JsonMembers members{out};
    baseline_members(b, members);
    return out;
}

// Adds "baseline" to an object when the verdict is set (absent otherwise).
void add_baseline(Json& object, const std::optional<Baseline>& baseline) {
    if (baseline) {
        object["baseline"] = baseline_json(*baseline);
    }
}

Json overview_json(const BaselineOverview& o) {
    Json unusual = Json::array();
    for (const auto& span : o.unusual) {
        unusual.push_back(Json{
            {"span_id", shown_span_id(span.span_id)},
            {"service", span.service},
            {"name", span.name},
            {"baseline", baseline_json(span.baseline)},
        });
    }
    return Json{
        {"state", render_detail::state_name(o.state)},
        {"window", o.window},
        {"note", o.note},
        {"judged_spans", o.judged_spans},
        {"slower_spans", o.slower_spans},
        {"request", o.request ? baseline_json(*o.request) : Json(nullptr)},
        {"unusual", std::move(unusual)},
    };
}

Json to_json(const SpanBrief& root) {
    return Json{
        {"span_id", shown_span_id(root.span_id)},
        {"service", root.service},
        {"name", root.name},
        {"duration_ms", round_ms(root.duration_ms)},
    };
}

Json services_json(const Summary& summary) {
    Json out = Json::array();
    for (const auto& s : summary.services) {
        out.push_back(Json{
            {"service", s.service},
            {"span_count", s.span_count},
            {"self_ms", round_ms(s.self_ms)},
            {"error_count", s.error_count},
        });
    }
    return out;
}

Json operations_json(const Summary& summary) {
    Json out = Json::array();
    for (const auto& op : summary.operations) {
        out.push_back(Json{
            {"service", op.service},
            {"name", op.name},
            {"count", op.count},
            {"total_ms", round_ms(op.total_ms)},
            {"self_ms", round_ms(op.self_ms)},
        });
    }
    return out;
}

std::string dumped(const Json& json) {
    return json.dump(2, ' ', false, Json::error_handler_t::replace);
}

// baseline_json's object, written directly (a big trace has thousands of judged segments).
void write_baseline(render_detail::PrettyObject object, const Baseline& b) {
    baseline_members(b, object);
    object.close();
}

// A span's baseline is on its first segment only: a parent between its children's calls has
// many segments, and repeating the same object on each doubled the JSON of big traces.
void write_critical_path(const Summary& summary, std::string& out) {
    render_detail::PrettyArray array(out);
    std::unordered_set<std::string_view> judged;
    for (const auto& segment : summary.critical_path) {
        render_detail::PrettyObject row(array.next());
        row.text("span_id", shown_span_id(segment.span_id))
            .text("service", segment.service)
            .text("name", segment.name)
            .number("start_ms", round_ms(segment.start_ms))
            .number("duration_ms", round_ms(segment.duration_ms))
            .integer("depth", segment.depth);
        if (judged.insert(segment.span_id).second && segment.baseline) {
            write_baseline(row.object("baseline"), *segment.baseline);
        }
        row.close();
    }
    array.close();
}

// No baseline here: the rows repeat the segments' spans, whose verdicts are above.
void write_path_rows(const Summary& summary, std::string& out) {
    render_detail::PrettyArray array(out);
    for (const auto& item : summary.path_rows) {
        render_detail::PrettyObject(array.next())
            .text("span_id", shown_span_id(item.span_id))
            .text("service", item.service)
            .text("name", item.name)
            .number("start_ms", round_ms(item.start_ms))
            .number("duration_ms", round_ms(item.duration_ms))
            .number("path_ms", round_ms(item.path_ms))
            .integer("depth", item.depth)
            .integer("count", item.count)
            .close();
    }
    array.close();
}

Json slow_spans_json(const Summary& summary) {
    Json out = Json::array();
    for (const auto& span : summary.slow_spans) {
        out.push_back(Json{
            {"span_id", shown_span_id(span.span_id)},
            {"service", span.service},
            {"name", span.name},
            {"duration_ms", round_ms(span.duration_ms)},
            {"self_ms", round_ms(span.self_ms)},
        });
        add_baseline(out.back(), span.baseline);
    }
    return out;
}

Json errors_json(const Summary& summary) {
    Json out = Json::array();
    for (const auto& error : summary.errors) {
        out.push_back(Json{
            {"span_id", shown_span_id(error.span_id)},
            {"service", error.service},
            {"name", error.name},
            {"message", error.message},
            {"error_class", error.error_class},
            // 0 means "no HTTP status known": null says so without a magic number.
            {"http_status", error.http_status != 0 ? Json(error.http_status) : Json(nullptr)},
            {"origin", error.origin},
        });
    }
    return out;
}

Json findings_json(const Summary& summary) {
    Json out = Json::array();
    for (const auto& finding : summary.findings) {
        out.push_back(Json{
            {"kind", finding.kind},
            {"service", finding.service},
            {"summary", finding.summary},
            {"span_ids", shown_span_ids(finding.span_ids)},
            {"count", finding.count},
            {"total_ms", round_ms(finding.total_ms)},
            {"saving_ms", round_ms(finding.saving_ms)},
            {"statement", finding.statement},
            {"suggestion", finding.suggestion},
            {"location", finding.location},
        });
        if (finding.context != FindingContext::unknown) {
            out.back()["context"] = to_string(finding.context);
        }
    }
    return out;
}

Json assembly_json(const AssemblyReport& report) {
    return Json{
        {"complete", report.complete()},
        {"orphans", report.orphans},
        {"extra_roots", report.extra_roots},
        {"duplicate_ids", report.duplicate_ids},
        {"cycles_broken", report.cycles_broken},
        {"children_outside_parent", report.children_outside_parent},
        {"skew_adjusted", report.skew_adjusted},
        {"invalid_spans", report.invalid_spans},
        {"missing_root", report.missing_root},
        {"notes", report.notes},
    };
}

// The dump with the two long arrays written where it holds them empty. A newline and two spaces
// occur only in the dump's own structure (strings escape their newlines), so each match is the
// top-level member itself; the members come in this order.
std::string with_long_arrays(const std::string& dump, const Summary& summary) {
    using Writer = void (*)(const Summary&, std::string&);
    const std::array<std::pair<std::string_view, Writer>, 2> arrays = {{
        {"\n  \"critical_path\": []", write_critical_path},
        {"\n  \"path_rows\": []", write_path_rows},
    }};
    std::string out;
    out.reserve(dump.size() + (summary.critical_path.size() + summary.path_rows.size()) * 220);
    std::size_t from = 0;
    for (const auto& [placeholder, write] : arrays) {
        const auto at = dump.find(placeholder, from);
        if (at == std::string::npos) continue;
        const auto value = at + placeholder.size() - 2;  // where "[]" is
        out.append(dump, from, value - from);
        write(summary, out);
        from = value + 2;
    }
    out.append(dump, from);
    return out;
}

}  // namespace

std::string render_json(const Summary& summary, const RenderOptions& options) {
    Json out;
    out["trace_id"] = summary.trace_id;
    out["complete"] = summary.complete;
    out["span_count"] = summary.span_count;
    out["service_count"] = summary.service_count;
    out["duration_ms"] = round_ms(summary.duration_ms);
    out["root"] = to_json(summary.root);
    out["services"] = services_json(summary);
    out["critical_path"] = Json::array();  // written below (splice), as are the path rows
    out["slow_spans"] = slow_spans_json(summary);
    out["errors"] = errors_json(summary);
    out["findings"] = findings_json(summary);
    out["suspects"] = render_detail::suspects_json(summary);
    out["logs"] = render_detail::logs_json(summary);
    out["blast_radius"] = render_detail::blast_radius_json(summary);
    out["typical"] = render_detail::typical_json(summary);
    out["changes"] = render_detail::changes_json(summary);
    out["context"] = render_detail::context_notes_json(summary);
    // Extras beyond the contract.
    out["start_us"] = summary.start_us;
    out["request"] = summary.request;
    out["path"] = summary.path;
    out["operations"] = operations_json(summary);
    out["path_rows"] = Json::array();
    out["assembly"] = assembly_json(summary.assembly);
    out["notes"] = render_detail::display_notes(summary);
    const bool applied = summary.baseline.state == BaselineOverview::State::applied;
    out["unusual_ms"] = applied ? Json(round_ms(summary.baseline.unusual_ms)) : Json(nullptr);
    out["baseline"] = overview_json(summary.baseline);
    if (!options.trace_link.empty()) {
        out["link"] = options.trace_link;
    }
    // Trace data is not guaranteed UTF-8: replace bad bytes instead of throwing.
    return with_long_arrays(dumped(out), summary);
}

}  // namespace nra
