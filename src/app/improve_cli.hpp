// `nr-analyzer improve`: the /improve report in the terminal (text, JSON or Block Kit), or posted
// to Slack with --post (what a Kubernetes CronJob runs). Exit codes: 0 ok, 1 the report could not
// be made or posted, 2 usage error.
#pragma once

#include <string>
#include <vector>

namespace nra {

int run_improve_cli(const std::vector<std::string>& args);

}  // namespace nra
