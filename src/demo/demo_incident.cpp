// DemoMetricsSource::window_samples: the demo traces /incident analyses for each endpoint it asks
// about (tools/gen_demo.py and tools/gen_demo_incident.py), whatever the window: the demo's
// traces keep their own times.
#include <array>
#include <string_view>

#include "demo/demo_metrics_source.hpp"

namespace nra {
namespace {

struct DemoSample {
    std::string_view service;
    std::string_view endpoint;
    WindowSample::Reason reason;
    std::string_view trace_id;
};

using R = WindowSample::Reason;
constexpr std::array kSamples{
    DemoSample{
        "web-gateway",
        "POST /api/gift-cards/redeem",
        R::failed,
        "b7e1c4d2a9f04e3b8c6d5a4f3e2d1c0b"},
    DemoSample{
        "web-gateway",
        "POST /api/gift-cards/redeem",
        R::failed,
        "c8f2d5e3b0a14f4c9d7e6b5a4f3e2d1c"},
    DemoSample{
        "web-gateway",
        "POST /api/gift-cards/redeem",
        R::failed,
        "d9a3e6f4c1b25a5d0e8f7c6b5a4f3e2d"},
    DemoSample{
        "web-gateway",
        "POST /api/gift-cards/redeem",
        R::typical,
        "e0b4f7a5d2c36b6e1f9a8d7c6b5a4f3e"},
    DemoSample{"web-gateway", "POST /api/checkout", R::slow, "4bf92f3577b34da6a3ce929d0e0e4736"},
    DemoSample{"web-gateway", "POST /api/checkout", R::typical, "3ac1f2e4b5d64789a0b1c2d3e4f5a6b7"},
    DemoSample{"storefront-bff", "GET /api/search", R::slow, "7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d"},
    DemoSample{"storefront-bff", "GET /api/search", R::typical, "6c2e0b1a8d7f4e5a9b3c1d2e4f5a6b7c"},
    DemoSample{"api-gateway", "POST /api/orders", R::failed, "a1b2c3d4e5f60718293a4b5c6d7e8f90"},
    DemoSample{"api-gateway", "POST /api/orders", R::typical, "9e8d7c6b5a4f43219e8d7c6b5a4f4321"},
    DemoSample{
        "profile-bff",
        "WebTransaction/Expressjs/GET//profile/:userId",
        R::slow,
        "0af7651916cd43dd8448eb211c80319c"},
    DemoSample{
        "edge-proxy", "GET /api/catalog/featured", R::typical, "5f2b7c9d1e3a4b6c8d0e2f4a6b8c0d1e"},
};

}  // namespace

boost::asio::awaitable<SampleResult> DemoMetricsSource::window_samples(SampleQuery query) {
    SampleResult result;
    result.status = FetchStatus::found;
    for (const auto& asked : query.endpoints) {
        for (const auto& s : kSamples) {
            if (s.service != query.service || s.endpoint != asked.name) continue;
            if (s.reason == R::slow && !asked.slow_above_ms) continue;
            if (s.reason == R::typical && !asked.typical_below_ms) continue;
            result.samples.push_back(WindowSample{s.reason, asked.name, std::string(s.trace_id)});
        }
    }
    co_return result;
}

}  // namespace nra
