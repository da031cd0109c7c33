// The picture's time axis (nice ticks and their labels) and its service palette.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "nra/render/waterfall_picture.hpp"

namespace nra {
namespace {

constexpr double kMs = 1e3;
constexpr double kSecond = 1e6;
constexpr double kMinute = 60 * kSecond;
constexpr double kHour = 60 * kMinute;

// The smallest of 1, 2, 2.5, 5 × 10^k (in `unit`s) that is at least raw.
double decimal_step(double raw, double unit) {
    const double scaled = std::max(raw / unit, 1e-9);
    const double power = std::pow(10.0, std::floor(std::log10(scaled)));
    for (const double f : {1.0, 2.0, 2.5, 5.0}) {
        if (f * power >= scaled * (1 - 1e-9)) return f * power * unit;
    }
    return 10 * power * unit;
}

// Steps people count in: 1-2-2.5-5 up to 10 s, then clock steps, then 1-2-2.5-5 hours.
double nice_step(double raw_us) {
    if (raw_us <= 1) return 1;
    if (raw_us <= 10 * kSecond) return decimal_step(raw_us, 1);
    for (const double s :
         {15 * kSecond,
          20 * kSecond,
          30 * kSecond,
          kMinute,
          2 * kMinute,
          5 * kMinute,
          10 * kMinute,
          15 * kMinute,
          20 * kMinute,
          30 * kMinute,
          kHour}) {
        if (s >= raw_us) return s;
    }
    return decimal_step(raw_us, kHour);
}

// Decimals needed to show a value exactly, at most 3: 0.25 → 2, 1.2 → 1, 5 → 0.
int decimals_for(double value) {
    for (int d = 0; d < 3; ++d) {
        const double scaled = value * std::pow(10.0, d);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) return d;
    }
    return 3;
}

// A multiple of the step needs no more decimals than the step: "1 s", "1.25 s", "1.5 s".
std::string with_unit(double value, std::string_view unit) {
    return fmt::format("{:.{}f} {}", value, decimals_for(value), unit);
}

// "1 min 15 s", "2 min", "1 h 30 min", "3 h".
std::string clock_label(double us) {
    const auto total_s = static_cast<long long>(std::llround(us / kSecond));
    if (total_s < 3600) {
        const long long m = total_s / 60;
        const long long s = total_s % 60;
        return s == 0 ? fmt::format("{} min", m) : fmt::format("{} min {} s", m, s);
    }
    const long long h = total_s / 3600;
    const long long m = (total_s % 3600) / 60;
    return m == 0 ? fmt::format("{} h", h) : fmt::format("{} h {} min", h, m);
}

std::string zero_label(double step) {
    if (step < kMs) return "0 µs";
    if (step < kSecond) return "0 ms";
    if (step < kMinute) return "0 s";
    if (step < kHour) return "0 min";
    return "0 h";
}

std::string tick_label(double us, double step) {
    if (us <= 0) return zero_label(step);
    if (step >= kHour) return with_unit(us / kHour, "h");
    if (us < kMs) return with_unit(us, "µs");
    if (us < kSecond) return with_unit(us / kMs, "ms");
    if (us < kMinute) return with_unit(us / kSecond, "s");
    return clock_label(us);
}

}  // namespace

const std::array<Rgb, kPaletteColours + 1>& picture_palette() {
    // Okabe & Ito (2008) without black, then Paul Tol's indigo, teal and olive: told apart with
    // the common colour-vision deficiencies; red stays reserved for errors.
    static const std::array<Rgb, kPaletteColours + 1> palette{{
        {0, 114, 178},    // blue
        {230, 159, 0},    // orange
        {0, 158, 115},    // bluish green
        {204, 121, 167},  // reddish purple
        {86, 180, 233},   // sky blue
        {213, 94, 0},     // vermillion
        {51, 34, 136},    // indigo
        {240, 228, 66},   // yellow
        {68, 170, 153},   // teal
        {153, 153, 51},   // olive
        {160, 160, 160},  // other services
    }};
    return palette;
}

std::vector<TickValue> nice_ticks(double total_us, std::size_t target_count) {
    if (!std::isfinite(total_us) || total_us <= 0) total_us = 1;
    target_count = std::clamp<std::size_t>(target_count, 2, 20);
    const double step = nice_step(total_us / static_cast<double>(target_count));
    std::vector<TickValue> ticks;
    for (std::size_t i = 0;; ++i) {
        const double us = step * static_cast<double>(i);
        if (us > total_us * (1 + 1e-9) || ticks.size() > 2 * target_count + 1) break;
        ticks.push_back({us, tick_label(us, step)});
    }
    return ticks;
}

}  // namespace nra
