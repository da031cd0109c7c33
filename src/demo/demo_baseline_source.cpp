#include "demo/demo_baseline_source.hpp"

#include <algorithm>
#include <stdexcept>

#include "demo/demo_data.hpp"
#include "newrelic/baseline_results.hpp"

namespace nra {

DemoBaselineSource::DemoBaselineSource() {
    auto stats = read_baseline_results(demo_baselines_json());
    // The file is generated and embedded at build time: unreadable means a broken build.
    if (!stats) throw std::logic_error("demo/baselines.json is unreadable: " + stats.error());
    stats_ = std::move(stats).value();
}

boost::asio::awaitable<BaselineResult> DemoBaselineSource::baselines(BaselineQuery query) {
    BaselineResult result;
    result.status = FetchStatus::found;
    result.window = baseline_window_text(query.window_hours);
    for (const auto& s : stats_) {
        if (std::find(query.keys.begin(), query.keys.end(), s.key) != query.keys.end()) {
            result.stats.push_back(s);
        }
    }
    co_return result;
}

}  // namespace nra
