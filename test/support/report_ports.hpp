// The ports a scheduler or a report needs, as the composition root wires them: metrics, traces,
// the /improve configuration and a chat; Jira and the shared state when given.
#pragma once

#include "ports.hpp"

namespace nra::test {

inline Ports report_ports(
    MetricsSource& metrics,
    TraceSource& traces,
    ChatClient& chat,
    const ImproveConfig& config,
    TicketTracker* tickets = nullptr,
    StateStore* state = nullptr
) {
    Ports ports{traces};
    ports.chat = &chat;
    ports.metrics = &metrics;
    ports.improve = &config;
    ports.tickets = tickets;
    ports.state = state;
    return ports;
}

}  // namespace nra::test
