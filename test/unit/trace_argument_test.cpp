#include "nra/trace_argument.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

namespace trace_argument_test {

using nra::parse_trace_argument;

TEST_CASE("plain trace ids of 16 or 32 hex are accepted and lower-cased", "[unit][handlers]") {
    auto a = parse_trace_argument("  4BF92F3577B34DA6A3CE929D0E0E4736 ");
    REQUIRE(a.ok());
    CHECK(a->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(parse_trace_argument("030a573f0df02c57")->trace_id == "030a573f0df02c57");
}

TEST_CASE("a zero-padded legacy id also tries its 16-hex suffix", "[unit][handlers]") {
    auto a = parse_trace_argument("0000000000000000030a573f0df02c57");
    REQUIRE(a.ok());
    REQUIRE(a->alternates.size() == 1);
    CHECK(a->alternates[0] == "030a573f0df02c57");
}

TEST_CASE("traceparent gives its trace id", "[unit][handlers]") {
    auto a = parse_trace_argument("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    REQUIRE(a.ok());
    CHECK(a->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK_FALSE(parse_trace_argument("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01").ok()
    );
}

TEST_CASE("a New Relic link with the id in base64 JSON is understood", "[unit][handlers]") {
    // pane =
    // base64('{"nerdletId":"distributed-tracing.detail","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}')
    const std::string link =
        "https://one.newrelic.com/launcher/distributed-tracing-nerdlets.distributed-tracing?pane="
        "eyJuZXJkbGV0SWQiOiJkaXN0cmlidXRlZC10cmFjaW5nLmRldGFpbCIsInRyYWNlSWQiOiI0YmY5MmYzNTc3YjM0ZG"
        "E2YTNjZTkyOWQwZTBlNDczNiJ9";
    auto a = parse_trace_argument("<" + link + ">");
    REQUIRE(a.ok());
    CHECK(a->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_CASE("a link with the id in plain text is understood", "[unit][handlers]") {
    auto a = parse_trace_argument(
        "https://one.eu.newrelic.com/distributed-tracing?traceId=4bf92f3577b34da6a3ce929d0e0e4736"
    );
    REQUIRE(a.ok());
    CHECK(a->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_CASE("garbage and injection attempts are refused with a usage message", "[unit][handlers]") {
    for (const char* bad :
         {"",
          "hello",
          "x' OR 1=1 --",
          "4bf92f3577b34da6a3ce929d0e0e473",
          "4bf92f3577b34da6a3ce929d0e0e4736' OR '1'='1",
          "00000000000000000000000000000000",
          "https://example.com/no/id/here",
          "zzzzzzzzzzzzzzzz"}) {
        auto a = parse_trace_argument(bad);
        CHECK_FALSE(a.ok());
        if (!a.ok()) CHECK(a.error().find("trace id") != std::string::npos);
    }
    CHECK_FALSE(parse_trace_argument(std::string(100'000, 'a')).ok());
}

TEST_CASE("find_trace_arguments picks ids and links out of a Slack message") {
    const std::string text =
        "<@U0LAN0Z89> can you look at 4bf92f3577b34da6a3ce929d0e0e4736, and "
        "(00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01) — also "
        "4bf92f3577b34da6a3ce929d0e0e4736 again";
    const auto found = nra::find_trace_arguments(text);
    REQUIRE(found.size() == 2);
    CHECK(found[0].trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(found[1].trace_id == "0af7651916cd43dd8448eb211c80319c");
}

TEST_CASE("find_trace_arguments: at most max, nothing from plain words or injection text") {
    std::string many;
    for (int i = 1; i <= 5; ++i) many += fmt::format("{:032x} ", i);
    CHECK(nra::find_trace_arguments(many, 3).size() == 3);
    CHECK(nra::find_trace_arguments("please help with checkout latency").empty());
    CHECK(nra::find_trace_arguments("abc' OR trace.id LIKE '% <@U123|bob>").empty());
    CHECK(nra::find_trace_arguments("").empty());
}

}  // namespace trace_argument_test
