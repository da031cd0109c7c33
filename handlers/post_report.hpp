// Posts a rendered /improve report: the summary in the channel, each endpoint's detail in its
// thread. Shared by /improve and scheduled reports (no response_url there).
#pragma once

#include <string>
#include <vector>

#include "handler.hpp"
#include "nra/report.hpp"
#include "nra/slo_digest.hpp"

namespace nra {

struct PostedReport {
    bool ok = false;
    std::string problem;  // why the summary could not be posted
    std::string ts;       // the summary's ts (the thread)
};

// `response_url` (optional) is the fallback when the bot is not in the channel.
boost::asio::awaitable<PostedReport> post_report(
    Services services, std::string channel, std::string response_url, Report report
);

// Posts an SLO review digest in the channel (response_url: the fallback outside it); `ts` is the
// digest's, which its buttons carry back.
boost::asio::awaitable<PostedReport> post_slo_digest(
    Services services, std::string channel, std::string response_url, slo::Digest digest
);

// Services plus the /improve ports, or nullopt-like problem text when /improve is not wired.
std::string improve_unavailable(const Services& services);

}  // namespace nra
