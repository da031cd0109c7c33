#include "state/shared_recent_store.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "state/review_json.hpp"

namespace nra {
namespace {

constexpr auto kKeep = std::chrono::milliseconds(std::chrono::hours(24 * 30));

template <class T>
T number(const nlohmann::json& item, const char* key) {
    const auto it = item.find(key);
    return it != item.end() && it->is_number() ? it->get<T>() : T{};
}

nlohmann::json to_json(const RecentAnalysis& a) {
    return {
        {"trace_id", a.trace_id},
        {"request", a.request},
        {"duration_ms", a.duration_ms},
        {"span_count", a.span_count},
        {"error_count", a.error_count},
        {"top_finding", a.top_finding},
        {"channel", a.channel},
        {"permalink_ts", a.permalink_ts},
        {"at", a.at_epoch_s}};
}

std::vector<RecentAnalysis> parse(const std::optional<std::string>& stored) {
    std::vector<RecentAnalysis> out;
    if (!stored) return out;
    const auto list = nlohmann::json::parse(*stored, nullptr, false);
    if (!list.is_array()) return out;
    for (const auto& item : list) {
        if (!item.is_object()) continue;
        RecentAnalysis a;
        a.trace_id = json_text(item, "trace_id");
        if (a.trace_id.empty()) continue;
        a.request = json_text(item, "request");
        a.duration_ms = number<double>(item, "duration_ms");
        a.span_count = number<int>(item, "span_count");
        a.error_count = number<int>(item, "error_count");
        a.top_finding = json_text(item, "top_finding");
        a.channel = json_text(item, "channel");
        a.permalink_ts = json_text(item, "permalink_ts");
        a.at_epoch_s = number<std::int64_t>(item, "at");
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

boost::asio::awaitable<void> SharedRecentStore::remember(
    std::string team_id, RecentAnalysis analysis
) {
    const std::string key = "recent:" + team_id;
    const auto stored = co_await state_.get(key);
    auto list = parse(stored);
    std::erase_if(list, [&](const RecentAnalysis& a) { return a.trace_id == analysis.trace_id; });
    list.insert(list.begin(), std::move(analysis));
    if (list.size() > per_team_) list.resize(per_team_);
    auto json = nlohmann::json::array();
    for (const auto& a : list) json.push_back(to_json(a));
    const std::string value = json.dump();
    co_await state_.put(key, value, kKeep);
}

boost::asio::awaitable<std::vector<RecentAnalysis>> SharedRecentStore::recall(std::string team_id) {
    const std::string key = "recent:" + team_id;
    const auto stored = co_await state_.get(key);
    auto list = parse(stored);
    if (list.size() > per_team_) list.resize(per_team_);
    co_return list;
}

}  // namespace nra
