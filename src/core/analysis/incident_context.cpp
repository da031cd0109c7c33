#include "nra/analysis/incident_context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>
#include <tuple>

#include "core/report/report_format.hpp"
#include "nra/analysis/summary.hpp"
#include "nra/span.hpp"

namespace nra {
namespace {

// At most `max` bytes, never ending inside a UTF-8 sequence; "…" marks the cut.
std::string clip(const std::string& text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
    return text.substr(0, end) + "…";
}

int rank(const LogLine& line) {
    switch (log_severity(line.level)) {
        case LogSeverity::error:
            return 0;
        case LogSeverity::warning:
            return 1;
        case LogSeverity::other:
            break;
    }
    return 2;
}

std::string utc_clock(std::int64_t ms) {
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:02}:{:02} UTC", tm.tm_hour, tm.tm_min);
}

std::string percent(double share) {
    const double p = share * 100.0;
    if (p > 0 && p < 0.1) return "< 0.1 %";
    return fmt::format("{:.1f} %", p);
}

double usual_level(const BlastSeries& series) {
    if (!series.previous_day || series.previous_day->empty()) return 0;
    double sum = 0;
    for (const auto& bucket : *series.previous_day) sum += static_cast<double>(bucket.matching);
    return sum / static_cast<double>(series.previous_day->size());
}

bool above(const BlastBucket& bucket, double usual) {
    const auto n = static_cast<double>(bucket.matching);
    return n > 2 * usual && n >= usual + 1;
}

}  // namespace

LogSeverity log_severity(const std::string& level) {
    const std::string l = ascii_lower(level);
    for (const char* word : {"err", "fatal", "crit", "severe", "alert", "emerg", "panic"}) {
        if (l.starts_with(word)) return LogSeverity::error;
    }
    if (l.starts_with("warn")) return LogSeverity::warning;
    return LogSeverity::other;
}

std::vector<LogLine> order_log_lines(std::vector<LogLine> lines) {
    for (auto& line : lines) {
        line.level = ascii_lower(clip(line.level, 32));
        line.message = clip(line.message, kMaxLogMessage);
    }
    std::stable_sort(lines.begin(), lines.end(), [](const LogLine& a, const LogLine& b) {
        return std::tuple(rank(a), a.timestamp_ms) < std::tuple(rank(b), b.timestamp_ms);
    });
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    std::vector<LogLine> out;
    for (auto& line : lines) {
        if (out.size() >= kMaxLogLines) break;
        if (!seen.emplace(line.span_id, line.level, line.message).second) continue;
        out.push_back(std::move(line));
    }
    return out;
}

const LogLine* first_error_line(const Summary& summary) {
    const auto first_of = [&summary](const std::string& span) -> const LogLine* {
        for (const auto& line : summary.logs) {  // ordered: errors first, in time order
            if (log_severity(line.level) != LogSeverity::error) return nullptr;
            if (span.empty() || line.span_id == span) return &line;
        }
        return nullptr;
    };
    for (const auto& error : summary.errors) {  // origin first
        if (const auto* line = first_of(error.span_id)) return line;
    }
    return first_of({});  // an error line of a span that did not fail, or of no span
}

std::optional<BlastSubject> blast_subject(const Summary& summary) {
    if (summary.root.name.empty()) return std::nullopt;
    BlastSubject subject;
    subject.trace_ms = summary.root.duration_ms;
    const auto origin = std::find_if(
        summary.errors.begin(), summary.errors.end(), [](const ErrorInfo& e) { return e.origin; }
    );
    if (origin == summary.errors.end()) {
        subject.match = BlastSubject::Match::slowness;
        subject.service = summary.root.service;
        subject.name = summary.root.name;
        subject.noun = "requests";
        for (const auto& row : summary.critical_path) {
            if (row.span_id == summary.root.span_id && row.baseline && row.baseline->p99_ms > 0) {
                subject.usual_p99_ms = row.baseline->p99_ms;
            }
        }
        return subject;
    }
    const bool at_root = origin->span_id == summary.root.span_id;
    subject.match = BlastSubject::Match::failure;
    subject.service = origin->service;
    subject.name = origin->name;
    subject.noun = at_root ? "requests" : "calls";
    subject.error_class = origin->error_class;
    // A message is a signature only when the span wrote it (the summary says "HTTP 500" or
    // "error" for spans that did not) and it is one short line: long ones carry ids, timestamps
    // and stack traces (and NRQL literals cannot hold control characters).
    const bool one_line = std::none_of(origin->message.begin(), origin->message.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    const bool made_up =
        origin->message == "error" ||
        (origin->http_status > 0 && origin->message == fmt::format("HTTP {}", origin->http_status));
    if (subject.error_class.empty() && one_line && !made_up && origin->message.size() <= 200) {
        subject.error_message = origin->message;
    }
    return subject;
}

BlastRadius judge_blast_radius(const BlastSubject& subject, const BlastSeries& series) {
    BlastRadius out;
    out.subject = subject;
    out.window_minutes = series.window_minutes;
    out.bucket_minutes = series.bucket_minutes;
    for (const auto& bucket : series.buckets) {
        out.total += bucket.total;
        out.matching += bucket.matching;
    }
    if (out.total > 0) {  // at most 1 whatever a source counted
        out.share =
            std::min(1.0, static_cast<double>(out.matching) / static_cast<double>(out.total));
    }
    if (series.previous_day) {
        std::int64_t before = 0;
        for (const auto& bucket : *series.previous_day) before += bucket.matching;
        out.previous_day = before;
    }
    out.users = series.users;
    if (series.threshold_ms > 0) out.subject.usual_p99_ms = series.threshold_ms;
    if (series.buckets.empty() || !series.previous_day || series.previous_day->empty()) {
        return out;  // no usual level to be above
    }
    const double usual = usual_level(series);
    const auto first =
        std::find_if(series.buckets.begin(), series.buckets.end(), [usual](const BlastBucket& b) {
            return above(b, usual);
        });
    if (first != series.buckets.end()) {
        out.since_ms = first->start_ms;
        out.since_window_start = first == series.buckets.begin();
    }
    const auto n = series.buckets.size();
    out.still_happening =
        above(series.buckets[n - 1], usual) || (n >= 2 && above(series.buckets[n - 2], usual));
    return out;
}

std::string blast_sentence(const BlastRadius& radius, const std::string& shown) {
    const bool failure = radius.subject.match == BlastSubject::Match::failure;
    const std::string window = radius.window_minutes == 60
                                   ? "the last hour"
                                   : fmt::format("the last {} minutes", radius.window_minutes);
    if (radius.total == 0) {
        return fmt::format("No {} {} were counted in {}.", shown, radius.subject.noun, window);
    }
    if (radius.matching == 0) {
        return fmt::format(
            "No other {} {} in {} {}.",
            shown,
            radius.subject.noun,
            window,
            failure ? "failed this way" : "was slower than usual"
        );
    }
    const std::string how =
        failure ? (radius.subject.error_class.empty() && radius.subject.error_message.empty()
                       ? "failed"
                       : "failed the same way")
                : "were slower than usual";
    const bool alone = radius.matching <= 1;
    const bool unusual = radius.since_ms.has_value();
    std::string out = fmt::format(
        "{}{} of {} {} {} in {} {}",
        alone ? "Alone so far: " : (unusual ? "Not alone: " : "As usual: "),
        report_format::thousands(radius.matching),
        report_format::thousands(radius.total),
        shown,
        radius.subject.noun,
        window,
        how
    );
    if (radius.share) out += fmt::format(" ({})", percent(*radius.share));
    if (unusual && !alone) {
        out += fmt::format(
            ", since {}{}",
            radius.since_window_start ? "at least " : "",
            utc_clock(*radius.since_ms)
        );
    }
    if (radius.still_happening && unusual && !alone) {
        out += *radius.still_happening
                   ? std::string(", still happening")
                   : fmt::format(", not in the last {} minutes", 2 * radius.bucket_minutes);
    }
    if (radius.users) out += fmt::format(", {} users", report_format::thousands(*radius.users));
    if (radius.previous_day) {
        out += fmt::format(
            "; yesterday at this time: {}", report_format::thousands(*radius.previous_day)
        );
    }
    out += ".";
    return out;
}

std::string slo_burn_sentence(const SloBurn& burn, const std::string& shown_name) {
    const double rate = std::isfinite(burn.burn_rate) ? burn.burn_rate : 0.0;
    // One decimal below 100, so 14.3× and 14.4× read differently around "act now".
    const std::string times =
        rate >= 100 ? fmt::format("{:.0f}×", rate) : fmt::format("{:.1f}×", rate);
    if (rate >= kActNowBurn) {
        return fmt::format("The {} budget is burning {} — act now.", shown_name, times);
    }
    if (rate > 1) {
        return fmt::format(
            "The {} budget is burning {}: faster than it lasts, not yet an emergency.",
            shown_name,
            times
        );
    }
    return fmt::format("The {} SLO is within budget ({} burn).", shown_name, times);
}

}  // namespace nra
