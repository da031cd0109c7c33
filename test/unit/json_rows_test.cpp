// The Summary JSON's long arrays are written by hand (src/core/render/json_rows.hpp): every string
// and number must come out exactly as nlohmann's dump writes it, whatever the trace holds.
#include "core/render/json_rows.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace json_rows_test {

namespace {

using Json = nlohmann::ordered_json;

std::string nlohmann_text(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ours_string(const std::string& text) {
    std::string out;
    nra::render_detail::append_json_string(out, text);
    return out;
}

std::string ours_number(double value) {
    std::string out;
    nra::render_detail::append_json_number(out, value);
    return out;
}

}  // namespace

TEST_CASE("strings are escaped exactly as nlohmann escapes them") {
    std::vector<std::string> texts = {
        "",
        "plain",
        "quote \" and backslash \\ and slash /",
        "tab\tnew\nline\rreturn\bback\fform",
        std::string("nul \0 and \x01\x1f\x7f", 11),
        "UTF-8: é 漢字 🚀",
        "bad UTF-8: \xff\xfe end",
        "truncated \xe6\xbc",
        "overlong \xc0\xaf and surrogate \xed\xa0\x80",
        "<@U123> & *bold* `code`",
    };
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {  // random bytes, valid UTF-8 or not
        std::string text(static_cast<std::size_t>(rng() % 24), ' ');
        for (char& c : text) c = static_cast<char>(rng() % 256);
        texts.push_back(text);
    }
    for (const auto& text : texts) {
        INFO(text);
        CHECK(ours_string(text) == nlohmann_text(Json(text)));
    }
}

TEST_CASE("numbers are written exactly as nlohmann writes a double") {
    std::vector<double> values = {
        0.0,
        -0.0,
        1.0,
        3.0,
        0.001,
        0.5,
        12.345,
        1e-4,
        1e-5,
        123456.789,
        999999999999999.0,
        1e15,
        1e16,
        1152921504606000.0,
        1.152921504606846e+15,
        1e21,
        1e300,
        -42.25,
        std::numeric_limits<double>::min(),
        std::numeric_limits<double>::max(),
        std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity(),
    };
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> ms(0, 1e7);
    for (int i = 0; i < 2000; ++i) {  // milliseconds as the JSON rounds them
        values.push_back(std::round(ms(rng) * 1000.0) / 1000.0);
    }
    for (const double v : values) {
        INFO(v);
        CHECK(ours_number(v) == nlohmann_text(Json(v)));
    }
}

TEST_CASE("an array of objects is laid out as nlohmann's dump(2) lays out a top-level member") {
    Json doc;
    doc["rows"] = Json::array();
    doc["rows"].push_back(Json{{"id", "a\"b"}, {"ms", 1.5}, {"n", 3}, {"nested", Json{{"k", 1}}}});
    doc["rows"].push_back(Json{{"none", nullptr}});
    doc["rows"].push_back(Json{{"id", "c"}, {"ms", 2.0}, {"n", -1}});
    doc["empty"] = Json::array();
    const std::string expected = doc.dump(2);

    std::string ours = "{\n  \"rows\": ";
    nra::render_detail::PrettyArray rows(ours);
    nra::render_detail::PrettyObject first(rows.next());
    first.text("id", "a\"b").number("ms", 1.5).integer("n", 3);
    first.object("nested").integer("k", 1).close();
    first.close();
    nra::render_detail::PrettyObject(rows.next(), 2).null("none").close();
    nra::render_detail::PrettyObject(rows.next())
        .text("id", "c")
        .number("ms", 2.0)
        .integer("n", -1)
        .close();
    rows.close();
    ours += ",\n  \"empty\": ";
    nra::render_detail::PrettyArray(ours).close();
    ours += "\n}";
    CHECK(ours == expected);
}

}  // namespace json_rows_test
