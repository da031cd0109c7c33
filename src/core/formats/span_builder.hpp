// Private: the mapping of attribute names (New Relic, OpenTelemetry, OpenTracing) onto Span
// fields, with per-field precedence between sources.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json_util.hpp"
#include "nra/formats/formats.hpp"
#include "nra/span.hpp"
#include "read_context.hpp"

namespace nra::formats {

// The Span fields that attributes can fill.
enum class Field : std::uint8_t {
    trace_id,
    span_id,
    parent_id,
    name,
    start_ms,
    duration_ms,
    duration_s,
    service,
    host,
    kind,
    category,
    status_code,
    error_message,
    error_class,
    error_expected,
    error_flag,
    http_status,
    db_system,
    db_statement,
    http_method,
    http_url,
    http_route,
    peer_host,
    code_function,
    code_filepath,
    code_lineno,
    messaging_destination,
    count,
};

// Where an attribute comes from; decides precedence when two sources name the same field.
enum class Source : std::uint8_t {
    structural = 0,  // a format's own field (spanID, startTime…): always wins
    span = 1,        // the span's own attributes / tags / row keys
    shared = 32,     // Trace API common attributes: fields and leftovers
    resource = 33,   // OTLP resource / Jaeger process tags: fields only
};

enum class Dialect : std::uint8_t {
    newrelic,  // row keys (trace.id, guid, duration…) are fields; any error.* key marks an error
    generic,   // OTLP, Zipkin, Jaeger tags: only semantic-convention keys are fields
};

struct KeyRule;

// An attribute name with its field rule looked up once.
struct ResolvedKey {
    std::string_view key;
    std::string_view interned;      // the pooled key, filled when first kept as a leftover
    const KeyRule* rule = nullptr;  // nullptr: a leftover attribute
    bool error_key = false;         // New Relic: an error.* attribute other than error.expected
};

ResolvedKey resolve_key(std::string_view key, Dialect dialect);

using KeyedScalar = std::pair<std::string_view, Scalar>;

// Keeps the first attribute of each name that fills a field. Resource and process attributes are
// applied to every span of their group, so they must stay few (their leftovers are dropped).
void keep_field_attributes(std::vector<KeyedScalar>& attributes, Dialect dialect);

// NRQL rows list the same keys in the same order: remembers the previous row's keys by position
// so a row's key costs a short compare instead of a hash lookup.
class KeySequence {
public:
    explicit KeySequence(Dialect dialect) : dialect_(dialect) {}
    ResolvedKey& at(std::size_t position, std::string_view key);

private:
    Dialect dialect_;
    std::vector<ResolvedKey> keys_;
};

// Fills one Span from attributes, keeping the best-ranked source for each field.
class SpanBuilder {
public:
    SpanBuilder(ReadContext& ctx, Dialect dialect);

    // Starts a new span (the previous one must have been finished or dropped).
    void reset();
    Span& span() { return span_; }
    ReadContext& context() { return ctx_; }

    // Maps a key/value onto a field or the leftover attributes.
    void apply(std::string_view key, const Scalar& value, Source source = Source::span);
    void apply(ResolvedKey& key, const Scalar& value, Source source = Source::span);

    // Structural setters used by the format readers (always win over attributes).
    // `field` must be a text field (ids already normalized by the caller).
    void set_text(Field field, std::string_view value);
    void set_start_us(std::int64_t us);
    void set_duration_us(std::int64_t us);
    void set_kind(SpanKind kind);
    void set_error() { error_flag_ = true; }
    bool is_error() const { return error_flag_; }
    // An id field holds a value of the wrong type: the span is dropped.
    void mark_malformed(Field field) {
        if (!malformed_) {
            malformed_field_ = field;  // the first one is named in errors
        }
        malformed_ = true;
    }
    bool has_field(Field field) const;

    // Validates and stores the span; false only when the span limit is exceeded.
    bool finish();

private:
    bool claim(Field field, unsigned rank);
    std::string_view key_of(Field field) const;  // the format's name of an id field
    void apply_field(Field field, unsigned rank, const Scalar& value);
    void apply_text(Field field, unsigned rank, const Scalar& value);
    void apply_time(Field field, unsigned rank, const Scalar& value);
    void apply_flag(Field field, const Scalar& value);
    void add_leftover(ResolvedKey& key, const Scalar& value, Source source);

    ReadContext& ctx_;
    Dialect dialect_;
    Span span_;
    std::array<std::uint8_t, static_cast<std::size_t>(Field::count)> ranks_{};
    std::string scratch_;
    // Per field: the previous raw text (a view into the document) and its interned view.
    using TextMemo = std::pair<std::string_view, std::string_view>;
    std::array<TextMemo, static_cast<std::size_t>(Field::count)> memo_{};
    // Leftovers collect here and are copied once into the span: one exact allocation per span.
    std::vector<std::pair<std::string_view, std::string_view>> attrs_;
    bool has_start_ = false;
    bool has_duration_ = false;
    bool malformed_ = false;
    Field malformed_field_ = Field::span_id;
    bool error_flag_ = false;
    bool error_key_ = false;  // New Relic: an error.* attribute was present
};

}  // namespace nra::formats
