#include "summarize_parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace nra::summary_parts {
namespace {

using OpKey = std::pair<std::string_view, std::string_view>;
struct OpKeyHash {
    std::size_t operator()(const OpKey& k) const {
        return hash_string(k.first) * 31U + hash_string(k.second);
    }
};

std::string error_message(const Span& sp) {
    if (!sp.error_message.empty()) return std::string(sp.error_message);
    if (!sp.error_class.empty()) return std::string(sp.error_class);
    if (sp.http_status > 0) return fmt::format("HTTP {}", sp.http_status);
    return "error";
}

}  // namespace

void fill_services(const TraceTree& tree, const std::vector<std::int64_t>& self, Summary& s) {
    std::unordered_map<std::string_view, std::size_t> at;
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const Span& sp = tree.trace.spans[i];
        if (sp.synthetic) continue;
        auto [it, added] = at.emplace(sp.service, s.services.size());
        if (added) s.services.push_back({std::string(sp.service), 0, 0, 0});
        auto& st = s.services[it->second];
        ++st.span_count;
        st.self_ms += to_ms(self[i]);
        st.error_count += sp.error ? 1 : 0;
    }
    std::stable_sort(s.services.begin(), s.services.end(), [](const auto& a, const auto& b) {
        return a.self_ms != b.self_ms ? a.self_ms > b.self_ms : a.service < b.service;
    });
    s.service_count = static_cast<int>(s.services.size());
}

void fill_operations(
    const TraceTree& tree, const std::vector<std::int64_t>& self, std::size_t limit, Summary& s
) {
    std::unordered_map<OpKey, OperationStat, OpKeyHash> ops;
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const Span& sp = tree.trace.spans[i];
        if (sp.synthetic) continue;
        auto& op = ops[{sp.service, sp.name}];
        if (op.count == 0) {
            op.service = std::string(sp.service);
            op.name = std::string(sp.name);
        }
        ++op.count;
        op.total_ms += to_ms(sp.duration_us);
        op.self_ms += to_ms(self[i]);
    }
    for (auto& [key, op] : ops) s.operations.push_back(std::move(op));
    std::sort(s.operations.begin(), s.operations.end(), [](const auto& a, const auto& b) {
        if (a.self_ms != b.self_ms) return a.self_ms > b.self_ms;
        return a.service != b.service ? a.service < b.service : a.name < b.name;
    });
    if (s.operations.size() > limit) s.operations.resize(limit);
}

void fill_errors(const TraceTree& tree, std::size_t limit, Summary& s) {
    const auto roles = error_roles(tree);
    std::vector<std::int32_t> errs;
    for (const auto i : tree.order) {
        if (tree.span(i).error) errs.push_back(i);
    }
    // Origins first (the furthest-propagated first), then the failures they caused, then the
    // handled ones; ties in time order.
    auto rank = [&](std::int32_t i) {
        const auto& r = roles[static_cast<std::size_t>(i)];
        return r.origin ? 0 : (r.handled ? 2 : 1);
    };
    std::stable_sort(errs.begin(), errs.end(), [&](std::int32_t a, std::int32_t b) {
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        const int la = roles[static_cast<std::size_t>(a)].levels;
        const int lb = roles[static_cast<std::size_t>(b)].levels;
        if (rank(a) == 0 && la != lb) return la > lb;
        return tree.span(a).start_us < tree.span(b).start_us;
    });
    for (const auto e : errs) {
        if (s.errors.size() >= limit) break;
        const Span& sp = tree.span(e);
        s.errors.push_back(
            {std::string(sp.span_id),
             std::string(sp.service),
             std::string(sp.name),
             error_message(sp),
             std::string(sp.error_class),
             sp.http_status,
             roles[static_cast<std::size_t>(e)].origin}
        );
    }
}

}  // namespace nra::summary_parts
