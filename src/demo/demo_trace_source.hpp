// The embedded demo dataset as a TraceSource: the default when no New Relic key is configured,
// so the bot and the CLI work with no account.
#pragma once

#include "nra/ports/trace_source.hpp"

namespace nra {

class DemoTraceSource final : public TraceSource {
public:
    boost::asio::awaitable<FetchResult> fetch(TraceQuery query, ProgressFn progress) override;
};

}  // namespace nra
