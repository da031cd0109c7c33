// The On-Demand reader of plain New Relic rows (newrelic_on_demand.cpp) against the DOM readers:
// every fixture, the demo traces and hand-made edge cases must read to the same Trace (every span
// field, attribute, warning and error), and New Relic's pages read one by one (read_row_pages) to
// the Trace of the pages joined into one array.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "nra/formats/formats.hpp"

namespace formats_on_demand_test {

namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Everything a read produced, as text: a difference anywhere shows in the comparison.
std::string dump(const nra::Result<nra::Trace>& read) {
    if (!read) return "error: " + read.error();
    std::ostringstream out;
    const auto& t = *read;
    out << "trace " << t.trace_id << "\n";
    for (const auto& w : t.warnings) out << "warning " << w << "\n";
    for (const auto& s : t.spans) {
        out << s.span_id << "|" << s.parent_id << "|" << s.trace_id << "|" << s.name << "|"
            << s.service << "|" << s.host << "|" << static_cast<int>(s.kind) << "|"
            << static_cast<int>(s.category) << "|" << s.follows_from << s.shared << s.synthetic
            << "|" << s.start_us << "|" << s.duration_us << "|" << s.error << "|" << s.error_message
            << "|" << s.error_class << "|" << s.http_status << "|" << s.db_system << "|"
            << s.db_statement << "|" << s.http_method << "|" << s.http_url << "|" << s.http_route
            << "|" << s.peer_host << "|" << s.code_function << "|" << s.code_filepath << "|"
            << s.code_lineno << "|" << s.messaging_destination;
        for (const auto& [k, v] : s.attributes) out << "|" << k << "=" << v;
        out << "\n";
    }
    return out.str();
}

nra::ReadOptions dom_only() {
    nra::ReadOptions options;
    options.on_demand = false;
    return options;
}

void check_same_both_ways(const std::string& json) {
    const auto fast = dump(nra::read_trace(json));
    CHECK(fast == dump(nra::read_trace(json, dom_only())));
    CHECK(fast == dump(nra::read_trace(nra::PaddedJson(json))));
}

std::string row(const std::string& id, const std::string& parent, const std::string& extra = {}) {
    return R"({"trace.id":"abc","guid":")" + id + R"(","parent.id":)" +
           (parent.empty() ? "null" : "\"" + parent + "\"") +
           R"(,"timestamp":1700000000000,"duration.ms":1.5,"name":"op )" + id +
           R"(","entity.name":"svc")" + extra + "}";
}

}  // namespace

TEST_CASE("every fixture and demo trace reads the same through On-Demand and the DOM") {
    std::vector<fs::path> files;
    for (const auto* dir : {NRA_FIXTURES_DIR, NRA_SOURCE_DIR "/demo/traces"}) {
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            const auto ext = entry.path().extension();
            if (entry.is_regular_file() && (ext == ".json" || ext == ".jsonl" || ext.empty())) {
                files.push_back(entry.path());
            }
        }
    }
    REQUIRE(files.size() > 40);
    for (const auto& file : files) {
        INFO(file.string());
        check_same_both_ways(read_all(file));
    }
}

TEST_CASE("edge cases of New Relic rows read the same through On-Demand and the DOM") {
    const std::string a = row("a", "");
    const std::vector<std::string> docs = {
        "[" + a + "," + row("b", "a") + "]",
        R"({"data":{"actor":{"account":{"nrql":{"results":[)" + a + "]}}}}}",
        R"({"data":{"actor":{"nrql":{"results":[)" + a + "]}}}}",
        R"({"data":{"actor":{"account":{"nrql":{"results":[]}}}}})",  // empty: the DOM's note
        R"({"data":{"actor":{"account":{"nrql":{"results":[)" + a + "]}}}},\"errors\":[]}",
        R"({"data":{"actor":{"account":{"nrql":{"results":[)" + a + "]}}}}} trailing",
        "[" + a + ",17,\"text\",null," + row("b", "a") + "]",  // rows that are not objects
        "[" + row("a", "", R"(,"tags":["x",1.50,{"k":"\u00e9"}],"obj":{"n":1e2})") + "]",
        "[" + row("a", "", R"(,"db.statement":"SELECT \"x\" FROM t\n","path":"a\/b")") + "]",
        "[" + row("a", "", R"(,"big":123456789012345678901234567890)") + "]",
        "[" + row("a", "", R"(,"neg":-0,"u":18446744073709551615,"i":-9223372036854775808)") + "]",
        "[" + row("a", "", R"(,"t":true,"f":false,"n":null,"e":"")") + "]",
        "[" + row("a", "", R"(,"k\u00e9y":"v","dup":1,"dup":2)") + "]",
        "[" + row("a", "", R"(,"bad":tru)") + "]",
        "[" + row("a", "", ",") + "]",
        "[" + a + ",]",
        R"([{"traceId":"1","id":"2","timestamp":1700000000000000,"duration":5}])",  // Zipkin
        R"([{"spanID":"1","trace.id":"x"}])",  // Jaeger's key wins
        "[" + row("A", "", R"(,"trace.id":"ABC")") + "," + row("b", "a", R"(,"trace.id":"other")") +
            "]",  // two traces: the note names the other
        "[" + row("a", "", R"(,"error.message":"boom","http.statusCode":"503")") + "]",
        "\xEF\xBB\xBF[" + a + "]",
        "  [" + a + "]  \n",
    };
    for (const auto& doc : docs) {
        INFO(doc);
        check_same_both_ways(doc);
    }
}

TEST_CASE("pages read one by one give the Trace of the pages joined") {
    const std::vector<std::string> pages = {
        "[" + row("a", "") + "," + row("b", "a") + "]",
        "[]",
        "[" + row("c", "b", R"(,"tags":[1,2])") + ",42," + row("b", "a") + "]",
    };
    const std::string joined = "[" + row("a", "") + "," + row("b", "a") + "," +
                               row("c", "b", R"(,"tags":[1,2])") + ",42," + row("b", "a") + "]";
    CHECK(dump(nra::read_row_pages(pages)) == dump(nra::read_trace(joined, dom_only())));

    SECTION("no rows at all") {
        CHECK(
            dump(nra::read_row_pages({"[]", " [ ] "})) ==
            "error: no spans found: the input is an empty array"
        );
        CHECK(dump(nra::read_row_pages({})) == dump(nra::read_trace("[]")));
    }
    SECTION("a damaged page is an error, not a shorter trace") {
        const auto read = nra::read_row_pages({"[" + row("a", "") + "]", "[{\"guid\":"});
        REQUIRE_FALSE(read);
        CHECK(read.error().find("invalid JSON") == 0);
        CHECK_FALSE(nra::read_row_pages({R"({"rows":[]})"}));
    }
    SECTION("the span limit holds across pages") {
        nra::ReadOptions options;
        options.max_spans = 2;
        const auto read = nra::read_row_pages(pages, options);
        REQUIRE_FALSE(read);
        CHECK(read.error() == nra::read_trace(joined, options).error());
    }
}

}  // namespace formats_on_demand_test
