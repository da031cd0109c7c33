// A request against a typical one of its endpoint: calls only here, missing here, N× more, time
// per operation adding up to the difference; the changes around it (deployments, versions); how
// suspects and the outputs use them; bad input (other endpoints, failed or unrelated typical
// requests, thousands of deployments, hostile versions).
#include "nra/analysis/typical.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "nra/analysis/summary.hpp"
#include "nra/render/render.hpp"
#include "support/trace_builder.hpp"

namespace typical_test {

using namespace nra;
using nra::test::TraceBuilder;

namespace {

constexpr std::int64_t kMs = 1000;

// GET /orders in api: a cache lookup, then `selects` item queries of `select_ms` each, in a row.
TraceTree orders(
    std::string id, int selects, std::int64_t select_ms, bool cache, std::string version = "1.0"
) {
    TraceBuilder b(std::move(id));
    std::int64_t t = 1;
    const std::int64_t end = 2 + (cache ? 5 : 0) + selects * select_ms + 1;
    Span& root = b.add("r", "", "api", "GET /orders", 0, end * kMs);
    root.kind = SpanKind::server;
    root.attributes.emplace_back(b.intern("service.version"), b.intern(version));
    if (cache) {
        Span& c = b.add("c", "r", "api", "GET cache", t * kMs, 5 * kMs);
        c.kind = SpanKind::client;
        c.category = SpanCategory::datastore;
        c.db_system = b.intern("redis");
        t += 5;
    }
    for (int i = 0; i < selects; ++i) {
        const std::string span_id = "s" + std::to_string(i);
        Span& s = b.add(span_id, "r", "api", "SELECT items", t * kMs, select_ms * kMs);
        s.category = SpanCategory::datastore;
        s.db_system = b.intern("postgresql");
        s.db_statement = b.intern("SELECT * FROM items WHERE order_id = " + std::to_string(i));
        t += select_ms;
    }
    return assemble(b.build());
}

double sum_of(const TypicalComparison& t) {
    double sum = t.other_ms;
    for (const auto& d : t.diff) sum += d.delta_ms;
    return sum;
}

const TypicalDiff* find(const TypicalComparison& t, TypicalDiff::Kind kind) {
    for (const auto& d : t.diff) {
        if (d.kind == kind) return &d;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("typical: more calls and a missing cache call, parts adding up to the difference") {
    const auto here = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 40, 10, false);
    const auto typical = orders("bbbb0000bbbb0000bbbb0000bbbb0000", 4, 10, true);
    const auto t = compare_with_typical(here, typical, "bbbb0000bbbb0000bbbb0000bbbb0000");
    CHECK(t.duration_ms == Approx(48));
    CHECK(t.difference_ms == Approx(403 - 48));
    CHECK(sum_of(t) == Approx(t.difference_ms).margin(1e-6));
    const auto* more = find(t, TypicalDiff::Kind::more);
    REQUIRE(more != nullptr);
    CHECK(more->operation == "SELECT items");  // statements with other literals: one operation
    CHECK(more->count == 40);
    CHECK(more->typical_count == 4);
    CHECK(more->delta_ms == Approx(360));
    const auto* missing = find(t, TypicalDiff::Kind::missing);
    REQUIRE(missing != nullptr);
    CHECK(missing->operation == "GET cache");
    CHECK(missing->caller == "api");
    CHECK(missing->top);
    CHECK(t.similar_shape);
}

TEST_CASE("typical: the same request twice has nothing to say") {
    const auto a = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 4, 10, true);
    const auto b = orders("bbbb0000bbbb0000bbbb0000bbbb0000", 4, 10, true);
    const auto t = compare_with_typical(a, b, "bbbb");
    CHECK(t.diff.empty());
    CHECK(t.difference_ms == Approx(0));
}

TEST_CASE("typical: a request of another shape entirely is compared by duration only") {
    const auto here = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 3, 10, false);
    TraceBuilder b("cccc0000cccc0000cccc0000cccc0000");
    b.add("r", "", "api", "GET /orders", 0, 90 * kMs);
    b.add("x", "r", "billing", "charge", 1 * kMs, 50 * kMs);
    b.add("y", "r", "mailer", "send", 60 * kMs, 20 * kMs);
    const auto other = assemble(b.build());
    Summary summary = summarize(here);
    apply_comparison(summary, here, &other, {});
    REQUIRE(summary.typical);
    CHECK_FALSE(summary.typical->similar_shape);
    for (const auto& s : summary.suspects) CHECK(s.kind != SuspectKind::structure);
    const auto lead = nlohmann::json::parse(render_json(summary))["typical"];
    CHECK_FALSE(lead["similar_shape"].get<bool>());
    std::string text = render_text(summary, {});
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n')) {
        const auto next = text.find_first_not_of(' ', at + 1);
        text.replace(at, (next == std::string::npos ? text.size() : next) - at, " ");
    }
    CHECK(text.find("share under half their operations") != std::string::npos);
}

TEST_CASE("typical: a candidate that failed, of another endpoint or this request does not serve") {
    const auto here = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 3, 10, false);
    CHECK(unfit_as_typical(here, orders("bbbb0000bbbb0000bbbb0000bbbb0000", 3, 10, true)).empty());
    CHECK_FALSE(unfit_as_typical(here, here).empty());
    TraceBuilder failed("dddd0000dddd0000dddd0000dddd0000");
    failed.add("r", "", "api", "GET /orders", 0, 10 * kMs).error = true;
    CHECK(unfit_as_typical(here, assemble(failed.build())) == "it failed too");
    TraceBuilder other("eeee0000eeee0000eeee0000eeee0000");
    other.add("r", "", "api", "POST /orders", 0, 10 * kMs);
    CHECK(unfit_as_typical(here, assemble(other.build())) == "its entry point is another endpoint");
    TraceBuilder empty("ffff0000ffff0000ffff0000ffff0000");
    CHECK_FALSE(unfit_as_typical(here, assemble(empty.build())).empty());
}

TEST_CASE("typical: a call no longer made names the caller as a structure suspect") {
    const auto here = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 4, 10, false);
    const auto typical = orders("bbbb0000bbbb0000bbbb0000bbbb0000", 4, 10, true);
    Summary summary = summarize(here);
    apply_comparison(summary, here, &typical, {});
    REQUIRE_FALSE(summary.suspects.empty());
    CHECK(summary.suspects.front().service == "api");
    CHECK(summary.suspects.front().kind == SuspectKind::structure);
    CHECK(summary.suspects.front().evidence.front().text.find("`GET cache`") != std::string::npos);
}

TEST_CASE("changes: thousands of deployments, newest three per service of this request") {
    const auto here = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 2, 10, false, "2.0");
    const std::int64_t start_ms = TraceBuilder::kBase / 1000;
    std::vector<DeploymentEvent> events;
    for (int i = 0; i < 5000; ++i) {
        events.push_back(
            {"api", start_ms - i * 60'000, i % 2 ? "" : "v" + std::to_string(i), "d", "", ""}
        );
        events.push_back({"elsewhere", start_ms - i * 60'000, "x", "", "", ""});
    }
    events.push_back({"api", start_ms + 3'600'000, "future", "", "", ""});  // after the request
    const auto changes = judge_changes(events, here, nullptr);
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].version == "v0");
    CHECK(changes[1].version.empty());  // a deployment without a version is still a deployment
    CHECK(changes[1].at_ms == start_ms - 60'000);
    for (const auto& c : changes) CHECK(c.service == "api");
}

TEST_CASE("changes: a version unlike the typical request's, escaped wherever it is shown") {
    const auto here = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 2, 10, true, "<!channel> `9`");
    const auto typical = orders("bbbb0000bbbb0000bbbb0000bbbb0000", 2, 10, true, "1.0");
    Summary summary = summarize(here);
    apply_comparison(summary, here, &typical, {});
    REQUIRE(summary.changes.size() == 1);
    CHECK(summary.changes[0].kind == "version");
    CHECK(summary.changes[0].previous_version == "1.0");
    const auto json = nlohmann::json::parse(render_json(summary));
    CHECK(json["changes"][0]["previous_version"] == "1.0");
    CHECK(json["typical"]["trace_id"] == "bbbb0000bbbb0000bbbb0000bbbb0000");
    const auto blocks = render_blocks_detail(summary, {}).blocks.dump();
    CHECK(blocks.find("<!channel>") == std::string::npos);
    CHECK(blocks.find("Changes") != std::string::npos);
}

TEST_CASE("typical: JSON diff lists every part with its counts, null without a comparison") {
    const auto here = orders("aaaa0000aaaa0000aaaa0000aaaa0000", 10, 10, false);
    Summary plain = summarize(here);
    auto json = nlohmann::json::parse(render_json(plain));
    CHECK(json["typical"].is_null());
    CHECK(json["changes"].empty());
    const auto typical = orders("bbbb0000bbbb0000bbbb0000bbbb0000", 2, 10, true);
    apply_comparison(plain, here, &typical, {});
    json = nlohmann::json::parse(render_json(plain));
    CHECK(json["typical"]["duration_ms"] == Approx(28));
    double sum = json["typical"]["other_ms"].get<double>();
    for (const auto& d : json["typical"]["diff"]) sum += d["delta_ms"].get<double>();
    CHECK(sum == Approx(json["typical"]["difference_ms"].get<double>()).margin(0.01));
    const auto text = render_text(plain, {});
    CHECK(text.find("Compared with a typical `GET /orders`") != std::string::npos);
    CHECK(text.find("8 more `SELECT items`") != std::string::npos);
}

TEST_CASE("typical: calls a failure cut short are its consequence, not a structure suspect") {
    TraceBuilder here_b("aaaa1111aaaa1111aaaa1111aaaa1111");
    here_b.add("r", "", "api", "GET /orders", 0, 20 * kMs).error = true;
    Span& call = here_b.add("c", "r", "api", "GET stock", 1 * kMs, 2 * kMs);
    call.kind = SpanKind::client;
    call.error = true;
    const auto here = assemble(here_b.build());
    TraceBuilder typical_b("bbbb1111bbbb1111bbbb1111bbbb1111");
    typical_b.add("r", "", "api", "GET /orders", 0, 40 * kMs);
    typical_b.add("c", "r", "api", "GET stock", 1 * kMs, 30 * kMs).kind = SpanKind::client;
    typical_b.add("s", "c", "stock", "GET /stock", 2 * kMs, 28 * kMs).kind = SpanKind::server;
    const auto typical = assemble(typical_b.build());
    const auto t = compare_with_typical(here, typical, "bbbb1111bbbb1111bbbb1111bbbb1111");
    const auto* missing = find(t, TypicalDiff::Kind::missing);
    REQUIRE(missing != nullptr);
    CHECK(missing->service == "stock");
    CHECK(missing->after_failure);
    Summary summary = summarize(here);
    apply_comparison(summary, here, &typical, {});
    for (const auto& s : summary.suspects) CHECK(s.kind != SuspectKind::structure);
}

}  // namespace typical_test
