// Posts a rendered /improve report (the summary in the channel, each endpoint's detail in its
// thread) or an SLO review digest. Shared by /improve, `/improve slo`, the CLI's --post and the
// scheduler (no response_url there).
#pragma once

#include <string>

#include "nra/analysis/incident.hpp"
#include "nra/report/report.hpp"
#include "nra/report/slo_digest.hpp"
#include "nra/result.hpp"
#include "ports.hpp"

namespace nra {

// Returns the summary's ts (the thread; empty when it went through response_url), or why it
// could not be posted (escaped mrkdwn). `response_url` (optional) is the fallback when the bot
// is not in the channel.
boost::asio::awaitable<Result<std::string>> post_report(
    const Ports& ports, std::string channel, std::string response_url, Report report
);

// Posts an /incident report: the summary in the channel (in `thread_ts` when set: a mention in
// a thread), the detail in its thread. Same return and fallback as post_report.
boost::asio::awaitable<Result<std::string>> post_incident(
    const Ports& ports,
    std::string channel,
    std::string thread_ts,
    std::string response_url,
    IncidentReport report
);

// Posts an SLO review digest in the channel (response_url: the fallback outside it); the ts is
// the digest's, which its buttons carry back.
boost::asio::awaitable<Result<std::string>> post_slo_digest(
    const Ports& ports, std::string channel, std::string response_url, slo::Digest digest
);

}  // namespace nra
