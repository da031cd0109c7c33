#include "span_builder.hpp"

#include <algorithm>

#include "key_table.hpp"

namespace nra::formats {
namespace {

constexpr std::uint8_t kUnset = 255;

// Both duration spellings compete for one value.
std::size_t slot_of(Field field) {
    return static_cast<std::size_t>(field == Field::duration_s ? Field::duration_ms : field);
}

std::string_view Span::*text_member(Field field) {
    switch (field) {
        case Field::trace_id:
            return &Span::trace_id;
        case Field::span_id:
            return &Span::span_id;
        case Field::parent_id:
            return &Span::parent_id;
        case Field::name:
            return &Span::name;
        case Field::service:
            return &Span::service;
        case Field::host:
            return &Span::host;
        case Field::error_message:
            return &Span::error_message;
        case Field::error_class:
            return &Span::error_class;
        case Field::db_system:
            return &Span::db_system;
        case Field::db_statement:
            return &Span::db_statement;
        case Field::http_method:
            return &Span::http_method;
        case Field::http_url:
            return &Span::http_url;
        case Field::http_route:
            return &Span::http_route;
        case Field::peer_host:
            return &Span::peer_host;
        case Field::code_function:
            return &Span::code_function;
        case Field::code_filepath:
            return &Span::code_filepath;
        case Field::messaging_destination:
            return &Span::messaging_destination;
        default:
            return nullptr;
    }
}

SpanCategory parse_category(std::string_view text) {
    if (iequals(text, "http") || iequals(text, "external")) {
        return SpanCategory::http;
    }
    if (iequals(text, "datastore")) {
        return SpanCategory::datastore;
    }
    if (iequals(text, "messaging")) {
        return SpanCategory::messaging;
    }
    return SpanCategory::generic;
}

bool is_true(const Scalar& v) {
    return (v.type == Scalar::Type::boolean && v.b) ||
           (v.type == Scalar::Type::string && iequals(v.text, "true"));
}

bool is_error_status(const Scalar& v) {
    if (v.type == Scalar::Type::integer) {
        return v.i == 2;  // OTLP STATUS_CODE_ERROR
    }
    return v.type == Scalar::Type::string &&
           (iequals(v.text, "ERROR") || iequals(v.text, "STATUS_CODE_ERROR") || v.text == "2");
}

bool is_id_field(Field f) {
    return f == Field::trace_id || f == Field::span_id || f == Field::parent_id;
}

}  // namespace

SpanBuilder::SpanBuilder(ReadContext& ctx, Dialect dialect) : ctx_(ctx), dialect_(dialect) {
    reset();
}

void SpanBuilder::reset() {
    span_ = Span{};
    attrs_.clear();
    ranks_.fill(kUnset);
    has_start_ = has_duration_ = malformed_ = error_flag_ = error_key_ = false;
}

bool SpanBuilder::has_field(Field field) const {
    return ranks_[slot_of(field)] != kUnset;
}

bool SpanBuilder::claim(Field field, unsigned rank) {
    std::uint8_t& current = ranks_[slot_of(field)];
    if (rank >= current) {
        return false;
    }
    current = static_cast<std::uint8_t>(rank);
    return true;
}

void SpanBuilder::set_text(Field field, std::string_view value) {
    if (auto member = text_member(field); member != nullptr && claim(field, 0)) {
        span_.*member = ctx_.intern(value);
    }
}

void SpanBuilder::set_kind(SpanKind kind) {
    if (claim(Field::kind, 0)) {
        span_.kind = kind;
    }
}

void SpanBuilder::set_start_us(std::int64_t us) {
    claim(Field::start_ms, 0);
    span_.start_us = us;
    has_start_ = true;
}

void SpanBuilder::set_duration_us(std::int64_t us) {
    claim(Field::duration_ms, 0);
    span_.duration_us = us;
    has_duration_ = true;
}

ResolvedKey resolve_key(std::string_view key, Dialect dialect) {
    ResolvedKey out;
    out.key = key;
    const KeyRule* rule = find_key_rule(key);
    out.rule =
        rule != nullptr && (!rule->newrelic_only || dialect == Dialect::newrelic) ? rule : nullptr;
    out.error_key = dialect == Dialect::newrelic && key.size() > 6 &&
                    key.substr(0, 6) == "error." && key != "error.expected";
    return out;
}

void keep_field_attributes(std::vector<KeyedScalar>& attributes, Dialect dialect) {
    std::vector<KeyedScalar> kept;
    for (const KeyedScalar& a : attributes) {
        const bool maps = resolve_key(a.first, dialect).rule != nullptr;
        const bool seen = std::any_of(kept.begin(), kept.end(), [&](const KeyedScalar& k) {
            return k.first == a.first;
        });
        if (maps && !seen) {
            kept.push_back(a);
        }
    }
    attributes.swap(kept);
}

ResolvedKey& KeySequence::at(std::size_t position, std::string_view key) {
    if (position < keys_.size() && keys_[position].key == key) {
        return keys_[position];
    }
    if (position >= keys_.size()) {
        keys_.resize(position + 1);
    }
    keys_[position] = resolve_key(key, dialect_);
    return keys_[position];
}

void SpanBuilder::apply(std::string_view key, const Scalar& value, Source source) {
    ResolvedKey resolved = resolve_key(key, dialect_);
    apply(resolved, value, source);
}

void SpanBuilder::apply(ResolvedKey& key, const Scalar& value, Source source) {
    if (value.type == Scalar::Type::null) {
        return;  // NRQL returns null for attributes a row does not have
    }
    error_key_ = error_key_ || key.error_key;
    if (key.rule == nullptr) {
        add_leftover(key, value, source);
        return;
    }
    apply_field(key.rule->field, static_cast<unsigned>(source) + key.rule->rank, value);
    if (key.rule->field == Field::error_expected) {
        add_leftover(key, value, source);  // detectors may want to tell expected errors apart
    }
}

void SpanBuilder::apply_field(Field field, unsigned rank, const Scalar& value) {
    switch (field) {
        case Field::start_ms:
        case Field::duration_ms:
        case Field::duration_s:
            apply_time(field, rank, value);
            return;
        case Field::status_code:
        case Field::error_flag:
        case Field::error_expected:
            apply_flag(field, value);
            return;
        case Field::kind:
            if (value.type == Scalar::Type::string && claim(field, rank)) {
                span_.kind = parse_span_kind(value.text);
            } else if (value.type == Scalar::Type::integer && claim(field, rank)) {
                span_.kind = parse_span_kind(scalar_text(value, scratch_));
            }
            return;
        case Field::category:
            if (value.type == Scalar::Type::string && claim(field, rank)) {
                span_.category = parse_category(value.text);
            }
            return;
        case Field::http_status:
        case Field::code_lineno: {
            int number = 0;
            if (!to_int(value, number)) {
                ++ctx_.tally().malformed_field;
            } else if (claim(field, rank)) {
                (field == Field::http_status ? span_.http_status : span_.code_lineno) = number;
            }
            return;
        }
        default:
            apply_text(field, rank, value);
    }
}

void SpanBuilder::apply_text(Field field, unsigned rank, const Scalar& value) {
    if (value.type == Scalar::Type::compound) {
        if (is_id_field(field)) {
            mark_malformed(field);  // an id we cannot read would break the tree: drop the span
        } else {
            ++ctx_.tally().malformed_field;
        }
        return;
    }
    if (!claim(field, rank)) {
        return;
    }
    auto& [raw, interned] = memo_[static_cast<std::size_t>(field)];
    if (value.type == Scalar::Type::string && !value.transient && raw == value.text) {
        span_.*text_member(field) = interned;  // same text as the previous row: no lookup
        return;
    }
    std::string_view text;
    if (!is_id_field(field)) {
        text = scalar_text(value, scratch_);
    } else if (!id_text(value, scratch_, text)) {
        mark_malformed(field);
        return;
    }
    // Span and parent ids are nearly all distinct: copied, not looked up in the pool's index
    // (assembly matches ids by their text). Trace ids stay interned: ReadContext counts spans
    // per trace by the id's address.
    const bool distinct = field == Field::span_id || field == Field::parent_id;
    span_.*text_member(field) = distinct ? ctx_.store(text) : ctx_.intern(text);
    if (value.type == Scalar::Type::string && !value.transient) {
        // Remember the raw text (a view into the document, stable during the read).
        raw = value.text;
        interned = span_.*text_member(field);
    }
}

void SpanBuilder::apply_time(Field field, unsigned rank, const Scalar& value) {
    std::int64_t us = 0;
    const TimeUnit unit = field == Field::duration_s ? TimeUnit::seconds : TimeUnit::milliseconds;
    // An unreadable value is ignored: another spelling may still provide the time, and a span
    // left without one is dropped (and counted) by finish().
    if (!to_micros(value, unit, us) || !claim(field, rank)) {
        return;
    }
    if (field == Field::start_ms) {
        span_.start_us = us;
        has_start_ = true;
    } else {
        span_.duration_us = us;
        has_duration_ = true;
    }
}

void SpanBuilder::apply_flag(Field field, const Scalar& value) {
    if (field == Field::status_code) {
        error_flag_ = error_flag_ || is_error_status(value);
    } else if (field == Field::error_flag) {
        error_flag_ = error_flag_ || is_true(value);
    }
}

void SpanBuilder::add_leftover(ResolvedKey& key, const Scalar& value, Source source) {
    if (source == Source::resource) {
        return;
    }
    if (key.interned.empty()) {
        key.interned = ctx_.intern(key.key);
    }
    const std::string_view k = key.interned;
    // The span's own value wins over the common one (interned keys compare by address). Past
    // kDedupeLimit attributes duplicates are kept rather than spending quadratic time on them.
    constexpr std::size_t kDedupeLimit = 64;
    if (source == Source::shared && attrs_.size() <= kDedupeLimit &&
        std::any_of(attrs_.begin(), attrs_.end(), [&](const auto& kv) {
            return kv.first.data() == k.data();
        })) {
        return;
    }
    attrs_.emplace_back(k, ctx_.intern(scalar_text(value, scratch_)));
}

std::string_view SpanBuilder::key_of(Field field) const {
    const FormatWords& words = ctx_.words();
    switch (field) {
        case Field::trace_id:
            return words.trace_id;
        case Field::parent_id:
            return words.parent_id;
        default:
            return words.span_id;
    }
}

bool SpanBuilder::finish() {
    Tally& tally = ctx_.tally();
    bool keep = false;
    if (malformed_) {
        ctx_.drop(Drop::malformed_id, key_of(malformed_field_));
    } else if (span_.span_id.empty()) {
        ctx_.drop(Drop::missing_id);
    } else if (!has_start_) {
        ctx_.drop(Drop::bad_time);
    } else {
        keep = true;
    }
    bool ok = true;
    if (keep) {
        if (!has_duration_) {
            // Unfinished spans (Zipkin redirects, fire-and-forget sends) have no duration; dropping
            // them would orphan their children, so they become instants.
            ++tally.missing_duration;
        }
        if (span_.duration_us < 0) {
            span_.duration_us = 0;
            ++tally.negative_duration;
        }
        span_.error = error_flag_ || (dialect_ == Dialect::newrelic && error_key_);
        span_.attributes.assign(attrs_.begin(), attrs_.end());
        classify(span_);
        ok = ctx_.push(std::move(span_));
    }
    reset();
    return ok;
}

}  // namespace nra::formats
