// read_png: PNG bytes back into pixels with cairo, for tests and golden comparisons.
#include <cairo.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "picture/cairo_handles.hpp"
#include "picture/cairo_painter.hpp"

namespace nra::picture {
namespace {

struct PngReader {
    std::string_view data;
    std::size_t pos = 0;
};

cairo_status_t read_bytes(void* closure, unsigned char* data, unsigned int length) {
    auto* reader = static_cast<PngReader*>(closure);
    if (reader->data.size() - reader->pos < length) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, reader->data.data() + reader->pos, length);
    reader->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

// One ARGB32/RGB24 pixel (native-endian, premultiplied alpha) as straight RGB.
Rgb unpack(std::uint32_t px, bool has_alpha) {
    const std::uint32_t a = has_alpha ? px >> 24 : 255;
    const auto channel = [&](int shift) {
        const std::uint32_t v = (px >> shift) & 0xFF;
        return static_cast<std::uint8_t>(a == 0 ? 0 : std::min<std::uint32_t>(255, v * 255 / a));
    };
    return {channel(16), channel(8), channel(0)};
}

}  // namespace

std::optional<PngImage> read_png(std::string_view png) {
    PngReader reader{png};
    Surface surface(cairo_image_surface_create_from_png_stream(read_bytes, &reader));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return std::nullopt;
    const cairo_format_t format = cairo_image_surface_get_format(surface.get());
    if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24) return std::nullopt;
    cairo_surface_flush(surface.get());
    PngImage image;
    image.width = cairo_image_surface_get_width(surface.get());
    image.height = cairo_image_surface_get_height(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    image.pixels.reserve(static_cast<std::size_t>(image.width) * image.height);
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            std::uint32_t px = 0;
            std::memcpy(
                &px, data + (static_cast<std::ptrdiff_t>(y) * stride) + (std::ptrdiff_t{4} * x), 4
            );
            image.pixels.push_back(unpack(px, format == CAIRO_FORMAT_ARGB32));
        }
    }
    return image;
}

}  // namespace nra::picture
