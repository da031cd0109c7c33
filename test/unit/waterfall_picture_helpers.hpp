// Shared by the waterfall picture's layout tests: analyse a built trace, lay it out, and a small
// checkout trace with an N+1.
#pragma once

#include <string>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/render/waterfall_picture.hpp"
#include "support/trace_builder.hpp"

namespace nra::test::picture {

struct Analysed {
    nra::TraceTree tree;
    nra::Summary summary;
};

inline Analysed analyse(const TraceBuilder& b) {
    Analysed a{nra::assemble(b.build()), {}};
    a.summary = nra::summarize(a.tree);
    return a;
}

inline nra::WaterfallPicture picture_of(const Analysed& a, const nra::PictureOptions& o = {}) {
    return nra::layout_waterfall(a.tree, a.summary, o);
}

// A checkout: frontend → order-service handler → 10 identical SELECTs (an N+1) → one UPDATE.
inline TraceBuilder checkout() {
    TraceBuilder b;
    b.add("root", "", "frontend", "GET /cart", 0, 100'000);
    b.add("h", "root", "order-service", "CartController.show", 1'000, 98'000);
    for (int i = 0; i < 10; ++i) {
        b.add("q" + std::to_string(i), "h", "mysql", "SELECT items", 2'000 + i * 8'000, 7'000);
    }
    b.add("u", "h", "mysql", "UPDATE cart", 85'000, 10'000);
    return b;
}

}  // namespace nra::test::picture
