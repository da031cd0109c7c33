#include "nra/statement.hpp"

#include <catch2/catch.hpp>

namespace statement_test {

using nra::normalize_statement;
using nra::normalize_url;

TEST_CASE("statement: the documented example", "[statement]") {
    CHECK(
        normalize_statement("SELECT * FROM t WHERE id = 42 AND name = 'x' AND k IN (1,2,3)") ==
        "SELECT * FROM t WHERE id = ? AND name = ? AND k IN (?)"
    );
}

TEST_CASE("statement: string literals with escaped quotes and prefixes", "[statement]") {
    CHECK(normalize_statement("WHERE a = 'it''s' AND b = ''") == "WHERE a = ? AND b = ?");
    CHECK(normalize_statement("WHERE a = N'unicode' AND b = X'0AFF'") == "WHERE a = ? AND b = ?");
    CHECK(normalize_statement("WHERE a = E'esc'") == "WHERE a = ?");
    // A truncated statement ends inside a literal: the literal runs to the end.
    CHECK(
        normalize_statement("SELECT * FROM t WHERE a = 'abc...") == "SELECT * FROM t WHERE a = ?"
    );
}

TEST_CASE("statement: numbers in every form", "[statement]") {
    CHECK(
        normalize_statement("a = 1 AND b = 2.5 AND c = .5 AND d = 1e10") ==
        "a = ? AND b = ? AND c = ? AND d = ?"
    );
    CHECK(normalize_statement("a = 0xDEADbeef AND b = 1.5E-3") == "a = ? AND b = ?");
    CHECK(normalize_statement("a = -5 AND b = (-7)") == "a = ? AND b = (?)");
    // A subtraction keeps its operator.
    CHECK(normalize_statement("SET n = n - 1") == "SET n = n - ?");
    // Digits inside identifiers stay.
    CHECK(normalize_statement("SELECT t1.col2 FROM table3 t1") == "SELECT t1.col2 FROM table3 t1");
}

TEST_CASE("statement: booleans become placeholders, NULL stays", "[statement]") {
    CHECK(
        normalize_statement("WHERE active = TRUE AND deleted = false AND x IS NULL") ==
        "WHERE active = ? AND deleted = ? AND x IS NULL"
    );
}

TEST_CASE("statement: bind placeholders of every driver", "[statement]") {
    CHECK(normalize_statement("WHERE a = $1 AND b = $12") == "WHERE a = ? AND b = ?");
    CHECK(normalize_statement("WHERE a = :id AND b = :other_id") == "WHERE a = ? AND b = ?");
    CHECK(
        normalize_statement("WHERE a = @p1 AND b = ?1 AND c = ?") ==
        "WHERE a = ? AND b = ? AND c = ?"
    );
    CHECK(normalize_statement("WHERE a = %s AND b = %(name)s") == "WHERE a = ? AND b = ?");
}

TEST_CASE("statement: casts and system variables are not placeholders", "[statement]") {
    CHECK(normalize_statement("SELECT x::int FROM t") == "SELECT x::int FROM t");
    CHECK(normalize_statement("SELECT @@version") == "SELECT @@version");
}

TEST_CASE("statement: IN lists of any length collapse", "[statement]") {
    const auto one = normalize_statement("SELECT * FROM t WHERE id IN (1)");
    CHECK(one == "SELECT * FROM t WHERE id IN (?)");
    CHECK(normalize_statement("SELECT * FROM t WHERE id IN (1, 2, 3, 4)") == one);
    CHECK(normalize_statement("SELECT * FROM t WHERE id IN ( ?,?,? )") == one);
    CHECK(
        normalize_statement("SELECT * FROM t WHERE id in ($1, $2)") ==
        "SELECT * FROM t WHERE id in (?)"
    );
    CHECK(normalize_statement("WHERE id NOT IN('a','b')") == "WHERE id NOT IN(?)");
    // A subquery is structure, not a list.
    CHECK(
        normalize_statement("WHERE id IN (SELECT id FROM u WHERE x = 1)") ==
        "WHERE id IN (SELECT id FROM u WHERE x = ?)"
    );
    // "MIN (" is not "IN (".
    CHECK(normalize_statement("SELECT MIN (1, 2)") == "SELECT MIN (?, ?)");
}

TEST_CASE("statement: multi-row VALUES collapse to one tuple", "[statement]") {
    CHECK(
        normalize_statement("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'),(3,'z')") ==
        "INSERT INTO t (a, b) VALUES (?, ?)"
    );
    CHECK(
        normalize_statement("INSERT INTO t (a, b) VALUES (1, 'x')") ==
        "INSERT INTO t (a, b) VALUES (?, ?)"
    );
    // Different column counts are different statements.
    CHECK(
        normalize_statement("INSERT INTO t VALUES (1, 2)") !=
        normalize_statement("INSERT INTO t VALUES (1)")
    );
}

TEST_CASE(
    "statement: whitespace collapses, comments go, case and identifiers stay", "[statement]"
) {
    CHECK(
        normalize_statement("  SELECT\n\t*   FROM \"Users\"  WHERE `k` = 1  ") ==
        "SELECT * FROM \"Users\" WHERE `k` = ?"
    );
    CHECK(
        normalize_statement("select * from t /* traceparent='00-abc' */ where a = 1 -- note\n") ==
        "select * from t where a = ?"
    );
}

TEST_CASE("statement: same query with different parameters has one shape", "[statement]") {
    CHECK(
        normalize_statement("SELECT * FROM items WHERE id = 17") ==
        normalize_statement("SELECT  *  FROM items WHERE id = 99123")
    );
    CHECK(
        normalize_statement("SELECT * FROM items WHERE id = 17") !=
        normalize_statement("SELECT * FROM orders WHERE id = 17")
    );
}

TEST_CASE("statement: degenerate input", "[statement]") {
    CHECK(normalize_statement("").empty());
    CHECK(normalize_statement("   ").empty());
    CHECK(normalize_statement("'") == "?");
    CHECK(normalize_statement("/* never closed").empty());
    CHECK(normalize_statement("WHERE a IN (1, 2") == "WHERE a IN (?, ?");
    // Key-value commands: the id in a key is a literal, the key's prefix is not a placeholder.
    CHECK(normalize_statement("GET user:42") == "GET user:?");
    CHECK(normalize_statement("HGET session:abc f") == "HGET session:abc f");
}

TEST_CASE("url: documented example", "[statement]") {
    CHECK(normalize_url("https://api.x.com/users/123/orders?id=9") == "api.x.com/users/*/orders");
}

TEST_CASE("url: ids become stars, words stay", "[statement]") {
    CHECK(
        normalize_url("http://svc:8080/v1/items/550e8400-e29b-41d4-a716-446655440000/price") ==
        "svc:8080/v1/items/*/price"
    );
    CHECK(normalize_url("http://h/blobs/0123456789abcdef") == "h/blobs/*");
    CHECK(normalize_url("http://h/blobs/abcdef12") == "h/blobs/abcdef12");
    CHECK(normalize_url("http://h/accessible/decadeface") == "h/accessible/decadeface");
    CHECK(normalize_url("http://h/users/42/") == "h/users/*/");
}

TEST_CASE("url: relative paths, fragments, credentials", "[statement]") {
    CHECK(normalize_url("/users/7?x=1#top") == "/users/*");
    CHECK(normalize_url("https://user:secret@api.x.com/a/1") == "api.x.com/a/*");
    CHECK(normalize_url("http://10.0.0.1:80/a") == "10.0.0.1:80/a");
    CHECK(normalize_url("").empty());
}

}  // namespace statement_test
