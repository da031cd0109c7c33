// REDIS_URL parsing: the forms operators write, clear refusals for the rest, and the password
// never in an error or in the redacted form used for logs.
#include "redis/redis_url.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace redis_url_test {

using nra::redis::parse_redis_url;

TEST_CASE("redis url: host only takes the defaults") {
    const auto endpoint = parse_redis_url("redis://localhost");
    REQUIRE(endpoint.ok());
    CHECK(endpoint->host == "localhost");
    CHECK(endpoint->port == 6379);
    CHECK(endpoint->db == 0);
    CHECK(endpoint->password.empty());
    CHECK(endpoint->username.empty());
    CHECK(endpoint->redacted() == "redis://localhost:6379/0");
}

TEST_CASE("redis url: password, port and database") {
    const auto endpoint = parse_redis_url("redis://:s3cret@redis.internal:6380/2");
    REQUIRE(endpoint.ok());
    CHECK(endpoint->host == "redis.internal");
    CHECK(endpoint->port == 6380);
    CHECK(endpoint->db == 2);
    CHECK(endpoint->password == "s3cret");
    CHECK(endpoint->username.empty());
    CHECK(endpoint->redacted() == "redis://***@redis.internal:6380/2");
}

TEST_CASE("redis url: ACL user and a percent-encoded password") {
    const auto endpoint = parse_redis_url("redis://bot:p%40ss%2Fw0rd@10.0.0.7/0");
    REQUIRE(endpoint.ok());
    CHECK(endpoint->username == "bot");
    CHECK(endpoint->password == "p@ss/w0rd");
    CHECK(endpoint->host == "10.0.0.7");
    CHECK(endpoint->redacted() == "redis://***@10.0.0.7:6379/0");
}

TEST_CASE("redis url: a lone user part is the password") {
    const auto endpoint = parse_redis_url("redis://justapassword@cache:7000/");
    REQUIRE(endpoint.ok());
    CHECK(endpoint->password == "justapassword");
    CHECK(endpoint->username.empty());
    CHECK(endpoint->port == 7000);
    CHECK(endpoint->redacted().find("justapassword") == std::string::npos);
}

TEST_CASE("redis url: IPv6 literal") {
    const auto endpoint = parse_redis_url("redis://[::1]:6390/1");
    REQUIRE(endpoint.ok());
    CHECK(endpoint->host == "::1");
    CHECK(endpoint->port == 6390);
    CHECK(endpoint->redacted() == "redis://[::1]:6390/1");
}

TEST_CASE("redis url: TLS is refused clearly") {
    const auto endpoint = parse_redis_url("rediss://:hunter2@redis.example:6380");
    REQUIRE_FALSE(endpoint.ok());
    CHECK(endpoint.error().find("TLS to Redis") != std::string::npos);
    CHECK(endpoint.error().find("not supported yet") != std::string::npos);
    CHECK(endpoint.error().find("hunter2") == std::string::npos);
}

TEST_CASE("redis url: bad forms are errors without the password") {
    const char* bad[] = {
        "",
        "localhost:6379",
        "http://:hunter2@host:6379",
        "redis://",
        "redis://:hunter2@",
        "redis://:hunter2@host:0",
        "redis://:hunter2@host:65536",
        "redis://:hunter2@host:port",
        "redis://:hunter2@host/db1",
        "redis://:hunter2@host/-1",
        "redis://:hunter2@host/1/2",
        "redis://:hunter2@host?timeout=5",
        "redis://:hunter2@host#x",
        "redis://:hun@ter2@host",
        "unix://:hunter2@/run/redis.sock",
    };
    for (const char* url : bad) {
        INFO(url);
        const auto endpoint = parse_redis_url(url);
        REQUIRE_FALSE(endpoint.ok());
        CHECK(endpoint.error().rfind("REDIS_URL: ", 0) == 0);
        CHECK(endpoint.error().find("hunter2") == std::string::npos);
        CHECK(endpoint.error().find("ter2") == std::string::npos);
    }
}

}  // namespace redis_url_test
