// What every Slack entry point returns: an immediate answer (the ack, within Slack's 3 s) and
// optionally a job that runs after the ack on the job queue, with the ports it may use.
// Pure: handlers talk to the outside only through ports, and do their work through flows/.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "nra/chat.hpp"
#include "ports.hpp"

namespace nra {

// A mention or a message shortcut analyses at most this many traces of one message.
inline constexpr std::size_t kMaxTracesPerMessage = 3;

// The ports are the composition root's, alive longer than any job: a job may keep the reference.
using Job = std::function<boost::asio::awaitable<void>(const Ports&)>;

struct Ack {
    std::string body;  // JSON answer to Slack (e.g. an ephemeral usage text); empty: bare 200
};

struct Handled {
    Ack ack;
    std::optional<Job> job;
    std::string busy_text;  // said to the user instead when the job queue is full
};

// {"response_type":"ephemeral","text":…}: a reply only the user sees, inside the ack.
std::string ephemeral_ack(const std::string& text);

// What the bot can do (for `/trace help` and "@nr-analyzer help").
std::string help_text();

}  // namespace nra
