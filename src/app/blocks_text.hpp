// Block Kit JSON as terminal text, for the simulator: headers, sections (text and fields),
// context lines, dividers, preformatted rich text. Unknown blocks are named, never dropped.
#pragma once

#include <string>
#include <string_view>

namespace nra {

std::string blocks_to_text(std::string_view blocks_json);

}  // namespace nra
