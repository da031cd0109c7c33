// Span and Trace: the normalized model every trace source (New Relic, OTLP, Zipkin, Jaeger, demo)
// produces. Pure values; string fields are views into the Trace's shared StringPool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nra/string_pool.hpp"

namespace nra {

enum class SpanKind : std::uint8_t { unspecified, server, client, producer, consumer, internal };
enum class SpanCategory : std::uint8_t { generic, http, datastore, messaging };

std::string_view to_string(SpanKind kind);
std::string_view to_string(SpanCategory category);
SpanKind parse_span_kind(std::string_view text);  // "server", "SPAN_KIND_SERVER", "SERVER", "2"…

struct Span {
    std::string_view span_id;
    std::string_view parent_id;  // empty for a root
    std::string_view trace_id;
    std::string_view name;
    std::string_view service;
    std::string_view host;  // host.id / host.name / ip: clock-skew grouping; may be empty
    SpanKind kind = SpanKind::unspecified;
    SpanCategory category = SpanCategory::generic;
    bool follows_from = false;  // the parent reference is asynchronous (FOLLOWS_FROM)
    bool shared = false;        // Zipkin: server half of a shared client/server span id
    bool synthetic = false;     // made up by assembly to stand in for a missing root

    std::int64_t start_us = 0;     // epoch microseconds
    std::int64_t duration_us = 0;  // >= 0

    bool error = false;
    std::string_view error_message;
    std::string_view error_class;
    int http_status = 0;  // 0 = unknown

    std::string_view db_system;
    std::string_view db_statement;  // db.statement or db.query.text
    std::string_view http_method;
    std::string_view http_url;
    std::string_view http_route;
    std::string_view peer_host;
    std::string_view code_function;
    std::string_view code_filepath;
    int code_lineno = 0;
    std::string_view messaging_destination;

    std::vector<std::pair<std::string_view, std::string_view>> attributes;  // everything else

    std::int64_t end_us() const { return start_us + duration_us; }
};

// Zipkin lets a client span and its server span share one id. Assembly keeps ids unique by giving
// the server half the id "<id>" + kServerHalfSuffix (its parent: the client half); outputs show
// shown_span_id() instead: the real id, which can be searched for, and " (server side)".
inline constexpr std::string_view kServerHalfSuffix = "~server";
inline constexpr std::string_view kServerSideNote = " (server side)";
std::string shown_span_id(std::string_view id);

// The service of a span whose source named none (assembly fills it in; every output shows it).
inline constexpr std::string_view kUnknownService = "unknown";

// A bag of spans of one trace, as read from a source; not yet a tree (see assemble()).
struct Trace {
    std::string trace_id;
    std::vector<Span> spans;
    std::shared_ptr<StringPool> pool = std::make_shared<StringPool>();
    std::vector<std::string> warnings;  // what the reader repaired or skipped, one line each

    std::string_view intern(std::string_view s) const { return pool->intern(s); }
};

// ASCII lower-case copy (ids, kinds, db systems: all ASCII by their specs).
std::string ascii_lower(std::string_view text);

// Microseconds (the model's unit) to milliseconds (the unit of every output).
inline double to_ms(std::int64_t us) {
    return static_cast<double>(us) / 1000.0;
}

// The value of an attribute kept in Span::attributes, or empty.
std::string_view attribute(const Span& span, std::string_view key);

// Fills kind-independent derived fields: category from db.*/http.*/messaging attributes when the
// source did not say. Readers call it once per span.
void classify(Span& span);

}  // namespace nra
