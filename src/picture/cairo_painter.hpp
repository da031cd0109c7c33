// The PicturePainter adapter: draws a WaterfallPicture with cairo (image surface, toy text API,
// DejaVu Sans) and encodes it as PNG. Also reads PNGs back, for tests and golden comparisons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nra/ports/picture.hpp"
#include "nra/render/waterfall_picture.hpp"

namespace nra::picture {

// PNG bytes of the picture, or empty when cairo failed (logged).
std::string paint_png(const WaterfallPicture& picture);

// A decoded image: 8-bit RGB per pixel (alpha dropped; our pictures are opaque), row-major.
struct PngImage {
    int width = 0;
    int height = 0;
    std::vector<Rgb> pixels;

    const Rgb& at(int x, int y) const {
        return pixels
            [static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
             static_cast<std::size_t>(x)];
    }
};

// Decodes PNG bytes; nullopt when they are not a readable PNG.
std::optional<PngImage> read_png(std::string_view png);

class CairoPainter final : public PicturePainter {
public:
    explicit CairoPainter(PictureOptions options = {}) : options_(options) {}
    std::string waterfall_png(const TraceTree& tree, const Summary& summary) override;

private:
    PictureOptions options_;
};

}  // namespace nra::picture
