#include "slack/socket_frames.hpp"

#include "slack/json_fields.hpp"

namespace nra::slack {
namespace {

using Json = nlohmann::json;

int int_at(const Json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return 0;
    const auto value = it->get<long long>();
    return value < 0 || value > 1'000'000'000 ? 0 : static_cast<int>(value);
}

SocketFrame envelope_from(const Json& json, std::string type) {
    Envelope envelope;
    envelope.envelope_id = string_at(json, "envelope_id");
    if (envelope.envelope_id.empty()) return Malformed{"envelope without envelope_id"};
    envelope.type = std::move(type);
    if (const auto it = json.find("payload"); it != json.end()) envelope.payload = *it;
    envelope.retry_attempt = int_at(json, "retry_attempt");
    envelope.retry_reason = string_at(json, "retry_reason");
    const auto accepts = json.find("accepts_response_payload");
    envelope.accepts_response_payload =
        accepts != json.end() && accepts->is_boolean() && accepts->get<bool>();
    return envelope;
}

}  // namespace

SocketFrame parse_socket_frame(std::string_view text) {
    const Json json = Json::parse(text.begin(), text.end(), nullptr, false);
    if (json.is_discarded()) return Malformed{"not JSON"};
    if (!json.is_object()) return Malformed{"not a JSON object"};
    std::string type = string_at(json, "type");
    if (type == "hello") {
        Hello hello;
        hello.num_connections = int_at(json, "num_connections");
        if (const auto info = json.find("debug_info"); info != json.end() && info->is_object()) {
            hello.approximate_connection_time_s = int_at(*info, "approximate_connection_time");
        }
        return hello;
    }
    if (type == "disconnect") return Disconnect{string_at(json, "reason")};
    if (json.contains("envelope_id")) return envelope_from(json, std::move(type));
    if (type.empty()) return Malformed{"frame without type"};
    // The type is Slack's text: control characters (a newline) would split the log line.
    std::string shown = type.substr(0, 40);
    for (char& c : shown) c = static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c;
    return Malformed{"unknown frame type " + shown};
}

std::string ack_frame(const std::string& envelope_id, std::string_view payload_json) {
    Json ack{{"envelope_id", envelope_id}};
    if (!payload_json.empty()) {
        Json payload = Json::parse(payload_json.begin(), payload_json.end(), nullptr, false);
        if (payload.is_object()) ack["payload"] = std::move(payload);
    }
    return ack.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace nra::slack
