// Due times of schedules in their time zones, through the C library's zone database.
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>
#include <string>

#include "app/scheduler.hpp"
#include "config/improve_config_yaml.hpp"

namespace nra {
namespace {

std::mutex& tz_mutex() {
    static std::mutex m;
    return m;
}

// Runs `work` with TZ set to `zone`, then restores the previous TZ (the C library keeps the zone
// in process state, so every use is serialized here).
template <class Work>
auto with_zone(const std::string& zone, Work work) {
    const std::lock_guard lock(tz_mutex());
    const char* old = std::getenv("TZ");
    const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
    ::setenv("TZ", zone.c_str(), 1);
    ::tzset();
    auto result = work();
    if (saved) {
        ::setenv("TZ", saved->c_str(), 1);
    } else {
        ::unsetenv("TZ");
    }
    ::tzset();
    return result;
}

struct LocalDate {
    int year, month, day, weekday;
};

std::optional<LocalDate> local_date(const std::string& zone, std::int64_t utc_s) {
    return with_zone(zone, [utc_s]() -> std::optional<LocalDate> {
        const auto t = static_cast<std::time_t>(utc_s);
        std::tm tm{};
        if (::localtime_r(&t, &tm) == nullptr) return std::nullopt;
        return LocalDate{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_wday};
    });
}

// Candidate due times on the days around `now_s` (±8 days), in time order.
std::vector<std::int64_t> candidates(const Schedule& schedule, std::int64_t now_s) {
    std::vector<std::int64_t> out;
    if (!config::time_zone_exists(schedule.time_zone)) return out;
    for (int offset = -8; offset <= 8; ++offset) {
        const auto date = local_date(schedule.time_zone, now_s + std::int64_t{offset} * 86'400);
        if (!date) continue;
        if (schedule.cadence == Cadence::weekly && date->weekday != schedule.weekday) continue;
        const auto due = local_to_utc(
            schedule.time_zone, date->year, date->month, date->day, schedule.hour, schedule.minute
        );
        if (due && (out.empty() || *due > out.back())) out.push_back(*due);
    }
    return out;
}

}  // namespace

std::optional<std::int64_t> local_to_utc(
    const std::string& zone, int year, int month, int day, int hour, int minute
) {
    return with_zone(zone, [&]() -> std::optional<std::int64_t> {
        std::tm tm{};
        tm.tm_year = year - 1900;
        tm.tm_mon = month - 1;
        tm.tm_mday = day;
        tm.tm_hour = hour;
        tm.tm_min = minute;
        tm.tm_isdst = -1;  // let the zone decide (a time skipped by DST moves forward)
        const std::time_t t = ::mktime(&tm);
        if (t == static_cast<std::time_t>(-1)) return std::nullopt;
        return static_cast<std::int64_t>(t);
    });
}

std::optional<std::int64_t> last_due(const Schedule& schedule, std::int64_t now_s) {
    std::optional<std::int64_t> best;
    for (const auto due : candidates(schedule, now_s)) {
        if (due <= now_s) best = due;
    }
    return best;
}

std::optional<std::int64_t> next_due(const Schedule& schedule, std::int64_t now_s) {
    for (const auto due : candidates(schedule, now_s)) {
        if (due > now_s) return due;
    }
    return std::nullopt;
}

std::string schedule_key(const Schedule& schedule) {
    return schedule.service + "|" + schedule.channel + "|" +
           (schedule.cadence == Cadence::daily ? "daily"
                                               : "weekly" + std::to_string(schedule.weekday)) +
           "|" + std::to_string(schedule.hour) + ":" + std::to_string(schedule.minute) + "|" +
           schedule.time_zone +
           (schedule.report == ScheduleReport::slo_review ? std::string("|slo") : std::string());
}

}  // namespace nra
