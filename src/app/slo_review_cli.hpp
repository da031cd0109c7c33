// `nr-analyzer slo review [SERVICE] [--format text|json|blocks] [--config FILE]`: the SLO review
// digest in the terminal. Exit codes: 0 ok, 1 no SLO to review or an SLO could not be computed
// (the digest is still printed and names it), 2 usage error.
#pragma once

#include <string>
#include <vector>

namespace nra {

int run_slo_cli(const std::vector<std::string>& args);

}  // namespace nra
