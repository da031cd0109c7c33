// The shared detector context: every span's call kind and normalized shape, and grouping of a
// parent's children by shape.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

#include "detector_util.hpp"
#include "nra/statement.hpp"

namespace nra::detect {
namespace {

CallKind call_kind(const Span& span) {
    if (span.kind == SpanKind::server || span.kind == SpanKind::consumer) {
        return CallKind::none;
    }
    if (is_datastore(span)) {
        return CallKind::db;
    }
    if (is_http_client(span)) {
        return CallKind::http;
    }
    if (span.kind == SpanKind::client || span.kind == SpanKind::producer) {
        return CallKind::other;
    }
    return CallKind::none;
}

std::string http_shape(const Span& span) {
    std::string target;
    if (!span.http_url.empty()) {
        target = normalize_url(span.http_url);
    } else if (!span.http_route.empty()) {
        target = std::string(span.http_route);
    } else {
        return std::string(span.name);
    }
    if (span.http_method.empty()) {
        return target;
    }
    return fmt::format("{} {}", span.http_method, target);
}

// Sentry's consecutive-DB rule (sequential_calls): a WHERE clause (any case) or a parameter.
bool has_inputs(std::string_view statement) {
    return statement.find('?') != std::string_view::npos ||
           ascii_lower(statement).find("where") != std::string::npos;
}

// Assigns shape ids; statements are normalized once per distinct raw text (spans repeat them).
class ShapeTable {
public:
    ShapeTable(Context& ctx, std::size_t n_spans) : ctx_(ctx) {
        by_statement_.reserve(n_spans);
        by_key_.reserve(n_spans);
    }

    std::int32_t shape_of(const Span& span, CallKind kind) {
        if (kind == CallKind::none) return kNoShape;
        const Source source{
            kind,
            {kind == CallKind::db ? span.db_statement : std::string_view{},
             kind == CallKind::http ? span.http_url : std::string_view{},
             kind == CallKind::http ? span.http_route : std::string_view{},
             kind == CallKind::http ? span.http_method : std::string_view{},
             span.name}};
        if (const auto it = by_source_.find(source); it != by_source_.end()) return it->second;
        const std::int32_t id = compute(span, kind);
        by_source_.emplace(source, id);
        return id;
    }

private:
    // The texts a call's shape is computed from, by address and length: spans share their pooled
    // strings, so a repeated call is found without building or hashing its text (a miss, for
    // equal texts at two addresses, only costs the computation).
    struct Source {
        CallKind kind = CallKind::none;
        std::array<std::string_view, 5> texts;
        bool operator==(const Source& o) const {
            return kind == o.kind && std::equal(
                                         texts.begin(),
                                         texts.end(),
                                         o.texts.begin(),
                                         [](std::string_view a, std::string_view b) {
                                             return a.data() == b.data() && a.size() == b.size();
                                         }
                                     );
        }
    };
    struct SourceHash {
        std::size_t operator()(const Source& s) const {
            auto h = static_cast<std::size_t>(s.kind);
            for (const auto text : s.texts) {
                h = h * 1099511628211ULL ^ std::hash<const void*>{}(text.data()) ^ text.size();
            }
            return h;
        }
    };

    std::int32_t compute(const Span& span, CallKind kind) {
        switch (kind) {
            case CallKind::db:
                return db_shape(span);
            case CallKind::http:
                return intern(kind, http_shape(span));
            case CallKind::other:
                return intern(kind, std::string(span.name));
            case CallKind::none:
                break;
        }
        return kNoShape;
    }

    std::int32_t db_shape(const Span& span) {
        if (span.db_statement.empty()) {
            return intern(CallKind::db, std::string(span.name));
        }
        if (const auto it = by_statement_.find(span.db_statement); it != by_statement_.end()) {
            return it->second;
        }
        std::string text = normalize_statement(span.db_statement);
        const std::int32_t id = intern(CallKind::db, text.empty() ? std::string(span.name) : text);
        by_statement_.emplace(span.db_statement, id);
        return id;
    }

    // The kind is part of the key so that a span name never merges with a statement of
    // another kind of call.
    std::int32_t intern(CallKind kind, std::string text) {
        std::string key(1, static_cast<char>('0' + static_cast<int>(kind)));
        key += text;
        const auto [it, added] =
            by_key_.emplace(std::move(key), static_cast<std::int32_t>(ctx_.shapes.size()));
        if (added) {
            ctx_.shape_has_inputs.push_back(kind == CallKind::db && has_inputs(text));
            ctx_.shapes.push_back(std::move(text));
        }
        return it->second;
    }

    Context& ctx_;
    std::unordered_map<std::string_view, std::int32_t> by_statement_;
    std::unordered_map<std::string, std::int32_t> by_key_;
    std::unordered_map<Source, std::int32_t, SourceHash> by_source_;
};

// Retry loops (the same exact call, every attempt but the last failed) belong to the retries
// detector; a loop over different items that all failed is still an N+1.
bool is_retry_loop(const TraceTree& tree, const std::vector<std::int32_t>& spans) {
    const Span& first = tree.span(spans.front());
    return std::all_of(
               spans.begin(),
               spans.end() - 1,
               [&](std::int32_t i) { return attempt_failed(tree.span(i)); }
           ) &&
           std::all_of(spans.begin(), spans.end(), [&](std::int32_t i) {
               return same_call(tree.span(i), first);
           });
}

}  // namespace

Context make_context(
    const TraceTree& tree,
    const std::vector<std::int64_t>& self_us,
    const DetectorThresholds& limits
) {
    Context ctx{tree, self_us, limits, {}, {}, {}, {}};
    const std::size_t n = tree.size();
    ctx.call.resize(n, CallKind::none);
    ctx.shape.resize(n, kNoShape);
    ShapeTable table(ctx, n);
    for (std::size_t i = 0; i < n; ++i) {
        const Span& span = tree.trace.spans[i];
        ctx.call[i] = call_kind(span);
        ctx.shape[i] = table.shape_of(span, ctx.call[i]);
    }
    return ctx;
}

std::vector<Group> group_children(const Context& ctx, std::int32_t parent, CallKind kind) {
    std::vector<std::int32_t> picked;
    for (const std::int32_t c : ctx.tree.children(parent)) {
        if (ctx.call[static_cast<std::size_t>(c)] == kind) {
            picked.push_back(c);
        }
    }
    // Stable: within a shape, children keep their start order.
    std::stable_sort(picked.begin(), picked.end(), [&](std::int32_t a, std::int32_t b) {
        return ctx.shape[static_cast<std::size_t>(a)] < ctx.shape[static_cast<std::size_t>(b)];
    });
    std::vector<Group> groups;
    for (const std::int32_t c : picked) {
        const std::int32_t shape = ctx.shape[static_cast<std::size_t>(c)];
        if (groups.empty() || groups.back().shape != shape) {
            groups.push_back({parent, shape, {}});
        }
        groups.back().spans.push_back(c);
    }
    return groups;
}

std::vector<Group> repeated_calls(
    const Context& ctx, CallKind kind, int min_count, double min_total_ms
) {
    std::vector<Group> found;
    for (std::size_t p = 0; p < ctx.tree.size(); ++p) {
        const auto parent = static_cast<std::int32_t>(p);
        if (ctx.tree.children(parent).size() < static_cast<std::size_t>(min_count)) {
            continue;
        }
        for (auto& group : group_children(ctx, parent, kind)) {
            if (group.spans.size() < static_cast<std::size_t>(min_count) ||
                to_ms(union_us(ctx.tree, group.spans)) < min_total_ms ||
                is_retry_loop(ctx.tree, group.spans)) {
                continue;
            }
            found.push_back(std::move(group));
        }
    }
    return found;
}

}  // namespace nra::detect
