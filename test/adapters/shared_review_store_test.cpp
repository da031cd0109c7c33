// SLO review decisions in the shared store: a button pressed on one replica is seen by
// the others, once per digest and SLO, with the history per SLO in order.
#include "state/shared_review_store.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "redis/redis_connection.hpp"
#include "redis/redis_state_store.hpp"
#include "redis/redis_url.hpp"
#include "support/redis_server.hpp"
#include "support/run_async.hpp"

namespace shared_review_store_test {

using namespace nra;
using namespace nra::test;

namespace {

slo::ReviewDecision decision(std::string slo, std::string what, std::string user, std::int64_t at) {
    return slo::ReviewDecision{std::move(slo), std::move(what), std::move(user), at};
}

redis::RedisEndpoint endpoint_of(const std::string& url) {
    auto parsed = redis::parse_redis_url(url);
    REQUIRE(parsed.ok());
    return *parsed;
}

}  // namespace

TEST_CASE("two replicas share review decisions through Redis, once per digest and SLO") {
    RedisServer redis;
    boost::asio::io_context ioc;
    redis::RedisConnection conn_a(ioc.get_executor(), endpoint_of(redis.url()));
    redis::RedisConnection conn_b(ioc.get_executor(), endpoint_of(redis.url()));
    redis::RedisStateStore store_a(conn_a);
    redis::RedisStateStore store_b(conn_b);
    SharedReviewStore a(store_a);
    SharedReviewStore b(store_b);

    auto first = run_blocking(ioc, a.record_once("C1:1.1", decision("web", "keep", "U1", 10)));
    CHECK(first.recorded);
    // The same digest's other button, pressed on the other replica.
    auto again = run_blocking(ioc, b.record_once("C1:1.1", decision("web", "change", "U2", 20)));
    CHECK_FALSE(again.recorded);
    CHECK(again.existing.user == "U1");
    CHECK(again.existing.decision == "keep");
    CHECK(again.existing.at_s == 10);
    // A later digest of the same SLO and another SLO are new decisions.
    CHECK(run_blocking(ioc, b.record_once("C1:2.2", decision("web", "change", "U2", 30))).recorded);
    CHECK(run_blocking(ioc, a.record_once("C1:2.2", decision("api", "keep", "U3", 40))).recorded);

    const auto web = run_blocking(ioc, a.decisions("web"));
    REQUIRE(web.size() == 2);
    CHECK(web[0].decision == "keep");
    CHECK(web[1].decision == "change");
    CHECK(web[1].user == "U2");
    CHECK(run_blocking(ioc, b.decisions("api")).size() == 1);
    CHECK(run_blocking(ioc, b.decisions("nothing")).empty());
}

TEST_CASE("a damaged shared history reads as empty and is replaced by the next decision") {
    RedisServer redis;
    boost::asio::io_context ioc;
    redis::RedisConnection conn(ioc.get_executor(), endpoint_of(redis.url()));
    redis::RedisStateStore store(conn);
    const std::string key = "reviews:web";
    const std::string garbage = "{not json";
    CHECK(run_blocking(ioc, store.put(key, garbage, std::chrono::milliseconds(0))));
    SharedReviewStore reviews(store);
    CHECK(run_blocking(ioc, reviews.decisions("web")).empty());
    CHECK(
        run_blocking(ioc, reviews.record_once("C1:1.1", decision("web", "keep", "U1", 10))).recorded
    );
    const auto history = run_blocking(ioc, reviews.decisions("web"));
    REQUIRE(history.size() == 1);
    CHECK(history[0].user == "U1");
}

}  // namespace shared_review_store_test
