// PicturePainter port: turns an analysed trace into a waterfall picture (PNG bytes). The cairo
// adapter (src/picture/) implements it; handlers call it through Services on the CPU pool.
// Synchronous and CPU-bound: nothing here waits on the network.
#pragma once

#include <string>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"

namespace nra {

class PicturePainter {
public:
    virtual ~PicturePainter() = default;
    // PNG bytes, or empty when the picture could not be drawn (logged by the adapter).
    virtual std::string waterfall_png(const TraceTree& tree, const Summary& summary) = 0;
};

}  // namespace nra
