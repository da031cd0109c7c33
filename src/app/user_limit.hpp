// Per-user rate limits: at most `per_minute` jobs per Slack user and workspace in a
// fixed one-minute window. Decided at once, in this process, before the ack: a slash command over
// the limit is answered with the limit in its ack, never acked "Analysing…" and refused later.
// With a StateStore shared by replicas (REDIS_URL) the job is counted there again when it starts.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "handler.hpp"
#include "nra/ports/state_store.hpp"

namespace nra {

// Who asked, and where a private answer reaches them.
struct Requester {
    std::string team_id;
    std::string user_id;
    std::string channel;       // for chat.postEphemeral when there is no response_url
    std::string thread_ts;     // …in this thread
    std::string response_url;  // slash commands, shortcuts, buttons
};

// What the user reads past the limit ("1 thing", "20 things").
std::string limit_text(int per_minute);

// A job that tells `who` privately (response_url, else chat.postEphemeral in their thread).
Job tell_privately_job(Requester who, std::string text);

// What a person whose request a shutdown cancelled reads.
inline constexpr const char* kRestartedText =
    "nr-analyzer restarted before your request finished; please ask again.";

class UserLimit {
public:
    using EpochSeconds = std::function<std::int64_t()>;

    // per_minute ≤ 0: no limit. `shared` (may be null) is counted again when a job starts.
    UserLimit(int per_minute, StateStore* shared, EpochSeconds now);

    struct Decision {
        bool refused = false;
        std::string text;         // what the user reads (for an ack that can carry text)
        std::optional<Job> tell;  // the first refusal in a window: tell them privately
    };
    // Counts this request of `who` (a user nobody knows, empty id, is not limited).
    Decision admit(const Requester& who);

    // `job`, refused when it starts if the replicas' shared count is over the limit.
    Job guarded(Job job, Requester who) const;

private:
    struct Window {
        std::int64_t start_s = 0;
        int count = 0;
    };
    int per_minute_;
    StateStore* shared_;
    EpochSeconds now_;
    std::unordered_map<std::string, Window> windows_;
    std::int64_t swept_s_ = 0;
};

}  // namespace nra
