// libFuzzer harness for Slack's inbound request parsing (src/slack/inbound.*, socket_frames.*).
// Input: "<Content-Type>\n<body>". The body goes through parse_inbound under that content type
// and under both real ones, through parse_form, the Socket Mode frame parser (and the envelope's
// payload parser) and ack_frame. Nothing may crash; errors are short single lines; parsing is
// consistent across entry points; form encoding round-trips.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_check.hpp"
#include "slack/inbound.hpp"
#include "slack/socket_frames.hpp"

namespace nra::fuzz::inbound {

using nra::fuzz::check;
using nra::fuzz::check_error_line;
using namespace nra::slack;
using Json = nlohmann::json;

constexpr std::string_view kForm = "application/x-www-form-urlencoded";
constexpr std::string_view kJson = "application/json";

// parse_inbound under the fuzzed content type: same answer as under the media type it names.
void check_content_type(std::string_view type, std::string_view body) {
    const auto result = parse_inbound(type, body);
    if (!result) check_error_line(result.error(), 120);
    for (const auto canonical : {kForm, kJson}) {
        const std::string variant = " " + std::string(canonical) + " ; charset=utf-8";
        std::string upper = variant;
        for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
        const auto a = parse_inbound(canonical, body);
        const auto b = parse_inbound(upper, body);
        check(a.ok() == b.ok(), "media type is case or parameter sensitive");
        if (a.ok()) check(a->index() == b->index(), "media type changes the result");
    }
}

// Forms: the outcome follows from parse_form (ssl_check=1, then payload, then command).
void check_form(std::string_view body) {
    const auto form = parse_form(body);
    const auto inbound = parse_inbound(kForm, body);
    if (!form) {
        check_error_line(form.error(), 120);
        check(!inbound.ok(), "a form parse_form refuses was accepted");
        return;
    }
    const auto get = [&](const char* key) {
        const auto it = form->find(key);
        return it == form->end() ? std::string() : it->second;
    };
    if (get("ssl_check") == "1") {
        check(inbound.ok() && std::holds_alternative<SslCheck>(*inbound), "ssl_check not seen");
    } else if (form->contains("payload")) {
        check(inbound.ok() && std::holds_alternative<Interactive>(*inbound), "payload not seen");
        check(std::get<Interactive>(*inbound).payload_json == get("payload"), "payload changed");
    } else if (form->contains("command")) {
        check(
            inbound.ok() && std::holds_alternative<nra::SlashCommand>(*inbound), "command not seen"
        );
        const auto& command = std::get<nra::SlashCommand>(*inbound);
        check(command.command == get("command") && command.text == get("text"), "fields changed");
    } else {
        check(!inbound.ok(), "form without command or payload accepted");
    }
}

// form_decode inverts form_encode, and a form built from encoded pairs parses back to them.
void check_round_trip(std::string_view text) {
    const std::string encoded = form_encode(text);
    check(encoded.find_first_of("&=+ ") == std::string::npos, "form_encode left a separator");
    const auto decoded = form_decode(encoded);
    check(decoded.ok() && *decoded == text, "form_decode(form_encode(x)) != x");
    const auto half = text.size() / 2;
    const std::string key(text.substr(0, half));
    const std::string value(text.substr(half));
    const auto form = parse_form("a=1&" + form_encode(key) + "=" + form_encode(value) + "&&");
    check(form.ok(), "encoded form refused");
    if (!key.empty()) {
        const auto it = form->find(key);
        check(it != form->end() && it->second == value, "encoded pair lost");
    }
    const auto wrapped = parse_inbound(kForm, "payload=" + encoded);
    check(wrapped.ok() && std::holds_alternative<Interactive>(*wrapped), "payload= refused");
    check(std::get<Interactive>(*wrapped).payload_json == text, "payload not round-tripped");
}

// Socket Mode: frames never throw; envelopes' payloads parse like the HTTP bodies they carry.
void check_socket(std::string_view body) {
    const auto frame = parse_socket_frame(body);
    if (const auto* bad = std::get_if<Malformed>(&frame)) check_error_line(bad->why, 80);
    const auto* envelope = std::get_if<Envelope>(&frame);
    if (envelope == nullptr) return;
    check(!envelope->envelope_id.empty(), "envelope without id accepted");
    const auto payload = parse_socket_payload(envelope->type, envelope->payload);
    if (!payload) check_error_line(payload.error(), 120);
    if (envelope->type == "events_api" && envelope->payload.is_object()) {
        const auto direct = parse_event_json(envelope->payload);
        check(direct.ok() == payload.ok(), "events_api payload differs from the HTTP body");
    }
    const auto ack = Json::parse(ack_frame(envelope->envelope_id, body), nullptr, false);
    check(ack.is_object() && ack.contains("envelope_id"), "ack is not an object with an id");
}

// Every check on one input; aborts (throws when replayed by a test) on a violation.
inline void one_input(std::string_view input) {
    const auto parts = nra::fuzz::split_lines(input, 2);
    check_content_type(parts[0], parts[1]);
    check_form(parts[1]);
    check_round_trip(parts[1]);
    check_socket(parts[1]);
    const auto json = parse_inbound(kJson, parts[1]);
    if (!json) check_error_line(json.error(), 120);
}

}  // namespace nra::fuzz::inbound

#ifndef NRA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nra::fuzz::inbound::one_input(nra::fuzz::as_text(data, size));
    return 0;
}
#endif
