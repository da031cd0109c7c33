// Per-user rate limits (issue 7): at most `per_minute` jobs per Slack user and workspace in a
// fixed one-minute window, counted in the StateStore (shared by replicas with REDIS_URL). Past the
// limit the job does not run, and the user is told once per window, privately.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "handler.hpp"
#include "nra/ports/state_store.hpp"

namespace nra::slack {

// Who asked, and where a private answer reaches them.
struct Requester {
    std::string team_id;
    std::string user_id;
    std::string channel;       // for chat.postEphemeral when there is no response_url
    std::string thread_ts;     // …in this thread
    std::string response_url;  // slash commands, shortcuts, buttons
};

// What the user reads past the limit.
std::string limit_text(int per_minute);

// Runs `job` unless `who` has already had `per_minute` jobs in this minute. The count's key is
// "rate:<team>:<user>". A user nobody knows (empty id) is not limited.
boost::asio::awaitable<void> run_within_limit(
    StateStore& state, int per_minute, Requester who, Job job, Services services
);

}  // namespace nra::slack
