#include "app/blocks_text.hpp"

#include <nlohmann/json.hpp>

namespace nra {
namespace {

using Json = nlohmann::json;

std::string text_of(const Json& object) {
    if (object.is_object() && object.contains("text") && object["text"].is_string()) {
        return object["text"].get<std::string>();
    }
    return {};
}

void rich_text(const Json& element, std::string& out) {
    if (element.value("type", "") == "text") out += element.value("text", "");
    if (element.contains("elements") && element["elements"].is_array()) {
        for (const auto& e : element["elements"]) rich_text(e, out);
        if (element.value("type", "") != "rich_text_section") out += "\n";
    }
}

void block_text(const Json& block, std::string& out) {
    const auto type = block.value("type", "");
    if (type == "header") {
        out += "== " + text_of(block["text"]) + " ==\n";
    } else if (type == "section") {
        if (block.contains("text")) out += text_of(block["text"]) + "\n";
        if (block.contains("fields") && block["fields"].is_array()) {
            for (const auto& f : block["fields"]) out += "  " + text_of(f) + "\n";
        }
    } else if (type == "context") {
        std::string line;
        for (const auto& e : block.value("elements", Json::array())) {
            if (!line.empty()) line += " · ";
            line += text_of(e);
        }
        out += line + "\n";
    } else if (type == "divider") {
        out += "----\n";
    } else if (type == "rich_text") {
        rich_text(block, out);
    } else {
        out += "[" + type + " block]\n";
    }
}

}  // namespace

std::string blocks_to_text(std::string_view blocks_json) {
    const auto blocks = Json::parse(blocks_json, nullptr, false);
    if (!blocks.is_array()) return {};
    std::string out;
    for (const auto& block : blocks) {
        if (block.is_object()) block_text(block, out);
    }
    return out;
}

}  // namespace nra
