// The Patience port over an Asio timer raced beside the step (see nra/ports/patience.hpp).
#pragma once

#include "nra/ports/patience.hpp"

namespace nra::slack {

boost::asio::awaitable<void> run_patiently(Step step, std::chrono::milliseconds after, Step notice);

}  // namespace nra::slack
