// TraceSource port: where the spans of one trace come from (New Relic NerdGraph, the embedded
// demo dataset, a file). Returns the assembled tree, so callers summarize without re-reading.
// Expected outcomes (not found, key rejected, rate limited) are values; only bugs throw.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nra/assemble/assemble.hpp"

namespace nra {

struct TraceQuery {
    std::string trace_id;                 // validated lower-case hex (see trace_argument.hpp)
    std::vector<std::string> alternates;  // also asked for (16-hex suffix of a padded id)
};

enum class FetchStatus {
    found,         // tree is set (possibly incomplete: see tree->report and notes)
    not_found,     // no span with this id in the searched window and accounts
    rejected_key,  // the API key was refused (401/403/BAD_API_KEY)
    rate_limited,  // 429 / TOO_MANY_REQUESTS after every retry within the budget
    timed_out,     // the query kept timing out after every retry within the budget
    unavailable,   // network, TLS, 5xx or unreadable answers after the retries
    too_large,     // more spans than this process may hold in memory (its span budget)
    failed,        // anything else (e.g. New Relic refused the query): a bug to report
};

inline std::string_view to_string(FetchStatus status) {
    switch (status) {
        case FetchStatus::found:
            return "found";
        case FetchStatus::not_found:
            return "not_found";
        case FetchStatus::rejected_key:
            return "rejected_key";
        case FetchStatus::rate_limited:
            return "rate_limited";
        case FetchStatus::timed_out:
            return "timed_out";
        case FetchStatus::unavailable:
            return "unavailable";
        case FetchStatus::too_large:
            return "too_large";
        case FetchStatus::failed:
            break;
    }
    return "failed";
}

struct FetchProgress {
    std::size_t fetched = 0;   // span rows received so far
    std::size_t expected = 0;  // total announced by the count query; 0 = unknown
    std::string waiting;       // set while waiting to ask again, e.g. for late spans
};
using ProgressFn = std::function<void(const FetchProgress&)>;

struct FetchResult {
    // The memory this trace holds in the process (a span budget lease), if the source keeps one.
    // First member, so it is given back after the tree below is freed.
    std::shared_ptr<const void> hold;
    FetchStatus status = FetchStatus::failed;
    std::string message;             // one line for the user when status != found; no secrets
    std::optional<TraceTree> tree;   // set when found
    std::vector<std::string> notes;  // how it was fetched: pages, re-queries, what is missing
};

class TraceSource {
public:
    virtual ~TraceSource() = default;
    virtual boost::asio::awaitable<FetchResult> fetch(TraceQuery query, ProgressFn progress) = 0;
};

}  // namespace nra
