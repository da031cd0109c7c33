#include "http/gzip.hpp"

#include <zlib.h>

#include <array>
#include <limits>

namespace nra::http::detail {

namespace {

// Owns the z_stream so every exit path calls inflateEnd.
class Inflater {
public:
    Inflater() { ok_ = inflateInit2(&stream_, 15 + 32) == Z_OK; }  // 32: gzip or zlib header
    ~Inflater() {
        if (ok_) inflateEnd(&stream_);
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    bool ok() const { return ok_; }
    z_stream& stream() { return stream_; }

private:
    z_stream stream_{};
    bool ok_ = false;
};

}  // namespace

GunzipStatus gunzip(std::string_view in, std::size_t max_bytes, std::string& out) {
    out.clear();
    if (in.size() > std::numeric_limits<uInt>::max()) return GunzipStatus::too_large;
    Inflater inflater;
    if (!inflater.ok()) return GunzipStatus::corrupt;
    z_stream& z = inflater.stream();
    // zlib's API takes non-const input pointers but never writes through them.
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    std::array<char, std::size_t{16} * 1024> chunk{};
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(chunk.data());
        z.avail_out = static_cast<uInt>(chunk.size());
        const int rc = inflate(&z, Z_NO_FLUSH);
        const std::size_t produced = chunk.size() - z.avail_out;
        if (out.size() + produced > max_bytes) return GunzipStatus::too_large;
        out.append(chunk.data(), produced);
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0) return GunzipStatus::ok;
            if (inflateReset(&z) != Z_OK) return GunzipStatus::corrupt;  // next member
            continue;
        }
        if (rc != Z_OK) return GunzipStatus::corrupt;  // Z_DATA_ERROR, Z_BUF_ERROR: bad input
        if (z.avail_in == 0 && produced == 0) return GunzipStatus::corrupt;  // truncated
    }
}

}  // namespace nra::http::detail
