// Block Kit as data: what the renderers produce and a ChatClient posts. Only the Slack adapter
// serialises it (once, for the request); nothing renders to a string and parses it back.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nra {

using Blocks = nlohmann::ordered_json;  // a Block Kit array (or a view / unfurl object); null: none

struct BlockMessage {
    std::string text;  // the fallback: notifications, accessibility, the plain-text retry
    Blocks blocks = Blocks::array();

    // {"text": …, "blocks": […]} as one JSON document (the terminal's --format blocks); text
    // that is not valid UTF-8 is replaced, as in the request Slack receives.
    std::string dump() const;
    Blocks document() const;  // the same as data: {"text": …, "blocks": […]}
};

}  // namespace nra
