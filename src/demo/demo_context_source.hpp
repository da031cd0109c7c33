// The embedded demo dataset's incident context as a ContextSource, so logs and blast radius show
// with no account: log lines of the demo traces (the failing `POST /api/orders` trace
// a1b2c3d4… above all) and per-5-minute counts where fraud-check's calls to its risk vendor
// started failing 25 minutes ago and still fail, against a quiet day before. Other subjects get
// steady traffic with their usual share of slow requests; typical requests of the three story
// endpoints (three hours earlier) and the services' deployments (search-service 4.2.0 at 10:03,
// 4 minutes before the slow search). Answers what it is asked: the trace id, the time range and
// the subject decide.
#pragma once

#include "nra/ports/context_source.hpp"

namespace nra {

class DemoContextSource final : public ContextSource {
public:
    boost::asio::awaitable<LogResult> logs(LogQuery query) override;
    boost::asio::awaitable<BlastResult> blast_radius(BlastQuery query) override;
    boost::asio::awaitable<TypicalResult> typical(TypicalQuery query) override;
    boost::asio::awaitable<ChangeResult> changes(ChangeQuery query) override;
};

}  // namespace nra
