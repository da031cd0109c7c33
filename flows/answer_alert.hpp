// An alert in an alert channel (alert_channels:): each trace it carries (at most 3) analysed and
// posted in the alert's thread, never at top level. An `eyes` reaction says the bot started. The
// same trace in the same channel within 30 minutes is not analysed again (one short line points
// at the first answer, once), and a channel gets at most kAlertTracesPerWindow analyses per
// kAlertPaceWindow, so an alert storm cannot flood it (one line says so, once per window).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "nra/trace_argument.hpp"
#include "ports.hpp"

namespace nra {

inline constexpr auto kAlertRepeatWindow = std::chrono::minutes(30);
inline constexpr auto kAlertPaceWindow = std::chrono::minutes(10);
inline constexpr int kAlertTracesPerWindow = 10;

struct AlertMessage {
    std::string team_id;
    std::string channel;
    std::string ts;  // the alert: its thread gets the answers
    std::vector<TraceArgument> traces;
};

// Remembers first answers and paces through ports.store (shared by replicas with REDIS_URL);
// without a store every alert is answered.
boost::asio::awaitable<void> answer_alert(const Ports& ports, AlertMessage alert);

}  // namespace nra
