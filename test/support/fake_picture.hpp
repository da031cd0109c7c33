// A PicturePainter for handler tests: fixed "PNG" bytes, and what it was asked to paint.
#pragma once

#include <string>
#include <vector>

#include "nra/ports/picture.hpp"

namespace nra::test {

class FakePicturePainter final : public PicturePainter {
public:
    static constexpr const char* kBytes = "\x89PNG\r\n\x1a\nfake waterfall";

    std::string waterfall_png(const TraceTree& /*tree*/, const Summary& summary) override {
        painted.push_back(summary.trace_id);
        return kBytes;
    }
    std::vector<std::string> painted;  // trace ids, in order
};

}  // namespace nra::test
