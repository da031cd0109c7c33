// Trace-grounded suggestions: findings aggregated across hand-built samples, code links from the
// repository templates, and the critical-path fallback.
#include "nra/report/suggest.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "unit/detector_builder.hpp"

namespace suggest_test {

using namespace nra;

namespace {

Finding finding(
    std::string kind, std::string service, std::string statement, double total_ms, double saving_ms
) {
    Finding f;
    f.kind = std::move(kind);
    f.service = std::move(service);
    f.statement = std::move(statement);
    f.summary = "summary of " + f.kind;
    f.total_ms = total_ms;
    f.saving_ms = saving_ms;
    f.suggestion = "Do something about " + f.kind + ".";
    return f;
}

Summary sample(std::string id, std::vector<Finding> findings) {
    Summary s;
    s.trace_id = std::move(id);
    s.findings = std::move(findings);
    return s;
}

}  // namespace

TEST_CASE(
    "findings are grouped by kind, service and statement across the samples", "[unit][suggest]"
) {
    ImproveConfig config;
    const std::string select = "SELECT * FROM items WHERE id = ?";
    const std::vector<Summary> samples{
        sample(
            "t1",
            {finding("n_plus_one_db", "orders", select, 400, 380),
             finding("slow_db", "orders", "SELECT sum(x) FROM big", 900, 700)}
        ),
        sample(
            "t2",
            {finding("n_plus_one_db", "orders", select, 500, 460),
             finding("n_plus_one_db", "orders", select, 100, 90)}
        ),                                                                  // twice in one trace
        sample("t3", {finding("n_plus_one_db", "stock", select, 50, 40)}),  // other service
    };
    const std::vector<Suggestion> out = suggest_from_traces(samples, config);
    REQUIRE(out.size() == 3);
    // By total time: N+1 in orders (1,000 ms), slow query (900 ms), N+1 in stock (50 ms).
    CHECK(out[0].kind == "n_plus_one_db");
    CHECK(out[0].service == "orders");
    CHECK(out[0].what == select);
    CHECK(out[0].traces_with == 2);
    CHECK(out[0].traces_sampled == 3);
    CHECK(out[0].total_ms == Approx(1000));
    CHECK(out[0].saving_ms == Approx((380 + 460 + 90) / 2.0));  // per sample that has it
    CHECK(out[0].advice == "Do something about n_plus_one_db.");
    CHECK(out[1].kind == "slow_db");
    CHECK(out[1].traces_with == 1);
    CHECK(out[2].service == "stock");
}

TEST_CASE(
    "without a statement the summary names it, at most five, by total time", "[unit][suggest]"
) {
    ImproveConfig config;
    std::vector<Finding> many;
    for (int i = 0; i < 8; ++i) {
        Finding f = finding("sequential_calls", "svc" + std::to_string(i), "", 100.0 * i, 10);
        many.push_back(f);
    }
    const std::vector<Suggestion> out = suggest_from_traces({sample("t", many)}, config);
    REQUIRE(out.size() == 5);
    CHECK(out[0].service == "svc7");
    CHECK(out[4].service == "svc3");
    CHECK(out[0].what == "summary of sequential_calls");
}

TEST_CASE("code links fill the service's repository template, else the * one", "[unit][suggest]") {
    ImproveConfig config;
    config.repositories["orders"] = "https://github.com/acme/orders/blob/main/{filepath}#L{lineno}";
    config.repositories["*"] = "https://git.example/{function}/{filepath}:{lineno}";
    Finding f = finding("n_plus_one_db", "orders", "SELECT 1", 100, 90);
    f.code_filepath = "/src/orders/repo file.py";
    f.code_lineno = 42;
    f.code_function = "load_items";
    Finding other = finding("slow_db", "stock", "SELECT 2", 50, 40);
    other.code_filepath = "stock/db.go";
    other.code_function = "Query<T>";
    Finding unknown = finding("retries", "orders", "GET /x", 10, 5);  // no code.* attributes
    const auto out = suggest_from_traces({sample("t", {f, other, unknown})}, config);
    REQUIRE(out.size() == 3);
    CHECK(
        out[0].code_url == "https://github.com/acme/orders/blob/main/src/orders/repo%20file.py#L42"
    );
    CHECK(out[1].code_url == "https://git.example/Query%3CT%3E/stock/db.go");  // no line: no ":"
    CHECK(out[2].code_url.empty());

    config.repositories.clear();
    CHECK(code_url(config, "orders", "a.py", 1, "f").empty());
    config.repositories["orders"] = "https://h/{filepath}#L{lineno}";
    CHECK(code_url(config, "orders", "a.py", 0, "f") == "https://h/a.py");
    CHECK(code_url(config, "orders", "", 3, "f").empty());
}

TEST_CASE("no finding in any sample: the operation holding the critical path", "[unit][suggest]") {
    ImproveConfig config;
    Summary a = sample("a", {});
    a.duration_ms = 1000;
    a.critical_path = {
        {"s1", "gateway", "GET /cart", 0, 100, 0},
        {"s2", "pricing", "POST /quote", 100, 800, 1},
        {"s3", "gateway", "GET /cart", 900, 100, 0}};
    Summary b = sample("b", {});
    b.duration_ms = 3000;
    b.critical_path = {
        {"s4", "gateway", "GET /cart", 0, 2000, 0},
        {"s5", "pricing", "POST /quote", 2000, 1000, 1}};
    const auto out = suggest_from_traces({a, b}, config);
    REQUIRE(out.size() == 1);
    CHECK(out[0].kind == "critical_path");
    CHECK(out[0].service == "gateway");
    CHECK(out[0].what == "GET /cart");
    CHECK(out[0].traces_with == 2);
    CHECK(out[0].total_ms == Approx(2200));
    CHECK(out[0].advice.find("1,100 ms of 2,000 ms") != std::string::npos);
    CHECK(suggest_from_traces({}, config).empty());
}

TEST_CASE("from spans to a source link: detectors keep the code.* attributes", "[unit][suggest]") {
    test::DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    for (int i = 0; i < 6; ++i) {
        auto& span =
            b.db(test::cat("q", i), "root", "SELECT 1 FROM t WHERE k = $1", 10 + i * 20, 15);
        span.code_function = b.str("CartRepository.load");
        span.code_filepath = b.str("cart/repo.py");
        span.code_lineno = 42;
    }
    Summary summary;
    summary.findings = b.run();
    REQUIRE_FALSE(summary.findings.empty());
    const auto n1 =
        std::find_if(summary.findings.begin(), summary.findings.end(), [](const Finding& x) {
            return x.kind == "n_plus_one_db";
        });
    REQUIRE(n1 != summary.findings.end());
    const Finding& f = *n1;
    CHECK(f.code_filepath == "cart/repo.py");
    CHECK(f.code_function == "CartRepository.load");
    CHECK(f.code_lineno == 42);
    ImproveConfig config;
    config.repositories["*"] = "https://github.com/acme/{filepath}#L{lineno}";
    bool linked = false;
    for (const Suggestion& s : suggest_from_traces({summary}, config)) {
        if (s.kind == "n_plus_one_db") {
            linked = s.code_url == "https://github.com/acme/cart/repo.py#L42";
        }
    }
    CHECK(linked);
}

}  // namespace suggest_test
