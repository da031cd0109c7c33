#include "support/fake_nerdgraph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace nra::test {

struct FakeNerdGraph::State {
    mutable std::mutex mutex;
    std::map<std::int64_t, std::vector<nlohmann::json>> rows;  // by account
    std::size_t row_limit = 5000;
    bool gzip = false;
    std::deque<NerdGraphFault> faults;
    std::function<void(FakeNerdGraph&, std::size_t)> hook;
    std::vector<std::string> nrql;
    std::vector<nlohmann::json> variables;
    std::size_t rows_queries = 0;
};

namespace {

const char* const kSingle =
    "query($accountId: Int!, $nrql: Nrql!, $timeout: Seconds) { actor { account(id: $accountId) "
    "{ nrql(query: $nrql, timeout: $timeout) { results } } } }";
const char* const kCross =
    "query($accounts: [Int!]!, $nrql: Nrql!, $timeout: Seconds) { actor { nrql(accounts: "
    "$accounts, query: $nrql, timeout: $timeout) { results } } }";

FakeReply json_reply(const nlohmann::json& body, int status = 200) {
    FakeReply r;
    r.status = status;
    r.body = body.dump();
    return r;
}

constexpr std::size_t kMaxCrossAccounts = 5;

FakeReply graphql_error(
    const std::string& message, const std::string& error_class, const std::string& code = {}
) {
    nlohmann::json ext = nlohmann::json::object();
    if (!error_class.empty()) ext["errorClass"] = error_class;
    if (!code.empty()) ext["error_code"] = code;
    return json_reply({{"data", nullptr}, {"errors", {{{"message", message}, {"extensions", ext}}}}}
    );
}

// The NerdGraph envelope of one nrql answer: account-scoped or cross-account.
FakeReply results_reply(nlohmann::json results, bool cross, bool gzip) {
    nlohmann::json nrql_result{{"results", std::move(results)}};
    nlohmann::json data = cross ? nlohmann::json{{"actor", {{"nrql", nrql_result}}}}
                                : nlohmann::json{{"actor", {{"account", {{"nrql", nrql_result}}}}}};
    FakeReply reply = json_reply({{"data", data}});
    reply.gzip = gzip;
    return reply;
}

// The parsed NRQL of one of our trace queries.
struct Query {
    bool stats = false;
    std::set<std::string> ids;
    std::optional<std::int64_t> hours;
    std::int64_t from_ms = INT64_MIN;
    std::int64_t to_ms = INT64_MAX;
};

std::optional<std::set<std::string>> parse_ids(const std::string& list) {
    static const std::regex item("'([0-9a-f]{16,32})'");
    std::set<std::string> ids;
    std::string rebuilt;
    for (std::sregex_iterator it(list.begin(), list.end(), item), end; it != end; ++it) {
        ids.insert((*it)[1]);
        rebuilt += (rebuilt.empty() ? "" : ", ") + it->str();
    }
    if (ids.empty() || rebuilt != list) return std::nullopt;  // anything else smuggled in
    return ids;
}

std::optional<Query> parse_nrql(const std::string& nrql) {
    static const std::regex rows(
        R"(SELECT \* FROM Span WHERE \(trace\.id IN \(([^()]*)\) OR traceId IN \(([^()]*)\)\))"
        R"((?: AND timestamp >= (\d+) AND timestamp < (\d+))? SINCE (?:(\d+) hours ago|(\d+) )"
        R"(UNTIL (\d+)) LIMIT MAX)"
    );
    static const std::regex stats(
        R"(SELECT count\(\*\) AS 'spans', min\(timestamp\) AS 'first', max\(timestamp\) AS )"
        R"('last' FROM Span WHERE \(trace\.id IN \(([^()]*)\) OR traceId IN \(([^()]*)\)\) )"
        R"(SINCE (\d+) hours ago)"
    );
    std::smatch m;
    Query q;
    if (std::regex_match(nrql, m, rows)) {
        if (m[3].matched) {
            q.from_ms = std::stoll(m[3]);
            q.to_ms = std::stoll(m[4]);
        }
        if (m[5].matched) q.hours = std::stoll(m[5]);
    } else if (std::regex_match(nrql, m, stats)) {
        q.stats = true;
        q.hours = std::stoll(m[3]);
    } else {
        return std::nullopt;
    }
    auto a = parse_ids(m[1]);
    auto b = parse_ids(m[2]);
    if (!a || !b || *a != *b) return std::nullopt;
    q.ids = *a;
    return q;
}

std::string row_trace_id(const nlohmann::json& row) {
    for (const char* key : {"trace.id", "traceId"}) {
        if (row.contains(key) && row[key].is_string()) return row[key];
    }
    return {};
}

}  // namespace

NerdGraphFault NerdGraphFault::http(int status, std::string retry_after) {
    NerdGraphFault f;
    f.kind = Kind::http_status;
    f.status = status;
    f.retry_after = std::move(retry_after);
    return f;
}

NerdGraphFault NerdGraphFault::graphql(std::string error_class, std::string error_code) {
    NerdGraphFault f;
    f.kind = Kind::graphql_error;
    f.error_class = std::move(error_class);
    f.error_code = std::move(error_code);
    return f;
}

NerdGraphFault NerdGraphFault::of(Kind kind) {
    NerdGraphFault f;
    f.kind = kind;
    return f;
}

FakeNerdGraph::FakeNerdGraph(FakeServerOptions options)
    : state_(std::make_unique<State>()), metrics_(std::make_unique<FakeMetricsStore>()) {
    server_ = std::make_unique<FakeHttpServer>(
        [this](const FakeRequest& r) { return handle(r); }, std::move(options)
    );
}

FakeNerdGraph::~FakeNerdGraph() {
    server_.reset();  // joins the server thread before the state goes
}

std::string FakeNerdGraph::url() const {
    return server_->url("/graphql");
}

void FakeNerdGraph::add_rows(std::int64_t account, const nlohmann::json& rows) {
    const std::lock_guard lock(state_->mutex);
    auto& list = state_->rows[account];
    for (const auto& row : rows) list.push_back(row);
}

void FakeNerdGraph::set_row_limit(std::size_t limit) {
    const std::lock_guard lock(state_->mutex);
    state_->row_limit = limit;
}

void FakeNerdGraph::set_gzip(bool on) {
    const std::lock_guard lock(state_->mutex);
    state_->gzip = on;
}

void FakeNerdGraph::push_fault(NerdGraphFault fault) {
    const std::lock_guard lock(state_->mutex);
    state_->faults.push_back(std::move(fault));
}

void FakeNerdGraph::on_rows_query(std::function<void(FakeNerdGraph&, std::size_t)> hook) {
    const std::lock_guard lock(state_->mutex);
    state_->hook = std::move(hook);
}

std::vector<std::string> FakeNerdGraph::nrql_log() const {
    const std::lock_guard lock(state_->mutex);
    return state_->nrql;
}

std::vector<nlohmann::json> FakeNerdGraph::variables_log() const {
    const std::lock_guard lock(state_->mutex);
    return state_->variables;
}

std::size_t FakeNerdGraph::rows_queries() const {
    const std::lock_guard lock(state_->mutex);
    return state_->rows_queries;
}

FakeReply FakeNerdGraph::handle(const FakeRequest& request) {
    if (request.method != "POST" || request.target != "/graphql") {
        return json_reply({{"errors", {{{"message", "not found"}}}}}, 404);
    }
    if (request.header("API-Key") != kApiKey) {
        return graphql_error("Invalid API key", "", "BAD_API_KEY");
    }
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("variables") || !body["variables"].is_object()) {
        return json_reply({{"errors", {{{"message", "Bad request"}}}}}, 400);
    }
    std::optional<NerdGraphFault> fault;
    {
        const std::lock_guard lock(state_->mutex);
        const auto& nrql = body["variables"].value("nrql", nlohmann::json());
        state_->nrql.push_back(nrql.is_string() ? nrql.get<std::string>() : std::string());
        state_->variables.push_back(body["variables"]);
        auto& faults = state_->faults;
        const auto& text = state_->nrql.back();
        const auto due = std::find_if(faults.begin(), faults.end(), [&text](const auto& f) {
            return f.nrql_contains.empty() || text.find(f.nrql_contains) != std::string::npos;
        });
        if (due != faults.end()) {
            fault = *due;
            faults.erase(due);
        }
    }
    if (!fault) return answer(body);
    using Kind = NerdGraphFault::Kind;
    FakeReply reply;
    switch (fault->kind) {
        case Kind::http_status:
            reply = json_reply({{"errors", {{{"message", "fault"}}}}}, fault->status);
            if (!fault->retry_after.empty())
                reply.headers.emplace_back("Retry-After", fault->retry_after);
            return reply;
        case Kind::hang:
            reply.action = FakeReply::Action::hang;
            return reply;
        case Kind::close:
            reply.action = FakeReply::Action::close;
            return reply;
        case Kind::truncate:
            reply = answer(body);
            reply.action = FakeReply::Action::truncate_body;
            return reply;
        case Kind::malformed:
            reply.body = R"({"data": {"actor": {"account": )";
            return reply;
        case Kind::graphql_error:
            return graphql_error(
                "fault injected by the test", fault->error_class, fault->error_code
            );
        case Kind::gzip:
            reply = answer(body);
            reply.gzip = true;
            return reply;
    }
    return reply;
}

FakeReply FakeNerdGraph::answer(const nlohmann::json& body) {
    const auto& vars = body["variables"];
    const std::string doc = body.value("query", "");
    const bool cross = doc == kCross;
    if (!cross && doc != kSingle) return graphql_error("Syntax error in the GraphQL document", "");
    std::set<std::int64_t> accounts;
    if (cross && vars.contains("accounts") && vars["accounts"].is_array()) {
        for (const auto& a : vars["accounts"]) accounts.insert(a.get<std::int64_t>());
    } else if (!cross && vars.contains("accountId") && vars["accountId"].is_number_integer()) {
        accounts.insert(vars["accountId"].get<std::int64_t>());
    }
    if (accounts.size() > kMaxCrossAccounts) {
        // The schema's limit on nrql(accounts:) ("Max of 5 can be supplied").
        return graphql_error("Argument 'accounts' accepts at most 5 accounts", "INVALID_INPUT");
    }
    const auto nrql = vars.value("nrql", "");
    const auto query = parse_nrql(nrql);
    std::optional<nlohmann::json> aggregates;
    if (!query && !accounts.empty()) aggregates = metrics_->answer(accounts, nrql);
    if (accounts.empty() || (!query && !aggregates) || !vars.contains("timeout")) {
        return graphql_error("NRQL Syntax Error: Error at line 1 position 1", "");
    }
    if (aggregates) {
        const std::lock_guard lock(state_->mutex);
        return results_reply(std::move(*aggregates), cross, state_->gzip);
    }
    nlohmann::json results = nlohmann::json::array();
    std::vector<const nlohmann::json*> hits;
    std::function<void(FakeNerdGraph&, std::size_t)> hook;
    std::size_t n = 0;
    bool gzip = false;
    {
        const std::lock_guard lock(state_->mutex);
        const std::int64_t since = query->hours ? now_ms() - *query->hours * 3'600'000 : INT64_MIN;
        for (auto account : accounts) {
            for (const auto& row : state_->rows[account]) {
                const auto ts = row.value("timestamp", std::int64_t{0});
                if (query->ids.count(row_trace_id(row)) == 0 || ts < since || ts < query->from_ms ||
                    ts >= query->to_ms) {
                    continue;
                }
                hits.push_back(&row);
            }
        }
        if (query->stats) {
            nlohmann::json stat{{"spans", hits.size()}, {"first", nullptr}, {"last", nullptr}};
            if (!hits.empty()) {
                auto [lo, hi] = std::minmax_element(hits.begin(), hits.end(), [](auto* a, auto* b) {
                    return a->value("timestamp", 0LL) < b->value("timestamp", 0LL);
                });
                stat["first"] = (*lo)->value("timestamp", 0LL);
                stat["last"] = (*hi)->value("timestamp", 0LL);
            }
            results.push_back(stat);
        } else {
            std::stable_sort(hits.begin(), hits.end(), [](auto* a, auto* b) {
                return a->value("timestamp", 0LL) > b->value("timestamp", 0LL);  // newest first
            });
            if (hits.size() > state_->row_limit) hits.resize(state_->row_limit);
            for (const auto* row : hits) results.push_back(*row);
            n = ++state_->rows_queries;
            hook = state_->hook;
        }
        gzip = state_->gzip;
    }
    FakeReply reply = results_reply(std::move(results), cross, gzip);
    if (hook) hook(*this, n);
    return reply;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch()
    )
        .count();
}

}  // namespace nra::test
