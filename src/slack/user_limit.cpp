#include "slack/user_limit.hpp"

#include <fmt/format.h>

#include <chrono>

#include "log/log.hpp"
#include "obs/metrics.hpp"
#include "post_analysis.hpp"

namespace nra::slack {
namespace {

constexpr auto kWindow = std::chrono::milliseconds(std::chrono::minutes(1));

boost::asio::awaitable<void> tell_privately(Services services, Requester who, std::string text) {
    if (!who.response_url.empty()) {
        auto responding = respond_privately(services, who.response_url, std::move(text));
        co_await std::move(responding);
        co_return;
    }
    if (who.channel.empty()) co_return;
    OutgoingMessage message;
    message.channel = who.channel;
    message.thread_ts = who.thread_ts;
    message.text = std::move(text);
    const auto told = co_await services.chat.post_ephemeral(who.user_id, message);
    if (!told.ok()) log::warn("the rate-limit notice could not be posted: {}", told.code);
}

}  // namespace

std::string limit_text(int per_minute) {
    return fmt::format(
        "You have asked me for {} things in the last minute, my limit per person. Try again in a "
        "minute; what is already running will still arrive.",
        per_minute
    );
}

boost::asio::awaitable<void> run_within_limit(
    StateStore& state, int per_minute, Requester who, Job job, Services services
) {
    if (per_minute > 0 && !who.user_id.empty()) {
        const std::string key = "rate:" + who.team_id + ":" + who.user_id;
        const auto count = co_await state.increment(key, kWindow);
        if (count > per_minute) {
            obs::registry().count(
                "nra_rate_limited_total", "Jobs refused by the per-user limit", {}
            );
            log::info("{} is over the limit of {} per minute", who.user_id, per_minute);
            // Once per window: the first refusal says so, the rest are quiet.
            if (count == per_minute + 1) {
                auto telling = tell_privately(services, std::move(who), limit_text(per_minute));
                co_await std::move(telling);
            }
            co_return;
        }
    }
    co_await job(std::move(services));
}

}  // namespace nra::slack
