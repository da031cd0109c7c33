// The embedded demo dataset's usual span durations (demo/baselines.json) as a BaselineSource, so
// baselines work with no account. Answers from memory, only for the keys asked.
#pragma once

#include <vector>

#include "nra/ports/baseline_source.hpp"

namespace nra {

class DemoBaselineSource final : public BaselineSource {
public:
    DemoBaselineSource();
    boost::asio::awaitable<BaselineResult> baselines(BaselineQuery query) override;

private:
    std::vector<BaselineStats> stats_;
};

}  // namespace nra
