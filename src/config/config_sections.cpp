// Every rule a section of nr-analyzer.yaml must satisfy; nr-analyzer.example.yaml documents them.
#include "config/config_sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "config/improve_config_yaml.hpp"
#include "nra/chat.hpp"

namespace nra::config::detail {
namespace {

constexpr std::array<long long, 5> kSloWindowDays{1, 7, 14, 28, 30};  // New Relic SLM's windows
constexpr std::array<std::string_view, 7> kWeekdays{
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Field require(const Source& src, const Mapping& m, std::string_view key) {
    auto field = m.get(key);
    if (!field) fail(src, m.self(), fmt::format("needs \"{}\"", key));
    return *field;
}

void read_report(Source& src, const Field& at, ImproveConfig& c) {
    const Mapping m(
        src,
        at,
        {"window_days", "top_endpoints", "sample_traces", "suggest_endpoints", "hysteresis"}
    );
    if (auto f = m.get("window_days")) {
        const auto d = days(src, *f);
        if (d < 1 || d > 30) {
            fail(src, *f, fmt::format("must be from 1 to 30 days, got {}", describe(f->node)));
        }
        c.window_days = static_cast<int>(d);
    }
    if (auto f = m.get("top_endpoints"))
        c.top_endpoints = static_cast<int>(integer(src, *f, 1, 50));
    if (auto f = m.get("sample_traces"))
        c.sample_traces = static_cast<int>(integer(src, *f, 0, 10));
    if (auto f = m.get("suggest_endpoints")) {
        c.suggest_endpoints = static_cast<int>(integer(src, *f, 0, 50));
        if (c.suggest_endpoints > c.top_endpoints) {
            fail(src, *f, fmt::format("cannot exceed top_endpoints ({})", c.top_endpoints));
        }
    }
    c.suggest_endpoints = std::min(c.suggest_endpoints, c.top_endpoints);
    if (auto f = m.get("hysteresis")) c.hysteresis = fraction(src, *f, true);
}

// The threshold keys shared by `thresholds` and each override; unset keys stay nullopt.
ThresholdOverride read_threshold_values(const Source& src, const Mapping& m) {
    ThresholdOverride t;
    if (auto f = m.get("p95_ms")) t.p95_ms = positive(src, *f);
    if (auto f = m.get("error_rate")) t.error_rate = fraction(src, *f, false);
    if (auto f = m.get("apdex_t_ms")) t.apdex_t_ms = positive(src, *f);
    if (auto f = m.get("apdex_min")) {
        const double score = number(src, *f);
        if (score <= 0 || score > 1) {
            fail(src, *f, "must be an Apdex score above 0 and at most 1, got " + describe(f->node));
        }
        t.apdex_min = score;
    }
    if (auto f = m.get("min_throughput_rpm")) {
        t.min_throughput_rpm = number(src, *f);
        if (*t.min_throughput_rpm < 0) fail(src, *f, "must be 0 or more requests per minute");
    }
    return t;
}

void read_thresholds(Source& src, const Field& at, Thresholds& d) {
    const Mapping m(
        src, at, {"p95_ms", "error_rate", "apdex_t_ms", "apdex_min", "min_throughput_rpm"}
    );
    const auto t = read_threshold_values(src, m);
    d.p95_ms = t.p95_ms.value_or(d.p95_ms);
    d.error_rate = t.error_rate.value_or(d.error_rate);
    d.apdex_t_ms = t.apdex_t_ms.value_or(d.apdex_t_ms);
    d.apdex_min = t.apdex_min.value_or(d.apdex_min);
    d.min_throughput_rpm = t.min_throughput_rpm.value_or(d.min_throughput_rpm);
}

ThresholdOverride read_override(Source& src, const Field& at) {
    const Mapping m(
        src,
        at,
        {"service",
         "endpoint",
         "p95_ms",
         "error_rate",
         "apdex_t_ms",
         "apdex_min",
         "min_throughput_rpm"}
    );
    auto o = read_threshold_values(src, m);
    if (auto f = m.get("service")) o.service = text(src, *f);
    if (auto f = m.get("endpoint")) o.endpoint = text(src, *f);
    if (o.apdex_t_ms && o.endpoint != "*") {
        // The metrics query computes Apdex with one T per service (NRQL apdex(duration, t: …)).
        warn(
            src,
            *m.get("apdex_t_ms"),
            "apdex_t_ms applies per service; set it in an override "
            "with endpoint \"*\" (ignored here)"
        );
        o.apdex_t_ms.reset();
    }
    if (!o.p95_ms && !o.error_rate && !o.apdex_t_ms && !o.apdex_min && !o.min_throughput_rpm) {
        warn(src, at, "sets no threshold, so it changes nothing");
    }
    return o;
}

// OpenSLO metadata.name rules (RFC 1123 label), so names can become labels and identifiers.
void check_slo_name(const Source& src, const Field& f, const std::string& name) {
    const bool ok = name.size() <= 63 &&
                    std::isalnum(static_cast<unsigned char>(name.front())) != 0 &&
                    std::isalnum(static_cast<unsigned char>(name.back())) != 0 &&
                    std::all_of(name.begin(), name.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                    });
    const auto* const what =
        "must be lower-case letters, digits and '-' (at most 63, as in OpenSLO), got ";
    if (!ok) fail(src, f, what + name);
}

// objective, target and, for latency SLOs only, threshold_ms.
void read_objective(const Source& src, const Mapping& m, SloSpec& slo) {
    const auto objective = one_of(src, require(src, m, "objective"), {"availability", "latency"});
    slo.kind = objective == "latency" ? SloKind::latency : SloKind::availability;
    slo.target = fraction(src, require(src, m, "target"), false);
    const auto threshold = m.get("threshold_ms");
    if (slo.kind == SloKind::latency) {
        if (!threshold) {
            fail(
                src,
                m.self(),
                "a latency SLO needs \"threshold_ms\" (good requests take at most this)"
            );
        }
        slo.latency_ms = positive(src, *threshold);
    } else if (threshold) {
        fail(
            src,
            *threshold,
            "only latency SLOs have a threshold; availability counts failed requests"
        );
    }
}

int slo_window(const Source& src, const Field& f) {
    const auto d = days(src, f);
    if (std::find(kSloWindowDays.begin(), kSloWindowDays.end(), d) == kSloWindowDays.end()) {
        const auto* const what = "must be 1, 7, 14, 28 or 30 days (New Relic's SLO windows), got ";
        fail(src, f, what + describe(f.node));
    }
    return static_cast<int>(d);
}

// `names`: the names taken so far → their index, for a clear duplicate error.
SloSpec read_slo(Source& src, const Field& at, std::map<std::string, std::size_t>& names) {
    const Mapping m(
        src,
        at,
        {"name",
         "service",
         "endpoint",
         "objective",
         "target",
         "threshold_ms",
         "window",
         "owner",
         "review_every",
         "last_reviewed",
         "why"}
    );
    SloSpec slo;
    const auto name = require(src, m, "name");
    slo.name = text(src, name);
    check_slo_name(src, name, slo.name);
    if (auto [it, fresh] = names.emplace(slo.name, names.size()); !fresh) {
        fail(
            src, name, fmt::format("\"{}\" is already the name of slos[{}]", slo.name, it->second)
        );
    }
    const auto service = require(src, m, "service");
    slo.service = text(src, service);
    if (slo.service.find_first_of("*?") != std::string::npos) {
        fail(src, service, "must be an exact service name, not a pattern");
    }
    if (auto f = m.get("endpoint")) slo.endpoint = text(src, *f);
    read_objective(src, m, slo);
    if (auto f = m.get("window")) slo.window_days = slo_window(src, *f);
    read_slo_review(src, m, slo.review);
    return slo;
}

bool is_channel_id(std::string_view s) {
    return is_slack_channel_id(s);
}

// `alert_channels:` a list of channel ids (public C…, private G…) whose messages are read.
void read_alert_channels(const Source& src, const Field& at, std::vector<std::string>& out) {
    for (const auto& item : items(src, at)) {
        auto id = text(src, item);
        if (!is_slack_channel_id(id) || id[0] == 'D') {
            fail(src, item, "a channel ID like C0123456789, not a name (got " + id + ")");
        }
        if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
    }
}

void read_time_of_day(const Source& src, const Field& f, Schedule& s) {
    const auto t = text(src, f);
    const auto colon = t.find(':');
    const auto h = colon == std::string::npos ? std::string{} : t.substr(0, colon);
    const auto mm = colon == std::string::npos ? std::string{} : t.substr(colon + 1);
    const bool digits =
        !h.empty() && h.size() <= 2 && mm.size() == 2 && all_digits(h) && all_digits(mm);
    const int hour = digits ? std::stoi(h) : -1;
    const int minute = digits ? std::stoi(mm) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
        fail(src, f, "must be a 24-hour time like \"09:00\", got " + describe(f.node));
    }
    s.hour = hour;
    s.minute = minute;
}

Schedule read_schedule(Source& src, const Field& at) {
    const Mapping m(src, at, {"service", "channel", "every", "at", "time_zone", "report"});
    Schedule s;
    s.service = text(src, require(src, m, "service"));
    const auto channel = require(src, m, "channel");
    s.channel = text(src, channel);
    if (!is_channel_id(s.channel)) {
        fail(src, channel, "a channel ID like C0123456789, not a name (got " + s.channel + ")");
    }
    const auto every = one_of(
        src,
        require(src, m, "every"),
        {"day", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    );
    s.cadence = every == "day" ? Cadence::daily : Cadence::weekly;
    const auto* const day = std::find(kWeekdays.begin(), kWeekdays.end(), every);
    s.weekday = day == kWeekdays.end() ? 1 : static_cast<int>(day - kWeekdays.begin());
    read_time_of_day(src, require(src, m, "at"), s);
    if (auto f = m.get("report")) {
        const auto report = one_of(src, *f, {"improve", "slo_review"});
        s.report = report == "slo_review" ? ScheduleReport::slo_review : ScheduleReport::improve;
    }
    if (auto f = m.get("time_zone")) {
        s.time_zone = text(src, *f);
        if (!time_zone_exists(s.time_zone)) {
            fail(src, *f, "must be a time zone name like Europe/Berlin or UTC, got " + s.time_zone);
        }
    }
    return s;
}

bool is_project_key(std::string_view key) {
    return key.size() >= 2 && key.front() >= 'A' && key.front() <= 'Z' &&
           std::all_of(key.begin(), key.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
           });
}

std::vector<std::string> read_labels(const Source& src, const Field& at) {
    std::vector<std::string> labels;
    for (const auto& item : items(src, at)) {
        auto label = text(src, item);
        if (label.size() > 255 || label.find_first_of(" \t") != std::string::npos) {
            fail(src, item, "Jira labels have no spaces and at most 255 characters");
        }
        labels.push_back(std::move(label));
    }
    return labels;
}

void read_jira(Source& src, const Field& at, JiraPolicy& j) {
    const Mapping m(src, at, {"auto_create", "persist_runs", "project", "issue_type", "labels"});
    if (auto f = m.get("auto_create")) j.auto_create = boolean(src, *f);
    if (auto f = m.get("persist_runs")) j.persist_runs = static_cast<int>(integer(src, *f, 1, 20));
    if (auto f = m.get("project")) {
        j.project = text(src, *f);
        if (!is_project_key(j.project)) {
            fail(src, *f, "must be a Jira project key like OPS, got " + j.project);
        }
    }
    if (auto f = m.get("issue_type")) j.issue_type = text(src, *f);
    if (auto f = m.get("labels")) j.labels = read_labels(src, *f);
}

// Placeholders the code-link builder substitutes.
const std::vector<std::string_view> placeholder_names{"service", "filepath", "lineno", "function"};

void check_url_template(const Source& src, const Field& f, std::string_view url) {
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
        fail(src, f, fmt::format("must be an https:// URL template, got {}", url));
    }
    bool has_filepath = false;
    for (auto open = url.find('{'); open != std::string_view::npos;
         open = url.find('{', open + 1)) {
        const auto close = url.find('}', open);
        if (close == std::string_view::npos) fail(src, f, R"(has a "{" without its "}")");
        const auto name = url.substr(open + 1, close - open - 1);
        if (std::find(placeholder_names.begin(), placeholder_names.end(), name) ==
            placeholder_names.end()) {
            const auto near = closest(name, placeholder_names);
            const auto hint = near.empty() ? "" : fmt::format(" (did you mean {{{}}}?)", near);
            const auto* const use = "; use {service}, {filepath}, {lineno}, {function}";
            fail(src, f, fmt::format("unknown placeholder {{{}}}{}{}", name, hint, use));
        }
        has_filepath = has_filepath || name == "filepath";
    }
    if (!has_filepath) fail(src, f, "needs {filepath}: a code link must name the file");
}

void read_repositories(Source& src, const Field& at, std::map<std::string, std::string>& out) {
    const Mapping m(src, at);
    for (const auto& [service, field] : m.entries()) {
        auto url = text(src, field);
        check_url_template(src, field, url);
        if (service != "*" && service.find_first_of("*?") != std::string::npos) {
            warn(src, field, "keys are exact service names or \"*\"; this pattern never matches");
        }
        out[service] = std::move(url);
    }
}

}  // namespace

ImproveConfig read_improve_config(Source& src, const Field& root) {
    ImproveConfig c;
    if (root.node.IsNull()) return c;
    if (!root.node.IsMap()) {
        const auto* const what =
            "the file must be a mapping of sections (thresholds:, slos:, …), got ";
        fail(src, root, what + describe(root.node));
    }
    const Mapping m(
        src,
        root,
        {"report",
         "thresholds",
         "overrides",
         "slos",
         "schedules",
         "jira",
         "repositories",
         "baselines",
         "slo_review",
         "alert_channels"}
    );
    if (auto f = m.get("report")) read_report(src, *f, c);
    if (auto f = m.get("thresholds")) read_thresholds(src, *f, c.defaults);
    if (auto f = m.get("overrides")) {
        for (const auto& item : items(src, *f)) c.overrides.push_back(read_override(src, item));
    }
    if (auto f = m.get("slos")) {
        std::map<std::string, std::size_t> names;
        for (const auto& item : items(src, *f)) c.slos.push_back(read_slo(src, item, names));
    }
    if (auto f = m.get("schedules")) {
        for (const auto& item : items(src, *f)) c.schedules.push_back(read_schedule(src, item));
    }
    if (auto f = m.get("jira")) read_jira(src, *f, c.jira);
    if (auto f = m.get("repositories")) read_repositories(src, *f, c.repositories);
    if (auto f = m.get("baselines")) read_baselines(src, *f, c);
    if (auto f = m.get("slo_review")) read_slo_review_settings(src, *f, c.slo_review);
    if (auto f = m.get("alert_channels")) read_alert_channels(src, *f, c.alert_channels);
    return c;
}

}  // namespace nra::config::detail
