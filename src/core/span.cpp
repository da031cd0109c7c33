#include "nra/span.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace nra {
namespace {

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) {
        return s.substr(0, p.size()) == p;
    });
}

}  // namespace

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

std::string shown_span_id(std::string_view id) {
    if (id.size() <= kServerHalfSuffix.size() || !id.ends_with(kServerHalfSuffix)) {
        return std::string(id);
    }
    std::string out(id.substr(0, id.size() - kServerHalfSuffix.size()));
    out += kServerSideNote;
    return out;
}

std::string_view to_string(SpanKind kind) {
    switch (kind) {
        case SpanKind::server:
            return "server";
        case SpanKind::client:
            return "client";
        case SpanKind::producer:
            return "producer";
        case SpanKind::consumer:
            return "consumer";
        case SpanKind::internal:
            return "internal";
        case SpanKind::unspecified:
            break;
    }
    return "unspecified";
}

std::string_view to_string(SpanCategory category) {
    switch (category) {
        case SpanCategory::http:
            return "http";
        case SpanCategory::datastore:
            return "datastore";
        case SpanCategory::messaging:
            return "messaging";
        case SpanCategory::generic:
            break;
    }
    return "generic";
}

SpanKind parse_span_kind(std::string_view text) {
    std::string k = ascii_lower(text);
    if (k.rfind("span_kind_", 0) == 0) {
        k = k.substr(10);
    }
    // OTLP integer kinds: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
    static constexpr std::array<std::pair<std::string_view, SpanKind>, 10> kTable{{
        {"server", SpanKind::server},
        {"client", SpanKind::client},
        {"producer", SpanKind::producer},
        {"consumer", SpanKind::consumer},
        {"internal", SpanKind::internal},
        {"1", SpanKind::internal},
        {"2", SpanKind::server},
        {"3", SpanKind::client},
        {"4", SpanKind::producer},
        {"5", SpanKind::consumer},
    }};
    for (const auto& [name, kind] : kTable) {
        if (k == name) {
            return kind;
        }
    }
    return SpanKind::unspecified;
}

std::string_view attribute(const Span& span, std::string_view key) {
    for (const auto& [k, v] : span.attributes) {
        if (k == key) return v;
    }
    return {};
}

void classify(Span& span) {
    if (span.category != SpanCategory::generic) {
        return;
    }
    if (!span.db_system.empty() || !span.db_statement.empty() ||
        starts_with_any(span.name, {"Datastore/"})) {
        span.category = SpanCategory::datastore;
    } else if (!span.messaging_destination.empty() || starts_with_any(span.name, {"MessageBroker/"})) {
        span.category = SpanCategory::messaging;
    } else if ((!span.http_url.empty() || !span.http_method.empty() || starts_with_any(span.name, {"External/"})) && span.kind != SpanKind::server && span.kind != SpanKind::consumer) {
        span.category = SpanCategory::http;
    }
}

}  // namespace nra
