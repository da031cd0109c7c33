// Patience port: runs a step that may wait long (a trace fetch from a hanging New Relic) and,
// if it has not finished after `after`, runs `notice` once beside it ("still waiting…"). The
// step goes on; the call returns when both are done. Implemented over Asio timers in the Slack
// adapter (src/slack/patience_timer.cpp). Empty: the step alone, never a notice.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>

namespace nra {

using Step = std::function<boost::asio::awaitable<void>()>;
using Patience = std::function<
    boost::asio::awaitable<void>(Step step, std::chrono::milliseconds after, Step notice)>;

}  // namespace nra
