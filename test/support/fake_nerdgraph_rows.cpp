// Synthetic Span rows for the fake NerdGraph's trace queries (declared in fake_nerdgraph.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "support/fake_nerdgraph.hpp"

namespace nra::test {

namespace {

nlohmann::json make_row(
    RowDialect dialect,
    const std::string& trace_id,
    std::size_t index,
    std::size_t parent,
    double start_ms,
    double duration_ms,
    const std::string& service,
    const std::string& name
) {
    nlohmann::json row;
    const auto id = fmt::format("{:016x}", index + 1);
    row["timestamp"] = static_cast<std::int64_t>(start_ms);
    row["name"] = name;
    if (dialect == RowDialect::agent) {
        row["traceId"] = trace_id;
        row["guid"] = id;
        if (index != 0) row["parentId"] = fmt::format("{:016x}", parent + 1);
        row["duration"] = duration_ms / 1000.0;
        row["appName"] = service;
        row["entity.name"] = service;
    } else {
        row["trace.id"] = trace_id;
        row["id"] = id;
        if (index != 0) row["parent.id"] = fmt::format("{:016x}", parent + 1);
        row["duration.ms"] = duration_ms;
        row["service.name"] = service;
    }
    return row;
}

}  // namespace

nlohmann::json make_trace_rows(
    const std::string& trace_id, std::size_t n, RowDialect dialect, std::int64_t end_ms
) {
    constexpr std::size_t kGroup = 100;  // one service span + 99 queries
    nlohmann::json rows = nlohmann::json::array();
    if (n == 0) return rows;
    const double total = std::max(50.0, static_cast<double>(n) * 0.3);
    const double root_start = static_cast<double>(end_ms) - total;
    auto root = make_row(dialect, trace_id, 0, 0, root_start, total, "gateway", "GET /orders");
    root["span.kind"] = "server";
    if (dialect == RowDialect::agent) root["nr.entryPoint"] = true;
    rows.push_back(root);
    const std::size_t groups = (n - 1 + kGroup - 1) / kGroup;
    const double slice = groups == 0 ? total : total / static_cast<double>(groups);
    std::size_t index = 1;
    for (std::size_t g = 0; g < groups && index < n; ++g) {
        const double start = root_start + static_cast<double>(g) * slice;
        const std::size_t service_index = index;
        rows.push_back(make_row(
            dialect,
            trace_id,
            index++,
            0,
            start,
            slice * 0.95,
            "order-service",
            "OrderRepository.load"
        ));
        const double step = slice * 0.9 / static_cast<double>(kGroup);
        for (std::size_t j = 0; j + 1 < kGroup && index < n; ++j) {
            auto row = make_row(
                dialect,
                trace_id,
                index++,
                service_index,
                start + 0.5 + static_cast<double>(j) * step,
                step * 0.8,
                "order-service",
                "Datastore/statement/Postgres/orders/select"
            );
            row["db.system"] = "postgres";
            row["db.statement"] = "SELECT * FROM orders WHERE id = ?";
            row["span.kind"] = "client";
            if (dialect == RowDialect::agent) row["category"] = "datastore";
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

nlohmann::json rebase_rows(nlohmann::json rows, std::int64_t latest_start_ms) {
    std::int64_t latest = INT64_MIN;
    for (const auto& row : rows) latest = std::max(latest, row.value("timestamp", std::int64_t{0}));
    for (auto& row : rows) {
        row["timestamp"] = row.value("timestamp", std::int64_t{0}) - latest + latest_start_ms;
    }
    return rows;
}

}  // namespace nra::test
