// Summary JSON: the PRODUCT.md contract (names, types, order), extras, determinism.
#include <catch2/catch.hpp>
#include <limits>
#include <nlohmann/json.hpp>

#include "nra/render/render.hpp"
#include "unit/render_samples.hpp"

namespace render_json_test {

using nlohmann::json;
using namespace nra;

TEST_CASE("Summary JSON carries every contract field with its value", "[unit][render]") {
    const Summary s = test::small_summary();
    const json j = json::parse(render_json(s));

    CHECK(j.at("trace_id") == "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(j.at("complete") == true);
    CHECK(j.at("span_count") == 312);
    CHECK(j.at("service_count") == 4);
    CHECK(j.at("duration_ms") == 1450.0);
    CHECK(
        j.at("root") ==
        json{
            {"span_id", "a1"},
            {"service", "frontend"},
            {"name", "GET /checkout"},
            {"duration_ms", 1450.0}}
    );

    const auto& services = j.at("services");
    REQUIRE(services.size() == 4);
    CHECK(services[0].at("service") == "order-service");
    CHECK(services[0].at("span_count") == 120);
    CHECK(services[0].at("self_ms").get<double>() == 820.123);  // rounded to µs
    CHECK(services[1].at("error_count") == 1);
    CHECK(services[3].at("service") == "frontend");  // order preserved

    const auto& path = j.at("critical_path");
    REQUIRE(path.size() == 6);
    CHECK(path[2].at("span_id") == "c3");
    CHECK(path[2].at("start_ms") == 312.5);
    CHECK(path[2].at("duration_ms") == 700.0);
    CHECK(path[2].at("depth") == 2);

    const auto& slow = j.at("slow_spans");
    REQUIRE(slow.size() == 2);
    CHECK(slow[0].at("self_ms") == 650.0);
    CHECK(slow[0].at("duration_ms") == 700.0);
    CHECK(slow[0].at("name") == "SELECT items");
}

TEST_CASE("Summary JSON errors and findings keep order and add the extras", "[unit][render]") {
    const json j = json::parse(render_json(test::small_summary()));
    const auto& errors = j.at("errors");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].at("span_id") == "d4");
    CHECK(errors[0].at("message") == "card declined");
    CHECK(errors[0].at("error_class") == "CardDeclined");
    CHECK(errors[0].at("http_status") == 402);
    CHECK(errors[0].at("origin") == true);
    CHECK(errors[1].at("origin") == false);

    const auto& findings = j.at("findings");
    REQUIRE(findings.size() == 4);
    const auto& f = findings[0];
    CHECK(f.at("kind") == "n_plus_one_db");
    CHECK(f.at("service") == "order-service");
    CHECK(f.at("summary") == "48 identical SELECTs under GET /cart: N+1");
    CHECK(f.at("span_ids") == json::array({"c3", "c4"}));
    CHECK(f.at("count") == 48);
    CHECK(f.at("total_ms") == 520.0);
    CHECK(f.at("saving_ms") == 410.0);
    CHECK(f.at("statement") == "SELECT * FROM items WHERE id = ?");
    CHECK(f.at("location") == "CartRepository.load (cart.py:42)");
    CHECK(findings[1].at("kind") == "sequential_calls");
    CHECK(findings[3].at("kind") == "uninstrumented_gap");

    CHECK(j.at("request") == "GET /checkout");
    CHECK(
        j.at("path") == json::array({"frontend", "checkout", "order-service", "payment-service"})
    );
    CHECK(j.at("operations")[0].at("count") == 48);
    CHECK(j.at("assembly").at("orphans") == 0);
    CHECK(j.at("assembly").at("complete") == true);
    CHECK(j.at("notes") == json::array({"1 span re-keyed (duplicate id)"}));
    CHECK(j.at("start_us") == 1'700'000'000'000'000);
    CHECK_FALSE(j.contains("link"));
}

TEST_CASE(
    "Summary JSON is pretty-printed, contract keys first, and deterministic", "[unit][render]"
) {
    const Summary s = test::small_summary();
    const std::string out = render_json(s);
    CHECK(out == render_json(s));
    CHECK(out.rfind("{\n  \"trace_id\": ", 0) == 0);
    CHECK(out.find("\n    \"span_id\": \"a1\"") != std::string::npos);  // 2-space nesting
    const std::vector<std::string> keys = {
        "\"trace_id\"",
        "\"complete\"",
        "\"span_count\"",
        "\"service_count\"",
        "\"duration_ms\"",
        "\"root\"",
        "\"services\"",
        "\"critical_path\"",
        "\"slow_spans\"",
        "\"errors\"",
        "\"findings\""};
    std::size_t last = 0;
    for (const auto& key : keys) {
        const std::size_t at = out.find("\n  " + key);
        INFO(key);
        REQUIRE(at != std::string::npos);
        CHECK(at >= last);
        last = at;
    }
}

TEST_CASE("Summary JSON: link, unknown HTTP status, incomplete notes", "[unit][render]") {
    Summary s = test::small_summary();
    s.errors[1].http_status = 0;
    s.complete = false;
    s.assembly.orphans = 3;
    s.assembly.notes = {"3 orphan spans attached to the root", "1 span re-keyed (duplicate id)"};
    RenderOptions options;
    options.trace_link = "https://one.newrelic.com/trace?id=1&x=2";
    const json j = json::parse(render_json(s, options));
    CHECK(j.at("link") == "https://one.newrelic.com/trace?id=1&x=2");
    CHECK(j.at("errors")[1].at("http_status").is_null());
    CHECK(j.at("complete") == false);
    CHECK(j.at("assembly").at("complete") == false);
    CHECK(j.at("assembly").at("orphans") == 3);
    const auto& notes = j.at("notes");
    REQUIRE(notes.size() == 3);  // incomplete sentence + 2 distinct notes (duplicate dropped)
    CHECK(notes[0].get<std::string>().rfind("Incomplete trace", 0) == 0);
    CHECK(notes[1] == "1 span re-keyed (duplicate id)");
    CHECK(notes[2] == "3 orphan spans attached to the root");
}

TEST_CASE("Summary JSON lists the folded path rows as an extra", "[unit][render]") {
    const json j = json::parse(render_json(test::folded_summary()));
    CHECK(j.at("critical_path").size() == 6);  // the contract array is untouched
    const auto& rows = j.at("path_rows");
    REQUIRE(rows.size() == 4);
    CHECK(rows[2].at("count") == 48);
    CHECK(rows[2].at("span_id") == "c3");
    CHECK(rows[2].at("depth") == 2);
    CHECK(rows[2].at("duration_ms") == 700.0);
    CHECK(json::parse(render_json(test::small_summary())).at("path_rows").empty());
}

TEST_CASE("Summary JSON of an empty trace is valid with empty arrays", "[unit][render]") {
    const json j = json::parse(render_json(test::empty_summary()));
    CHECK(j.at("span_count") == 0);
    CHECK(j.at("complete") == false);
    CHECK(j.at("assembly").at("missing_root") == true);
    for (const char* key : {"services", "critical_path", "slow_spans", "errors", "findings"}) {
        INFO(key);
        CHECK(j.at(key).is_array());
        CHECK(j.at(key).empty());
    }
    CHECK(j.at("root").at("span_id") == "");
}

TEST_CASE("Summary JSON survives hostile and enormous input", "[unit][render]") {
    Summary s = test::enormous_summary();
    for (std::size_t i = 10; i < s.findings.size(); ++i) {  // 500 findings, 10 of them huge
        auto& f = s.findings[i];
        f.service = f.summary = f.statement = f.suggestion = f.location = "F<&>é😀\n";
    }
    s.notes.resize(10);
    s.findings[1].service = "bad\xff\xfe utf8";
    s.duration_ms = std::numeric_limits<double>::quiet_NaN();
    std::string out;
    REQUIRE_NOTHROW(out = render_json(s));
    const json j = json::parse(out);
    CHECK(j.at("findings").size() == 500);
    CHECK(j.at("critical_path").size() == 5000);
    CHECK(j.at("findings")[0].at("service") == s.findings[0].service);  // raw text round-trips
    CHECK(j.at("findings")[1].at("service") == "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8");
    CHECK(j.at("duration_ms") == 0.0);
    CHECK(j.at("critical_path")[4999].at("start_ms") == Approx(1449.71).margin(1e-9));
}

}  // namespace render_json_test
