// TicketDraft text → ADF (Jira Cloud) and wiki markup (Data Center), the size cap, and the fake
// Jira's own ADF and JQL rules (so the adapter tests rest on a fake that checks what Jira does).
#include <catch2/catch.hpp>
#include <string>

#include "jira/adf.hpp"
#include "support/fake_jira_rules.hpp"

namespace jira_adf_test {

using namespace nra::jira;
using nlohmann::json;
using nra::test::adf_problem;
using nra::test::parse_jql;

namespace {

const json& first_block(const json& doc) {
    return doc.at("content").at(0);
}

}  // namespace

TEST_CASE("ADF: paragraphs, line breaks and bullets") {
    const auto doc = to_adf("First line\nsecond line\n\nWhy:\n- slow query\n- retries\n\nEnd");
    REQUIRE(adf_problem(doc).empty());
    CHECK(doc["version"] == 1);
    CHECK(doc["type"] == "doc");
    const auto& blocks = doc["content"];
    REQUIRE(blocks.size() == 4);
    CHECK(blocks[0]["type"] == "paragraph");
    REQUIRE(blocks[0]["content"].size() == 3);
    CHECK(blocks[0]["content"][0]["text"] == "First line");
    CHECK(blocks[0]["content"][1]["type"] == "hardBreak");
    CHECK(blocks[0]["content"][2]["text"] == "second line");
    CHECK(blocks[1]["content"][0]["text"] == "Why:");
    CHECK(blocks[2]["type"] == "bulletList");
    REQUIRE(blocks[2]["content"].size() == 2);
    const auto& item = blocks[2]["content"][1];
    CHECK(item["type"] == "listItem");
    CHECK(item["content"][0]["type"] == "paragraph");
    CHECK(item["content"][0]["content"][0]["text"] == "retries");
    CHECK(blocks[3]["content"][0]["text"] == "End");
}

TEST_CASE("ADF: code spans and links become marks") {
    const auto doc =
        to_adf("Run `SELECT 1` see <https://one.newrelic.com/x?a=1|the trace> or <https://e.com>");
    REQUIRE(adf_problem(doc).empty());
    const auto& nodes = first_block(doc)["content"];
    REQUIRE(nodes.size() == 6);
    CHECK(nodes[0]["text"] == "Run ");
    CHECK(nodes[1]["text"] == "SELECT 1");
    CHECK(nodes[1]["marks"][0]["type"] == "code");
    CHECK(nodes[3]["text"] == "the trace");
    CHECK(nodes[3]["marks"][0]["type"] == "link");
    CHECK(nodes[3]["marks"][0]["attrs"]["href"] == "https://one.newrelic.com/x?a=1");
    CHECK(nodes[5]["text"] == "https://e.com");
    CHECK(nodes[5]["marks"][0]["attrs"]["href"] == "https://e.com");
}

TEST_CASE("ADF: unmatched markers and non-links stay literal, nothing is empty") {
    const auto doc = to_adf("p95 < 1s and > 2s, <not a link>, `` and a lone ` tick");
    REQUIRE(adf_problem(doc).empty());
    const auto& nodes = first_block(doc)["content"];
    REQUIRE(nodes.size() == 1);
    CHECK(nodes[0]["text"] == "p95 < 1s and > 2s, <not a link>,  and a lone ` tick");
    CHECK_FALSE(nodes[0].contains("marks"));

    const auto empty = to_adf("\n \n");
    CHECK(adf_problem(empty).empty());
    CHECK(empty["content"].empty());
}

TEST_CASE("ADF: CRLF text and indented bullets") {
    const auto doc = to_adf("Top\r\n  - one\r\n  - two\r\n");
    REQUIRE(adf_problem(doc).empty());
    REQUIRE(doc["content"].size() == 2);
    CHECK(doc["content"][0]["content"][0]["text"] == "Top");
    CHECK(doc["content"][1]["content"].size() == 2);
}

TEST_CASE("wiki markup: structure and escaping") {
    const auto wiki = to_wiki(
        "GET /api/{id} is *slow* [p95]\n\n- `SELECT * FROM t` x_y|z\n- see "
        "<https://e.com/a|the trace>"
    );
    CHECK(
        wiki ==
        "GET /api/\\{id\\} is \\*slow\\* \\[p95\\]\n\n"
        "* {{SELECT \\* FROM t}} x\\_y\\|z\n"
        "* see [the trace|https://e.com/a]"
    );
}

TEST_CASE("wiki markup: links, dashes, backslashes and line starts") {
    CHECK(to_wiki("<https://e.com/a b|x>") == "<https://e.com/a b\\|x>");  // space: not a link
    CHECK(to_wiki("<https://e.com/q?x=[1]|go>") == "[go|https://e.com/q?x=%5B1%5D]");
    CHECK(to_wiki("<https://e.com>") == "[https://e.com]");
    CHECK(to_wiki("----") == "\\-\\-\\-\\-");
    CHECK(to_wiki("C:\\temp") == "C:&#92;temp");
    CHECK(to_wiki("h1. not a heading") == "&#104;1. not a heading");
    CHECK(to_wiki("bq. not a quote") == "&#98;q. not a quote");
    CHECK(to_wiki("a\nb") == "a\nb");
}

TEST_CASE("bodies over Jira's 32,767 characters are cut with a note") {
    std::string text;
    for (int i = 0; i < 4000; ++i)
        text += "- endpoint `GET /v1/items/{id}` is slow <https://e.com/" + std::to_string(i) +
                "|trace>\n";
    SECTION("Cloud: the serialised ADF fits") {
        const auto body = render_body(text, JiraFlavor::cloud);
        const auto size = dump_json(body).size();
        CHECK(size <= kMaxBodyChars);
        CHECK(size > kMaxBodyChars / 2);  // cut, not emptied
        CHECK(adf_problem(body).empty());
        CHECK(dump_json(body).find("Jira allows 32,767 characters") != std::string::npos);
    }
    SECTION("Data Center: the wiki string fits") {
        const auto body = render_body(text, JiraFlavor::datacenter);
        REQUIRE(body.is_string());
        const auto& wiki = body.get_ref<const std::string&>();
        CHECK(wiki.size() <= kMaxBodyChars);
        CHECK(wiki.size() > kMaxBodyChars / 2);
        CHECK(wiki.find("Jira allows 32,767 characters") != std::string::npos);
    }
    SECTION("short text is left alone") {
        CHECK(render_body("short", JiraFlavor::datacenter) == "short");
        CHECK(render_body("short", JiraFlavor::cloud) == to_adf("short"));
    }
}

TEST_CASE("UTF-8 is never split and invalid bytes do not throw") {
    CHECK(utf8_prefix("abé", 3) == "ab");  // é is two bytes
    CHECK(utf8_prefix("abé", 4) == "abé");
    CHECK(utf8_prefix("ab", 10) == "ab");
    const auto doc = to_adf(std::string("bad \xff byte"));
    CHECK_NOTHROW(dump_json(doc));
    CHECK(dump_json(doc).find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
}

TEST_CASE("the fake's ADF check refuses what Jira refuses") {
    CHECK_FALSE(adf_problem(json{{"type", "doc"}, {"version", 2}, {"content", json::array()}}
    ).empty());
    CHECK_FALSE(adf_problem(json("plain string")).empty());
    const auto empty_text = json::parse(
        R"({"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":""}]}]})"
    );
    CHECK_FALSE(adf_problem(empty_text).empty());
    const auto unknown =
        json::parse(R"({"type":"doc","version":1,"content":[{"type":"marquee"}]})");
    CHECK_FALSE(adf_problem(unknown).empty());
    const auto bad_list = json::parse(
        R"({"type":"doc","version":1,"content":[{"type":"bulletList","content":[{"type":"paragraph"}]}]})"
    );
    CHECK_FALSE(adf_problem(bad_list).empty());
}

TEST_CASE("the fake's JQL subset") {
    const auto q =
        parse_jql(R"(project = "OPS" AND labels = "a\"b\\c" and statusCategory != Done)");
    REQUIRE(q.error.empty());
    REQUIRE(q.clauses.size() == 3);
    CHECK(q.clauses[1].value == "a\"b\\c");
    CHECK(q.clauses[2].field == "statuscategory");
    CHECK(q.clauses[2].negated);
    CHECK_FALSE(parse_jql(R"(project = OPS OR labels = x)").error.empty());
    CHECK_FALSE(parse_jql(R"(labels = "x" ) OR (project = Y)").error.empty());
    CHECK_FALSE(parse_jql(R"(labels = "unterminated)").error.empty());
    CHECK_FALSE(parse_jql("").error.empty());
}

}  // namespace jira_adf_test
