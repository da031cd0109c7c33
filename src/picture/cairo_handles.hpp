// Owning handles for cairo objects, so every early return frees them.
#pragma once

#include <cairo.h>

#include <memory>

namespace nra::picture {

struct SurfaceFree {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextFree {
    void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceFree>;
using Context = std::unique_ptr<cairo_t, ContextFree>;

}  // namespace nra::picture
