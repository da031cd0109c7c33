// What /incident and "@nr-analyzer what's wrong with <service>?" ask, read from the user's words,
// and the job that answers both (flows/incident_report.hpp, flows/post_report.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "incident_report.hpp"

namespace nra {

struct IncidentWords {
    IncidentRequest request;
    std::string problem;  // set when the words cannot be read (plain text, names marked)
};

// "<service> [endpoint …] [window]": the first word is the service (in double quotes when it
// holds spaces), a last word like 15m, 1h or 2h is the window, anything between is the endpoint.
IncidentWords parse_incident_words(std::string_view text);

// In a mention: the words after "what's wrong with", "what is wrong with", "what's going on with"
// or "incident" (any case, the mention itself and a final "?" removed); nullopt when it asks
// nothing of the kind.
std::optional<std::string> incident_question(std::string_view text);

// Produces the report and posts it in `channel` (in `thread_ts` when set); a problem goes to
// the user privately through `response_url`, else as a reply in the thread.
boost::asio::awaitable<void> answer_incident(
    const Ports& ports,
    IncidentRequest request,
    std::string channel,
    std::string thread_ts,
    std::string response_url
);

}  // namespace nra
