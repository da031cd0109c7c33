// Hand-built Summary values for the renderer tests: a small realistic checkout trace, an empty
// one, and an enormous hostile one (500 findings, 5,000-char names full of <&> and multi-byte
// UTF-8), plus checks shared by the render_*_test files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "nra/analysis/summary.hpp"

namespace nra::test {

// Checkout request: 4 findings, 2 errors (origin first), 6-segment critical path.
inline Summary small_summary() {
    Summary s;
    s.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    s.complete = true;
    s.span_count = 312;
    s.service_count = 4;
    s.duration_ms = 1450.0;
    s.start_us = 1'700'000'000'000'000;
    s.root = {"a1", "frontend", "GET /checkout", 1450.0};
    s.request = "GET /checkout";
    s.path = {"frontend", "checkout", "order-service", "payment-service"};
    s.services = {
        {"order-service", 120, 820.12345, 0},
        {"checkout", 90, 310.5, 1},
        {"payment-service", 60, 200.0, 1},
        {"frontend", 42, 119.4, 0},
    };
    s.operations = {{"order-service", "SELECT items", 48, 520.0, 500.0}};
    s.critical_path = {
        {"a1", "frontend", "GET /checkout", 0.0, 12.5, 0},
        {"b2", "checkout", "POST /api/checkout", 12.5, 300.0, 1},
        {"c3", "order-service", "SELECT items", 312.5, 700.0, 2},
        {"d4", "payment-service", "POST /charge", 1012.5, 400.0, 2},
        {"e5", "checkout", "POST /api/checkout", 1412.5, 30.0, 1},
        {"f6", "frontend", "GET /checkout", 1442.5, 7.5, 0},
    };
    s.slow_spans = {
        {"c3", "order-service", "SELECT items", 700.0, 650.0},
        {"d4", "payment-service", "POST /charge", 400.0, 200.0},
    };
    s.errors = {
        {"d4", "payment-service", "POST /charge", "card declined", "CardDeclined", 402, true},
        {"b2", "checkout", "POST /api/checkout", "upstream failed", "", 500, false},
    };
    Finding n1{
        "n_plus_one_db",
        "order-service",
        "48 identical SELECTs under GET /cart: N+1",
        {"c3", "c4"},
        48,
        520.0,
        410.0,
        "SELECT * FROM items WHERE id = ?",
        "Load the items in one query (WHERE id IN …).",
        "CartRepository.load (cart.py:42)"};
    Finding seq{
        "sequential_calls",
        "checkout",
        "3 independent calls run one after another",
        {"x1", "x2", "x3"},
        3,
        300.0,
        200.0,
        "",
        "Run them in parallel.",
        ""};
    Finding slow{
        "slow_db",
        "order-service",
        "A 700 ms query",
        {"c3"},
        1,
        700.0,
        150.0,
        "SELECT * FROM items",
        "",
        ""};
    Finding gap{
        "uninstrumented_gap",
        "checkout",
        "120 ms without spans",
        {"b2"},
        1,
        120.0,
        0.0,
        "",
        "",
        ""};
    s.findings = {n1, seq, slow, gap};
    s.notes = {"1 span re-keyed (duplicate id)"};
    return s;
}

// The small summary with the analysis' folded rows: the 48 SELECTs of the N+1 loop are one row.
inline Summary folded_summary() {
    Summary s = small_summary();
    // Each row whole on the path, except the root: 1,412.5 ms long, 20 ms of it on the path.
    s.path_rows = {
        {"frontend",
         "GET /checkout",
         0,
         1,
         0.0,
         1412.5,
         "a1",
         {},
         20.0,
         {{0.0, 12.5}, {1405.0, 1412.5}}},
        {"checkout", "POST /api/checkout", 1, 1, 12.5, 330.0, "b2", {}, 330.0, {}},
        {"order-service", "SELECT items", 2, 48, 312.5, 700.0, "c3", {}, 700.0, {}},
        {"payment-service", "POST /charge", 2, 1, 1012.5, 400.0, "d4", {}, 400.0, {}},
    };
    for (auto& row : s.path_rows) {
        if (row.path_parts.empty())
            row.path_parts = {{row.start_ms, row.start_ms + row.duration_ms}};
    }
    return s;
}

inline Summary empty_summary() {
    Summary s;
    s.trace_id = "0000000000000000";
    s.complete = false;
    s.assembly.missing_root = true;
    return s;
}

// Repeats a hostile unit until the string holds at least `chars` bytes.
inline std::string hostile(std::size_t chars, std::string_view seed) {
    std::string out(seed);
    const std::string_view unit = "<&>é€😀`*_\n\t\x1b[31m";
    while (out.size() < chars) {
        out.append(unit);
    }
    return out;
}

inline Summary enormous_summary() {
    Summary s = small_summary();
    s.complete = false;
    s.assembly.orphans = 12;
    s.trace_id = hostile(300, "id<&>");
    s.request = hostile(5000, "GET /<script>&");
    s.span_count = 1'000'000;
    s.service_count = 200;
    s.path.clear();
    s.services.clear();
    for (int i = 0; i < 200; ++i) {
        s.path.push_back(hostile(5000, "svc" + std::to_string(i)));
        s.services.push_back({hostile(5000, "svc" + std::to_string(i)), 10, 1000.0 - i, i % 3});
    }
    s.critical_path.clear();
    for (int i = 0; i < 5000; ++i) {
        const std::size_t size = i < 50 ? 5000 : 100;  // keeps the test fast under sanitizers
        s.critical_path.push_back(
            {std::to_string(i), hostile(size, "svc"), hostile(size, "op"), i * 0.29, 0.29, i}
        );
    }
    s.findings.clear();
    for (int i = 0; i < 500; ++i) {
        const std::string tag = "F" + std::to_string(i) + "<&>";
        s.findings.push_back(
            {i % 2 == 0 ? "n_plus_one_db" : "new_kind<&>",
             hostile(5000, tag),
             hostile(5000, tag),
             {"s1", "s2"},
             40,
             500.0 - i * 0.5,
             400.0 - i * 0.5,
             hostile(5000, tag),
             hostile(5000, tag),
             hostile(5000, tag)}
        );
    }
    s.errors.clear();
    for (int i = 0; i < 1000; ++i) {
        const std::size_t size = i < 50 ? 5000 : 100;
        s.errors.push_back(
            {std::to_string(i),
             hostile(size, "esvc"),
             hostile(size, "eop"),
             hostile(size, "msg"),
             hostile(size, "cls"),
             500,
             i == 0}
        );
    }
    s.slow_spans.assign(50, SlowSpan{"x", hostile(5000, "slow"), hostile(5000, "op"), 9.0, 8.0});
    s.notes.assign(300, hostile(5000, "note"));
    for (int i = 0; i < 300; ++i) {
        s.notes[static_cast<std::size_t>(i)] += std::to_string(i);
    }
    return s;
}

// True when text is well-formed UTF-8.
inline bool valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c < 0x80         ? 1
                                : (c >> 5) == 6  ? 2
                                : (c >> 4) == 14 ? 3
                                : (c >> 3) == 30 ? 4
                                                 : 0;
        if (len == 0 || i + len > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

// Code points in valid UTF-8.
inline std::size_t code_points(std::string_view text) {
    std::size_t n = 0;
    for (const char c : text) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

// UTF-16 code units in valid UTF-8 (what Slack counts, conservatively).
inline std::size_t utf16_units(std::string_view text) {
    std::size_t n = 0;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        n += (b & 0xC0) != 0x80 ? ((b >> 3) == 30 ? 2 : 1) : 0;
    }
    return n;
}

}  // namespace nra::test
