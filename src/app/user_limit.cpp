#include "app/user_limit.hpp"

#include <fmt/format.h>

#include <chrono>
#include <utility>

#include "log/log.hpp"
#include "obs/metrics.hpp"
#include "private_reply.hpp"

namespace nra {
namespace {

constexpr std::int64_t kWindowS = 60;

void count_refusal(const Requester& who, int per_minute) {
    obs::registry().count("nra_rate_limited_total", "Jobs refused by the per-user limit", {});
    log::info("{} is over the limit of {} per minute", who.user_id, per_minute);
}

boost::asio::awaitable<void> tell_privately(const Ports& ports, Requester who, std::string text) {
    if (!who.response_url.empty()) {
        auto responding = respond_privately(ports, who.response_url, std::move(text));
        co_await std::move(responding);
        co_return;
    }
    if (who.channel.empty()) co_return;
    OutgoingMessage message;
    message.channel = who.channel;
    message.thread_ts = who.thread_ts;
    message.text = std::move(text);
    const auto told = co_await ports.chat->post_ephemeral(who.user_id, message);
    if (!told.ok()) log::warn("the rate-limit notice could not be posted: {}", told.code);
}

// The replicas' shared count, when the job starts; over the limit the job does not run and the
// user is told once per window.
boost::asio::awaitable<void> run_within_shared_limit(
    StateStore* state, int per_minute, Requester who, Job job, const Ports& ports
) {
    const std::string key = "rate:" + who.team_id + ":" + who.user_id;
    const auto count = co_await state->increment(key, std::chrono::seconds(kWindowS));
    if (count > per_minute) {
        count_refusal(who, per_minute);
        if (count == per_minute + 1) {
            auto telling = tell_privately(ports, std::move(who), limit_text(per_minute));
            co_await std::move(telling);
        }
        co_return;
    }
    co_await job(ports);
}

}  // namespace

std::string limit_text(int per_minute) {
    return fmt::format(
        "You have asked me for {} {} in the last minute, my limit per person. Try again in a "
        "minute; what is already running will still arrive.",
        per_minute,
        per_minute == 1 ? "thing" : "things"
    );
}

Job tell_privately_job(Requester who, std::string text) {
    return [who = std::move(who), text = std::move(text)](const Ports& ports) {
        return tell_privately(ports, who, text);
    };
}

UserLimit::UserLimit(int per_minute, StateStore* shared, EpochSeconds now)
    : per_minute_(per_minute), shared_(shared), now_(std::move(now)) {}

UserLimit::Decision UserLimit::admit(const Requester& who) {
    Decision decision;
    if (per_minute_ <= 0 || who.user_id.empty()) return decision;
    const auto now = now_();
    if (now - swept_s_ >= kWindowS) {  // forget finished windows, at most once a minute
        std::erase_if(windows_, [now](const auto& w) {
            return now - w.second.start_s >= kWindowS;
        });
        swept_s_ = now;
    }
    auto& window = windows_[who.team_id + ':' + who.user_id];
    if (window.count == 0 || now - window.start_s >= kWindowS) window = Window{now, 0};
    ++window.count;
    if (window.count <= per_minute_) return decision;
    count_refusal(who, per_minute_);
    decision.refused = true;
    decision.text = limit_text(per_minute_);
    if (window.count == per_minute_ + 1) decision.tell = tell_privately_job(who, decision.text);
    return decision;
}

Job UserLimit::guarded(Job job, Requester who) const {
    if (per_minute_ <= 0 || shared_ == nullptr || who.user_id.empty()) return job;
    return [state = shared_, per_minute = per_minute_, who = std::move(who), job = std::move(job)](
               const Ports& ports
           ) { return run_within_shared_limit(state, per_minute, who, job, ports); };
}

}  // namespace nra
