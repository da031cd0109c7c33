// N+1 detectors (database and HTTP), each with its positive case and the near misses.
#include <catch2/catch.hpp>
#include <string>

#include "detector_builder.hpp"

namespace detectors_n_plus_one_test {

using nra::test::cat;
using nra::test::contains;
using nra::test::DetectorTraceBuilder;
using nra::test::of_kind;

namespace {

// `n` copies of one query shape (different ids) under `parent`, `each_ms` long, `step_ms` apart.
void add_queries(
    DetectorTraceBuilder& b,
    std::string_view parent,
    int n,
    double each_ms,
    double step_ms,
    std::string_view table = "items"
) {
    for (int i = 0; i < n; ++i) {
        const std::string id = cat(parent, "-", table, i);
        const std::string sql = cat("SELECT * FROM ", table, " WHERE id = ", 100 + i);
        b.db(id, parent, sql, 10 + i * step_ms, each_ms);
    }
}

}  // namespace

TEST_CASE("n_plus_one_db: repeated query under one parent", "[detectors]") {
    DetectorTraceBuilder b;
    b.service("order-service");
    b.add("root", "", "GET /cart", 0, 400);
    add_queries(b, "root", 10, 10, 12);
    const auto found = of_kind(b.run(), "n_plus_one_db");
    REQUIRE(found.size() == 1);
    const auto& f = found[0];
    CHECK(f.count == 10);
    CHECK(f.span_ids.size() == 10);
    CHECK(f.service == "order-service");
    CHECK(f.statement == "SELECT * FROM items WHERE id = ?");
    CHECK(f.total_ms == Approx(100));
    CHECK(f.saving_ms == Approx(90));  // 100 ms of queries, one batched query ≈ 10 ms
    CHECK(contains(f.summary, "10 ×"));
    CHECK(contains(f.summary, "`SELECT * FROM items WHERE id = ?`"));
    CHECK(contains(f.summary, "`GET /cart` in order-service"));
    CHECK(contains(f.suggestion, "IN ("));
}

TEST_CASE("n_plus_one_db: location comes from code attributes", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    for (int i = 0; i < 6; ++i) {
        auto& s = b.db(cat("q", i), "root", "SELECT 1 FROM t WHERE k = $1", 10 + i * 20, 15);
        s.code_function = b.str("CartRepository.load");
        s.code_filepath = b.str("cart/repo.py");
        s.code_lineno = 42;
    }
    const auto found = of_kind(b.run(), "n_plus_one_db");
    REQUIRE(found.size() == 1);
    CHECK(found[0].location == "CartRepository.load (cart/repo.py:42)");
}

TEST_CASE("n_plus_one_db: below the count threshold", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    add_queries(b, "root", 4, 30, 35);  // 120 ms, but only 4 queries
    CHECK(of_kind(b.run(), "n_plus_one_db").empty());
}

TEST_CASE("n_plus_one_db: below the time threshold", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    add_queries(b, "root", 20, 2, 3);  // 20 queries, 40 ms in total
    CHECK(of_kind(b.run(), "n_plus_one_db").empty());
}

TEST_CASE("n_plus_one_db: different statements are not N+1", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    const char* tables[] = {"items", "users", "orders", "prices", "stock", "carts"};
    for (int i = 0; i < 6; ++i) {
        b.db(
            cat("q", i), "root", cat("SELECT * FROM ", tables[i], " WHERE id = 1"), 10 + i * 30, 25
        );
    }
    CHECK(of_kind(b.run(), "n_plus_one_db").empty());
}

TEST_CASE("n_plus_one_db: the same query under different parents is not grouped", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    b.add("a", "root", "loadA", 0, 190);
    b.add("b", "root", "loadB", 200, 190);
    add_queries(b, "a", 3, 30, 35);
    for (int i = 0; i < 3; ++i) {
        b.db(cat("bq", i), "b", "SELECT * FROM items WHERE id = 7", 210 + i * 35, 30);
    }
    CHECK(of_kind(b.run(), "n_plus_one_db").empty());
}

TEST_CASE("n_plus_one_db: without statements, the span name is the shape", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "WebTransaction/Cart", 0, 400);
    for (int i = 0; i < 6; ++i) {
        auto& s = b.add(
            cat("q", i), "root", "Datastore/statement/Postgres/items/select", 10 + i * 20, 15
        );
        s.category = nra::SpanCategory::datastore;
    }
    const auto found = of_kind(b.run(), "n_plus_one_db");
    REQUIRE(found.size() == 1);
    CHECK(found[0].statement == "Datastore/statement/Postgres/items/select");
}

TEST_CASE("n_plus_one_db: parallel repeats count their wall-clock time once", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    add_queries(b, "root", 10, 60, 0);  // all ten run at the same time
    const auto found = of_kind(b.run(), "n_plus_one_db");
    REQUIRE(found.size() == 1);
    CHECK(found[0].total_ms == Approx(60));
    CHECK(found[0].saving_ms == Approx(0));
}

TEST_CASE("n_plus_one_db: key-value stores get a multi-get suggestion", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    for (int i = 0; i < 8; ++i) {
        auto& s = b.db(cat("r", i), "root", cat("GET user:", i), 10 + i * 20, 15);
        s.db_system = b.str("redis");
    }
    const auto found = of_kind(b.run(), "n_plus_one_db");
    REQUIRE(found.size() == 1);
    CHECK(found[0].statement == "GET user:?");
    CHECK(contains(found[0].suggestion, "MGET"));
}

TEST_CASE(
    "n_plus_one_db: microsecond JDBC repeats (Jaeger fixture shape) are not N+1", "[detectors]"
) {
    // The shape of jaeger/spanAmongEachOtherGroupedAndSpans.json: 14 identical queries of a few µs.
    DetectorTraceBuilder b;
    b.add("root", "", "GET /owners", 0, 3.7);
    for (int i = 0; i < 14; ++i) {
        b.db(cat("j", i), "root", "select * from test", 0.1 + i * 0.2, 0.046);
    }
    CHECK(of_kind(b.run(), "n_plus_one_db").empty());
}

TEST_CASE("n_plus_one_http: same endpoint with different ids under one parent", "[detectors]") {
    DetectorTraceBuilder b;
    b.service("frontend");
    b.add("root", "", "GET /profile", 0, 400);
    for (int i = 0; i < 6; ++i) {
        b.http(
            cat("h", i),
            "root",
            "GET",
            cat("http://users:8080/api/users/", i, "?x=1"),
            10 + i * 35,
            30
        );
    }
    const auto found = of_kind(b.run(), "n_plus_one_http");
    REQUIRE(found.size() == 1);
    CHECK(found[0].statement == "GET users:8080/api/users/*");
    CHECK(found[0].count == 6);
    CHECK(found[0].total_ms == Approx(180));
    CHECK(found[0].saving_ms == Approx(150));
    CHECK(contains(
        found[0].summary, "6 × `GET users:8080/api/users/*` under `GET /profile` in frontend"
    ));
    CHECK(of_kind(b.run(), "n_plus_one_db").empty());
}

TEST_CASE("n_plus_one_http: below the time threshold", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /profile", 0, 400);
    for (int i = 0; i < 6; ++i) {
        b.http(cat("h", i), "root", "GET", cat("http://users/api/users/", i), 10 + i * 15, 10);
    }
    CHECK(of_kind(b.run(), "n_plus_one_http").empty());
}

TEST_CASE("n_plus_one_http: below the count threshold", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /profile", 0, 400);
    for (int i = 0; i < 4; ++i) {
        b.http(cat("h", i), "root", "GET", cat("http://users/api/users/", i), 10 + i * 60, 50);
    }
    CHECK(of_kind(b.run(), "n_plus_one_http").empty());
}

TEST_CASE("n_plus_one_http: different methods are different endpoints", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /profile", 0, 400);
    const char* methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
    for (int i = 0; i < 6; ++i) {
        b.http(cat("h", i), "root", methods[i], "http://users/api/users/1", 10 + i * 50, 40);
    }
    CHECK(of_kind(b.run(), "n_plus_one_http").empty());
}

TEST_CASE("n_plus_one_db: a huge loop lists the first span ids but counts all", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 5000);
    add_queries(b, "root", 400, 5, 6);
    const auto found = of_kind(b.run(), "n_plus_one_db");
    REQUIRE(found.size() == 1);
    CHECK(found[0].count == 400);
    CHECK(found[0].span_ids.size() == 50);
}

TEST_CASE("n_plus_one_db: one failed item in a placeholder loop is not a retry", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    for (int i = 0; i < 8; ++i) {
        auto& q = b.db(cat("q", i), "root", "SELECT * FROM items WHERE id = ?", 10 + i * 12, 10);
        q.error = i == 3;
    }
    const auto all = b.run();
    CHECK(of_kind(all, "n_plus_one_db").size() == 1);
    CHECK(of_kind(all, "retries").empty());
}

TEST_CASE("n_plus_one_db: a loop whose every item failed is still an N+1", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 400);
    for (int i = 0; i < 8; ++i) {
        b.db(cat("q", i), "root", cat("SELECT * FROM items WHERE id = ", i), 10 + i * 12, 10)
            .error = true;
    }
    const auto found = of_kind(b.run(), "n_plus_one_db");
    REQUIRE(found.size() == 1);
    CHECK(found[0].count == 8);
}

}  // namespace detectors_n_plus_one_test
