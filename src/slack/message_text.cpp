#include "slack/message_text.hpp"

#include <array>
#include <string_view>

namespace nra::slack {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 32;

class Collector {
public:
    void add(const Json& value) {
        if (!value.is_string()) return;
        const auto& text = value.get_ref<const std::string&>();
        if (text.empty() || out_.size() >= kMaxMessageText) return;
        if (!out_.empty()) out_ += '\n';
        out_.append(text, 0, kMaxMessageText - out_.size());
    }

    // Every string under a key that carries words or links, at any depth of blocks.
    void walk(const Json& node, int depth) {
        if (depth > kMaxDepth || out_.size() >= kMaxMessageText) return;
        if (node.is_array()) {
            for (const auto& item : node) walk(item, depth + 1);
            return;
        }
        if (!node.is_object()) return;
        for (const auto& [key, value] : node.items()) {
            if (value.is_string()) {
                static constexpr std::array<std::string_view, 7> kWords{
                    "text", "url", "value", "fallback", "title_link", "pretext", "title"};
                for (const auto word : kWords) {
                    if (key == word) add(value);
                }
            } else {
                walk(value, depth + 1);
            }
        }
    }

    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

}  // namespace

std::string message_search_text(const Json& message) {
    Collector collect;
    if (!message.is_object()) return {};
    if (const auto it = message.find("text"); it != message.end()) collect.add(*it);
    for (const char* part : {"attachments", "blocks"}) {
        const auto it = message.find(part);
        if (it != message.end()) collect.walk(*it, 0);
    }
    return collect.take();
}

}  // namespace nra::slack
