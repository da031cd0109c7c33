#include "demo/demo_context_source.hpp"

#include <algorithm>
#include <array>

namespace nra {
namespace {

struct DemoLog {
    const char* trace_id;
    std::int64_t timestamp_ms;
    const char* level;
    const char* span_id;
    const char* service;
    const char* message;
};

constexpr const char* kOrders = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
constexpr const char* kCheckout = "4bf92f3577b34da6a3ce929d0e0e4736";

// As the services wrote them (agents' logs in context and OTLP), times from the traces.
constexpr std::array kLogs{
    DemoLog{
        kOrders,
        1795169589808,
        "INFO",
        "3d7c9ec7081ab44d",
        "api-gateway",
        "POST /api/orders from client web-7.3.1 routed to orders-service"},
    DemoLog{
        kOrders,
        1795169589810,
        "INFO",
        "fe91532917857e08",
        "orders-service",
        "Creating order for customer c-20931 (3 items, total 184.20 EUR)"},
    DemoLog{
        kOrders,
        1795169589832,
        "INFO",
        "c59a61378b3dda8d",
        "fraud-check",
        "Scoring order 84121 with rules v42 and the risk vendor"},
    DemoLog{
        kOrders,
        1795169590840,
        "ERROR",
        "235c930864201495",
        "fraud-check",
        "Risk vendor call failed: java.net.SocketTimeoutException: Read timed out (POST "
        "https://risk-api.vendor.example/v2/score, read timeout 1000 ms)"},
    DemoLog{
        kOrders,
        1795169590842,
        "ERROR",
        "c59a61378b3dda8d",
        "fraud-check",
        "fraud/score failed for order 84121: risk vendor unavailable"},
    DemoLog{
        kOrders,
        1795169590844,
        "WARN",
        "68e2b292285f0789",
        "payment-service",
        "fraud check timed out after 1000 ms; answering 504 to orders-service"},
    DemoLog{
        kOrders,
        1795169590848,
        "WARN",
        "842a09449115361f",
        "orders-service",
        "payment authorize returned 504, retrying in 150 ms (attempt 1 of 2)"},
    DemoLog{
        kOrders,
        1795169592016,
        "ERROR",
        "d3c3a7643fa41206",
        "fraud-check",
        "Risk vendor call failed: java.net.SocketTimeoutException: Read timed out (POST "
        "https://risk-api.vendor.example/v2/score, read timeout 1000 ms)"},
    DemoLog{
        kOrders,
        1795169592021,
        "WARN",
        "69ab7589acc13e36",
        "payment-service",
        "fraud check timed out after 1000 ms; answering 504 to orders-service"},
    DemoLog{
        kOrders,
        1795169592025,
        "ERROR",
        "010ed439ec92010c",
        "orders-service",
        "payment authorize returned 504 (attempt 2 of 2): giving up"},
    DemoLog{
        kOrders,
        1795169592031,
        "ERROR",
        "fe91532917857e08",
        "orders-service",
        "com.acme.orders.payment.PaymentFailedException: Payment authorization failed after "
        "2 attempts: payment-service responded 504 Gateway Timeout"},
    DemoLog{
        kOrders,
        1795169592037,
        "WARN",
        "3d7c9ec7081ab44d",
        "api-gateway",
        "upstream orders-service answered 500; returning 502 to the client"},
    DemoLog{
        kCheckout,
        1795169000010,
        "INFO",
        "",
        "checkout-service",
        "Checkout started for cart 7f3a (12 items)"},
};

// fraud-check's calls to the risk vendor: fine until 25 minutes ago, failing since (per 5 min).
constexpr std::array<std::int64_t, 12> kStormMatching{0, 0, 0, 0, 0, 0, 0, 212, 388, 402, 395, 410};
constexpr std::int64_t kStormTotal = 420;
constexpr std::int64_t kStormUsers = 1'146;
constexpr std::int64_t kSteadyTotal = 600;
constexpr std::int64_t kSteadySlow = 6;  // about 1 % beyond the usual p99

bool is_storm(const BlastSubject& subject) {
    return subject.match == BlastSubject::Match::failure && subject.service == "fraud-check" &&
           subject.name == "External/risk-api.vendor.example/SpringWebClient/POST";
}

// The demo incident: giftcard-service's UPDATE fails in most calls since its 10:36 deployment.
constexpr std::array<std::int64_t, 12> kGiftMatching{0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 2, 1};
constexpr std::int64_t kGiftTotal = 3;

bool is_gift_card(const BlastSubject& subject) {
    return subject.match == BlastSubject::Match::failure && subject.service == "giftcard-service";
}

std::vector<BlastBucket> buckets(const BlastQuery& query, std::int64_t shift_ms, bool storm) {
    const std::int64_t width = std::int64_t{query.bucket_minutes} * 60'000;
    const int count = query.window_minutes / std::max(query.bucket_minutes, 1);
    std::vector<BlastBucket> out;
    for (int i = 0; i < count; ++i) {
        BlastBucket bucket;
        bucket.start_ms = query.until_ms - shift_ms - (count - i) * width;
        const auto k = static_cast<std::size_t>(std::min(i, 11));
        bucket.total = storm ? kStormTotal : kSteadyTotal;
        bucket.matching =
            storm ? (shift_ms == 0 ? kStormMatching.at(k) : 0)
                  : (query.subject.match == BlastSubject::Match::slowness ? kSteadySlow : 0);
        if (is_gift_card(query.subject)) {
            bucket.total = kGiftTotal;
            bucket.matching = shift_ms == 0 ? kGiftMatching.at(k) : 0;
        }
        out.push_back(bucket);
    }
    return out;
}

// Typical requests of the story endpoints (tools/gen_demo.py TYPICAL_IDS), three hours before.
struct DemoTypical {
    const char* service;
    const char* name;
    const char* trace_id;
    std::int64_t start_ms;
    double duration_ms;
};
constexpr std::array kTypical{
    DemoTypical{
        "web-gateway",
        "POST /api/checkout",
        "3ac1f2e4b5d64789a0b1c2d3e4f5a6b7",
        1795158000000,
        1123},
    DemoTypical{
        "storefront-bff",
        "GET /api/search",
        "6c2e0b1a8d7f4e5a9b3c1d2e4f5a6b7c",
        1795158420412,
        279.785},
    DemoTypical{
        "api-gateway", "POST /api/orders", "9e8d7c6b5a4f43219e8d7c6b5a4f4321", 1795158789807, 133},
    DemoTypical{// before giftcard-service 2.8.0 (tools/gen_demo_incident.py)
                "web-gateway",
                "POST /api/gift-cards/redeem",
                "e0b4f7a5d2c36b6e1f9a8d7c6b5a4f3e",
                1795165947731,
                31},
};

// Deployment markers of the demo services (2026-11-20, UTC).
struct DemoDeployment {
    const char* service;
    std::int64_t at_ms;
    const char* version;
    const char* description;
};
constexpr std::array kDeployments{
    DemoDeployment{
        "search-service",
        1795168980000,  // 10:03
        "4.2.0",
        "Product search: rank by rating and price in the products query"},
    DemoDeployment{
        "order-service", 1795156800000, "2.8.1", "Order history: items loaded per order"},  // 06:40
    DemoDeployment{"payment-service", 1794990000000, "1.9.0", "PSP client timeouts"},  // 2 days
    DemoDeployment{
        "giftcard-service",
        1795170960000,  // 10:36
        "2.8.0",
        "Gift cards in several currencies (writes currency_code)"},
};

}  // namespace

boost::asio::awaitable<TypicalResult> DemoContextSource::typical(TypicalQuery query) {
    TypicalResult out;
    out.status = FetchStatus::found;
    for (const auto& t : kTypical) {
        if (query.service == t.service && query.name == t.name && query.trace_id != t.trace_id &&
            t.start_ms >= query.from_ms && t.start_ms < query.to_ms) {
            out.candidates.push_back({t.trace_id, t.duration_ms});
        }
    }
    co_return out;
}

boost::asio::awaitable<ChangeResult> DemoContextSource::changes(ChangeQuery query) {
    ChangeResult out;
    out.status = FetchStatus::found;
    for (const auto& d : kDeployments) {
        const bool ours = std::find(query.services.begin(), query.services.end(), d.service) !=
                          query.services.end();
        if (ours && d.at_ms >= query.from_ms && d.at_ms < query.to_ms) {
            out.events.push_back({d.service, d.at_ms, d.version, d.description, {}, "Deployment"});
        }
    }
    co_return out;
}

boost::asio::awaitable<LogResult> DemoContextSource::logs(LogQuery query) {
    LogResult out;
    out.status = FetchStatus::found;
    for (const auto& log : kLogs) {
        if (query.trace_id != log.trace_id || log.timestamp_ms < query.from_ms ||
            log.timestamp_ms >= query.to_ms) {
            continue;
        }
        if (out.lines.size() >= query.max_lines) {
            out.truncated = true;
            break;
        }
        out.lines.push_back(LogLine{
            log.timestamp_ms, log.level, log.message, log.span_id, log.service});
    }
    co_return out;
}

boost::asio::awaitable<BlastResult> DemoContextSource::blast_radius(BlastQuery query) {
    BlastResult out;
    out.status = FetchStatus::found;
    const bool storm = is_storm(query.subject);
    out.series.window_minutes = query.window_minutes;
    out.series.bucket_minutes = query.bucket_minutes;
    out.series.until_ms = query.until_ms;
    out.series.buckets = buckets(query, 0, storm);
    out.series.previous_day = buckets(query, std::int64_t{24} * 3'600'000, storm);
    if (storm) out.series.users = kStormUsers;
    if (query.subject.match == BlastSubject::Match::slowness) {
        out.series.threshold_ms = query.subject.usual_p99_ms > 0 ? query.subject.usual_p99_ms
                                                                 : 0.9 * query.subject.trace_ms;
    }
    co_return out;
}

}  // namespace nra
