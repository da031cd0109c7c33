// New Relic rows without a DOM: the documents that matter most for speed (NerdGraph answers as the
// fetcher joins them, exported NRQL results) read with simdjson's On-Demand API, straight from the
// document: no tape, and strings are not copied unless they hold escapes. For a 100k-span file this
// halves the reading time and saves ~70 MB (docs/benchmarks.md, "Speed and memory").
//
// Only the plain shapes are taken: {"data":{"actor":{"account"|…:{"nrql":{"results":[rows]}}}}}
// with nothing else in the envelope, or a bare array of rows whose first row detect_shape() would
// call New Relic, every value a scalar. Anything else (an "errors" list, a nested value, an empty
// list, a big integer, malformed JSON anywhere) returns false and the DOM readers read the
// document from the start, so both paths give the same Trace, warnings and errors.
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "readers.hpp"

namespace nra::formats {
namespace {

namespace od = simdjson::ondemand;
constexpr auto kOk = simdjson::SUCCESS;

// Reads rows into a ReadContext. A nested value (rare in New Relic rows) is parsed again on its own
// with a DOM parser, so that it reads exactly as the DOM readers read it: it is used (interned) by
// SpanBuilder::apply before the next one replaces it.
struct RowReader {
    ReadContext& ctx;
    dom::parser nested{};

    // One value as a Scalar; false for a big integer or malformed JSON.
    bool scalar_of(od::value value, Scalar& out) {
        od::json_type type{};
        if (value.type().get(type) != kOk) return false;
        using T = Scalar::Type;
        switch (type) {
            case od::json_type::string: {
                std::string_view token = value.raw_json_token();  // "…" and the spaces after it
                const auto close = token.find_last_of('"');
                if (close == std::string_view::npos || close == 0) return false;
                token = token.substr(1, close - 1);
                if (token.find('\\') == std::string_view::npos) {
                    out.text = token;  // in the document itself, which outlives the read
                } else if (value.get_string().get(out.text) != kOk) {
                    return false;  // unescaped into the parser's string buffer (kept all read)
                }
                out.type = T::string;
                return true;
            }
            case od::json_type::number:
                return number_of(value, out);
            case od::json_type::boolean:
                out.type = T::boolean;
                return value.get_bool().get(out.b) == kOk;
            case od::json_type::null: {
                bool null = false;
                return value.is_null().get(null) == kOk && null;  // out stays Type::null
            }
            case od::json_type::array: {
                od::array array;
                std::string_view raw;
                return value.get_array().get(array) == kOk && array.raw_json().get(raw) == kOk &&
                       nested_of(raw, out);
            }
            case od::json_type::object: {
                od::object object;
                std::string_view raw;
                return value.get_object().get(object) == kOk && object.raw_json().get(raw) == kOk &&
                       nested_of(raw, out);
            }
        }
        return false;
    }

    static bool number_of(od::value value, Scalar& out) {
        od::number_type kind{};
        if (value.get_number_type().get(kind) != kOk) return false;
        switch (kind) {
            case od::number_type::signed_integer:
                out.type = Scalar::Type::integer;
                return value.get_int64().get(out.i) == kOk;
            case od::number_type::unsigned_integer:
                out.type = Scalar::Type::unsigned_integer;
                return value.get_uint64().get(out.u) == kOk;
            case od::number_type::floating_point_number:
                out.type = Scalar::Type::number;
                return value.get_double().get(out.d) == kOk;
            default:
                return false;  // a big integer: the DOM parser refuses the document
        }
    }

    bool nested_of(std::string_view raw, Scalar& out) {
        dom::element element;
        if (nested.parse(raw.data(), raw.size(), true).get(element) != kOk) return false;
        out = to_scalar(element);
        return true;
    }

    // Every row of `rows` (`count` of them, counted first); false for malformed JSON.
    bool read(od::array rows, std::size_t count) {
        ctx.reserve(count);
        SpanBuilder builder(ctx, Dialect::newrelic);
        KeySequence keys(Dialect::newrelic);
        for (auto row : rows) {
            od::value value;
            od::json_type type{};
            if (row.get(value) != kOk || value.type().get(type) != kOk) return false;
            if (type != od::json_type::object) {
                ctx.drop(Drop::not_object);  // as the DOM reader does; the loop skips the value
                continue;
            }
            od::object obj;
            if (value.get_object().get(obj) != kOk) return false;
            std::size_t position = 0;
            for (auto field : obj) {
                std::string_view key;
                Scalar scalar;
                if (field.unescaped_key().get(key) != kOk || !scalar_of(field.value(), scalar)) {
                    return false;
                }
                builder.apply(keys.at(position++, key), scalar);
            }
            if (!builder.finish()) return true;  // ctx.error() is set: the read is over
        }
        return true;
    }
};

// The rows of a results array; an empty one is left to the DOM readers (their notes say why).
bool read_rows(od::array rows, ReadContext& ctx) {
    std::size_t count = 0;
    if (rows.count_elements().get(count) != kOk || count == 0) return false;
    RowReader reader{ctx};
    return reader.read(rows, count);
}

// `obj`'s only member must be `key`; `inner` reads its value (and consumes it, so that the walk
// goes on to the end of the document).
template <class Inner>
bool only_member(od::object obj, std::string_view key, Inner&& inner) {
    bool found = false;
    for (auto result : obj) {
        od::field field;
        std::string_view name;
        if (found || std::move(result).get(field) != kOk ||
            field.unescaped_key().get(name) != kOk || name != key || !inner(field.value())) {
            return false;
        }
        found = true;
    }
    return found;
}

template <class Inner>
bool only_member(od::value value, std::string_view key, Inner&& inner) {
    od::object obj;
    return value.get_object().get(obj) == kOk && only_member(obj, key, inner);
}

// What detect_shape() says of an array whose first item is this row, as far as the fast path
// needs it: New Relic when a key is dotted or one of New Relic's own, and not Jaeger or a batch.
bool first_row_is_newrelic(od::object row) {
    static constexpr std::array<std::string_view, 4> kNewRelicKeys{
        "guid", "appName", "category", "attributes"};
    bool newrelic = false;
    bool trace_id = false;
    bool operation = false;
    for (auto field : row) {
        std::string_view key;
        if (field.unescaped_key().get(key) != kOk) return false;
        if (key == "spanID" || key == "spans") return false;
        trace_id = trace_id || key == "traceID";
        operation = operation || key == "operationName";
        newrelic =
            newrelic || key.find('.') != std::string_view::npos ||
            std::find(kNewRelicKeys.begin(), kNewRelicKeys.end(), key) != kNewRelicKeys.end();
    }
    return newrelic && !(trace_id && operation);
}

bool read_envelope(od::document& doc, ReadContext& ctx) {
    const auto results = [&ctx](od::value value) {
        od::array rows;
        return value.get_array().get(rows) == kOk && read_rows(rows, ctx);
    };
    const auto nrql = [&](od::value value) { return only_member(value, "results", results); };
    const auto account = [&](od::value value) { return only_member(value, "nrql", nrql); };
    const auto actor = [&](od::value value) {  // {"account":{"nrql":…}} or {"nrql":…}
        od::object obj;
        if (value.get_object().get(obj) != kOk) return false;
        bool found = false;
        for (auto result : obj) {
            od::field field;
            std::string_view name;
            if (found || std::move(result).get(field) != kOk ||
                field.unescaped_key().get(name) != kOk ||
                !(name == "nrql" ? nrql(field.value()) : name == "account" && account(field.value())
                )) {
                return false;
            }
            found = true;
        }
        return found;
    };
    const auto data = [&](od::value value) { return only_member(value, "actor", actor); };
    od::object root;
    ctx.set_words(kNewRelicResponseWords);
    return doc.get_object().get(root) == kOk && only_member(root, "data", data);
}

bool read_bare_rows(od::document& doc, ReadContext& ctx) {
    od::array rows;
    od::object first;
    if (doc.get_array().get(rows) != kOk) return false;
    for (auto row : rows) {
        if (row.get_object().get(first) != kOk || !first_row_is_newrelic(first)) return false;
        break;
    }
    if (doc.rewind(), doc.get_array().get(rows) != kOk) return false;
    ctx.set_words(kNewRelicRowWords);
    return read_rows(rows, ctx);
}

// Nothing follows the document's value (on-demand parsing stops where the reading stopped).
bool at_end(od::document& doc) {
    return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

simdjson::padded_string_view padded_input(std::string_view padded) {
    return simdjson::padded_string_view(padded.data(), padded.size(), padded.size() + kJsonPadding);
}

}  // namespace

bool read_newrelic_on_demand(od::parser& parser, std::string_view padded, ReadContext& ctx) {
    od::document doc;
    if (parser.iterate(padded_input(padded)).get(doc) != kOk) return false;
    od::json_type type{};
    if (doc.type().get(type) != kOk) return false;
    const bool read = type == od::json_type::object  ? read_envelope(doc, ctx)
                      : type == od::json_type::array ? read_bare_rows(doc, ctx)
                                                     : false;
    // Every row was read and nothing follows the document: otherwise the DOM decides.
    return read && (ctx.error() || at_end(doc));
}

std::optional<std::size_t> read_newrelic_page(
    od::parser& parser, std::string_view padded, ReadContext& ctx
) {
    od::document doc;
    od::array rows;
    std::size_t count = 0;
    if (parser.iterate(padded_input(padded)).get(doc) != kOk || doc.get_array().get(rows) != kOk ||
        rows.count_elements().get(count) != kOk) {
        return std::nullopt;
    }
    RowReader reader{ctx};
    if (!reader.read(rows, count) || !(ctx.error() || at_end(doc))) return std::nullopt;
    return count;
}

}  // namespace nra::formats
