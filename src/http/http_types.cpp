#include "http/http_types.hpp"

#include <fmt/format.h>

#include "http/text.hpp"

namespace nra::http {

std::string_view Response::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (detail::iequals(h.name, name)) return h.value;
    }
    return {};
}

std::string_view to_string(Failure failure) {
    switch (failure) {
        case Failure::none:
            return "none";
        case Failure::timeout:
            return "timeout";
        case Failure::connect:
            return "connect";
        case Failure::tls:
            return "tls";
        case Failure::proxy:
            return "proxy";
        case Failure::too_large:
            return "too_large";
        case Failure::protocol:
            return "protocol";
        case Failure::bad_url:
            return "bad_url";
    }
    return "unknown";
}

std::string failure_sentence(Failure failure, std::string_view who, std::string_view host) {
    switch (failure) {
        case Failure::timeout:
            return fmt::format("{} ({}) did not answer in time", who, host);
        case Failure::tls:
            return fmt::format(
                "could not verify the TLS certificate of {} (behind a TLS-inspecting proxy, set "
                "NR_ANALYZER_CA_FILE)",
                host
            );
        case Failure::proxy:
            return fmt::format("the proxy refused the connection to {}", host);
        case Failure::too_large:
            return fmt::format("{}'s answer was larger than allowed", who);
        default:
            return fmt::format("could not reach {} at {} ({})", who, host, to_string(failure));
    }
}

OutcomeClass classify(const Outcome& out) {
    switch (out.failure) {
        case Failure::none:
            break;
        case Failure::timeout:
            return OutcomeClass::timed_out;
        case Failure::too_large:
            return OutcomeClass::too_large;
        default:
            return OutcomeClass::unreachable;
    }
    const int status = out.response.status;
    if (status >= 200 && status < 300) return OutcomeClass::ok;
    if (status == 401 || status == 403) return OutcomeClass::rejected;
    if (status == 404) return OutcomeClass::not_found;
    if (status == 429) return OutcomeClass::rate_limited;
    if (status >= 500) return OutcomeClass::upstream_error;
    return OutcomeClass::refused;
}

}  // namespace nra::http
