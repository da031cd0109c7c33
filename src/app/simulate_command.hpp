// `nr-analyzer simulate "/trace <id>"` and `simulate --mention "<text>"`: plays Slack for a bot
// server you run locally. Signs and sends the request the way Slack does, then, acting as the
// Web API (on 127.0.0.1:3001, where a demo-mode server posts), prints what the bot posts.
#pragma once

#include <string>
#include <vector>

namespace nra {

int run_simulate_command(const std::vector<std::string>& args);

}  // namespace nra
