#include "obs/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "obs/metric_catalog.hpp"

namespace nra::obs {
namespace {

// Label values: backslash, double quote and line feed escaped, as the format requires.
std::string escape(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

std::string label_text(
    const Labels& labels, std::string_view extra_key = {}, std::string_view extra = {}
) {
    std::string out;
    for (const auto& [k, v] : labels) {
        out += (out.empty() ? "" : ",") + k + "=\"" + escape(v) + "\"";
    }
    if (!extra_key.empty()) {
        out +=
            (out.empty() ? "" : ",") + std::string(extra_key) + "=\"" + std::string(extra) + "\"";
    }
    return out.empty() ? std::string() : "{" + out + "}";
}

std::string number(double v) {
    return fmt::format("{}", v);
}

}  // namespace

Registry::Family& Registry::family(
    std::string_view name, std::string_view help, std::string_view type
) {
    for (auto& f : families_) {
        if (f.name == name) return f;
    }
    families_.push_back(Family{std::string(name), std::string(help), std::string(type), {}, {}, {}}
    );
    return families_.back();
}

Registry::Series& Registry::series(Family& f, const Labels& labels) {
    for (auto& s : f.series) {
        if (s.labels == labels) return s;
    }
    f.series.push_back(Series{labels, 0, std::vector<std::uint64_t>(f.bounds.size(), 0), 0});
    return f.series.back();
}

void Registry::count(std::string_view name, std::string_view help, const Labels& labels, double n) {
    const std::lock_guard lock(mutex_);
    series(family(name, help, "counter"), labels).value += n;
}

void Registry::observe(
    std::string_view name,
    std::string_view help,
    const Labels& labels,
    double seconds,
    const std::vector<double>& bounds
) {
    const std::lock_guard lock(mutex_);
    auto& f = family(name, help, "histogram");
    if (f.bounds.empty()) f.bounds = bounds;
    auto& s = series(f, labels);
    for (std::size_t i = 0; i < f.bounds.size(); ++i) {
        if (seconds <= f.bounds[i]) {
            ++s.buckets[i];
            break;
        }
    }
    s.value += seconds;
    ++s.count;
}

void Registry::declare(
    std::string_view name,
    std::string_view help,
    std::string_view type,
    bool labelled,
    const std::vector<double>& bounds
) {
    const std::lock_guard lock(mutex_);
    auto& f = family(name, help, type);
    if (f.bounds.empty()) f.bounds = bounds;
    if (!labelled && type == "counter") series(f, {});
}

void Registry::gauge(std::string_view name, std::string_view help, std::function<double()> read) {
    const std::lock_guard lock(mutex_);
    family(name, help, "gauge").read = std::move(read);
}

std::string Registry::render() const {
    std::vector<const Family*> sorted;
    std::string out;
    const std::lock_guard lock(mutex_);
    for (const auto& f : families_) sorted.push_back(&f);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
    for (const Family* f : sorted) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f->name, f->help, f->name, f->type);
        if (f->type == "gauge") {
            out += fmt::format("{} {}\n", f->name, number(f->read ? f->read() : 0.0));
            continue;
        }
        for (const auto& s : f->series) {
            if (f->type == "counter") {
                out += fmt::format("{}{} {}\n", f->name, label_text(s.labels), number(s.value));
                continue;
            }
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < f->bounds.size(); ++i) {
                cumulative += s.buckets[i];
                out += fmt::format(
                    "{}_bucket{} {}\n",
                    f->name,
                    label_text(s.labels, "le", number(f->bounds[i])),
                    cumulative
                );
            }
            out += fmt::format(
                "{}_bucket{} {}\n", f->name, label_text(s.labels, "le", "+Inf"), s.count
            );
            out += fmt::format("{}_sum{} {}\n", f->name, label_text(s.labels), number(s.value));
            out += fmt::format("{}_count{} {}\n", f->name, label_text(s.labels), s.count);
        }
    }
    return out;
}

double Registry::counter_value(std::string_view name, const Labels& labels) const {
    const std::lock_guard lock(mutex_);
    for (const auto& f : families_) {
        if (f.name != name) continue;
        for (const auto& s : f.series) {
            if (s.labels == labels) return s.value;
        }
    }
    return 0;
}

void Registry::clear() {
    const std::lock_guard lock(mutex_);
    families_.clear();
}

Registry& registry() {
    static Registry instance;
    static const bool declared = (declare_bot_metrics(instance), true);
    (void)declared;
    return instance;
}

void record_request(
    const std::string& route, int status, std::chrono::steady_clock::time_point start
) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    auto& metrics = registry();
    metrics.count(
        "nra_requests_total",
        "Requests answered, by route (socket: Socket Mode envelopes) and HTTP status",
        {{"route", route}, {"status", std::to_string(status)}}
    );
    metrics.observe(
        "nra_ack_seconds",
        "Time from a request's arrival to its answer (Slack waits 3 s)",
        {{"route", route}},
        took.count(),
        ack_buckets()
    );
}

const std::vector<double>& ack_buckets() {
    static const std::vector<double> b{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3};
    return b;
}

const std::vector<double>& call_buckets() {
    static const std::vector<double> b{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    return b;
}

}  // namespace nra::obs
