#include "http/http_types.hpp"

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

}  // namespace nra::http
