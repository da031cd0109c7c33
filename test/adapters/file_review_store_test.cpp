// SLO review decisions: once per digest and SLO, kept across restarts in their file, and a
// damaged file never stops the bot.
#include "state/file_review_store.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "support/run_async.hpp"
#include "support/scratch_dir.hpp"

namespace file_review_store_test {

using namespace nra;
using namespace nra::test;

namespace {

slo::ReviewDecision decision(std::string slo, std::string what, std::string user, std::int64_t at) {
    return slo::ReviewDecision{std::move(slo), std::move(what), std::move(user), at};
}

}  // namespace

TEST_CASE("review decisions are recorded once per digest and SLO") {
    boost::asio::io_context ioc;
    FileReviewStore store;
    auto first = run_blocking(ioc, store.record_once("C1:1.1", decision("a", "keep", "U1", 10)));
    CHECK(first.recorded);
    auto again = run_blocking(ioc, store.record_once("C1:1.1", decision("a", "change", "U2", 20)));
    CHECK_FALSE(again.recorded);
    CHECK(again.existing.user == "U1");
    CHECK(again.existing.decision == "keep");
    // Another SLO in the same digest, and the same SLO in a later digest, are new decisions.
    CHECK(run_blocking(ioc, store.record_once("C1:1.1", decision("b", "keep", "U2", 30))).recorded);
    CHECK(run_blocking(ioc, store.record_once("C1:2.2", decision("a", "change", "U2", 40))).recorded
    );
    const auto history = run_blocking(ioc, store.decisions("a"));
    REQUIRE(history.size() == 2);
    CHECK(history[0].decision == "keep");
    CHECK(history[1].decision == "change");
    CHECK(history[1].at_s == 40);
}

TEST_CASE("review decisions survive a restart through their file") {
    const std::string path = std::string(NRA_TEST_TMP_DIR) + "/reviews.json";
    std::remove(path.c_str());
    boost::asio::io_context ioc;
    {
        FileReviewStore store(path);
        run_blocking(ioc, store.record_once("C1:1.1", decision("a", "keep", "U1", 10)));
    }
    FileReviewStore restarted(path);
    CHECK_FALSE(
        run_blocking(ioc, restarted.record_once("C1:1.1", decision("a", "keep", "U3", 11))).recorded
    );
    const auto history = run_blocking(ioc, restarted.decisions("a"));
    REQUIRE(history.size() == 1);
    CHECK(history[0].user == "U1");
}

TEST_CASE("a damaged review file is ignored, entry by entry") {
    const std::string path = std::string(NRA_TEST_TMP_DIR) + "/reviews-damaged.json";
    {
        std::ofstream out(path, std::ios::trunc);
        out << R"({"decisions":[{"slo":"a","decision":"keep","user":"U1","at":"yesterday"},)"
            << R"({"slo":7},"junk",{"slo":"b","decision":"change","user":"U2","at":5}]})";
    }
    boost::asio::io_context ioc;
    FileReviewStore store(path);
    const auto a = run_blocking(ioc, store.decisions("a"));
    REQUIRE(a.size() == 1);
    CHECK(a[0].at_s == 0);  // a wrong type reads as nothing, not as a crash
    CHECK(run_blocking(ioc, store.decisions("b")).size() == 1);
    {
        std::ofstream out(path, std::ios::trunc);
        out << "not json at all";
    }
    FileReviewStore broken(path);
    CHECK(run_blocking(ioc, broken.decisions("a")).empty());
}

}  // namespace file_review_store_test
