// The Background port over Asio: co_spawn on the caller's executor, a timer as the "ended" signal.
// The step keeps its own state alive (captured shared pointers); a caller that stops waiting
// never cancels it: each step is bounded by its own deadline.
#pragma once

#include "nra/ports/background.hpp"

namespace nra {

boost::asio::awaitable<std::shared_ptr<StartedStep>> start_in_background(Step step);

}  // namespace nra
