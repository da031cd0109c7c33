// application/x-www-form-urlencoded encoding, as Slack sends slash commands and interactivity:
// the adapter's own encoder, so tests and production agree by construction.
#pragma once

#include <string>

#include "slack/inbound.hpp"

namespace nra::test {

inline std::string form_encode(const std::string& value) {
    return slack::form_encode(value);
}

}  // namespace nra::test
