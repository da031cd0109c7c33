#include "app/allocator.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#if defined(NRA_WITH_MIMALLOC)
#include <mimalloc.h>
#include <sys/mman.h>
#endif

namespace nra {

namespace {

#if defined(NRA_WITH_MIMALLOC)
// The libraries' start-up code allocated before main(), so mimalloc's first segment (tens of MiB,
// where the main thread's small blocks go first) was mapped without the advice. Give it now: the
// parts not touched yet then fault in 2 MiB at a time. The mapping is found in /proc/self/maps by
// the address of a block just allocated; without /proc nothing changes.
void advise_first_segment() {
    const auto probe = std::make_unique<char>();
    const auto address = reinterpret_cast<std::uintptr_t>(probe.get());
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        std::uintptr_t begin = 0;
        std::uintptr_t end = 0;
        const char* last = line.data() + line.size();
        const auto [dash, begin_error] = std::from_chars(line.data(), last, begin, 16);
        if (begin_error != std::errc{} || dash == last || *dash != '-') continue;
        if (std::from_chars(dash + 1, last, end, 16).ec != std::errc{}) continue;
        if (address < begin || address >= end) continue;
        // The address comes from the kernel's text, so the cast is the point here.
        // NOLINTNEXTLINE(performance-no-int-to-ptr)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
        return;
    }
}
#endif

}  // namespace

bool wants_large_os_pages(
    std::string_view command, bool option_in_environment, std::string_view thp_enabled
) {
    const bool long_running = command == "serve" || command == "mcp";
    return !long_running && !option_in_environment &&
           thp_enabled.find("[madvise]") != std::string_view::npos;
}

void tune_allocator(std::string_view command) {
#if defined(NRA_WITH_MIMALLOC)
    std::ifstream sys("/sys/kernel/mm/transparent_hugepage/enabled");
    const std::string thp{std::istreambuf_iterator<char>(sys), std::istreambuf_iterator<char>()};
    if (wants_large_os_pages(command, std::getenv("MIMALLOC_LARGE_OS_PAGES") != nullptr, thp)) {
        mi_option_enable(mi_option_large_os_pages);
        advise_first_segment();
    }
#else
    (void)command;
#endif
}

std::string_view allocator_name() {
#if defined(NRA_WITH_MIMALLOC)
    return "mimalloc";
#elif defined(__SANITIZE_ADDRESS__)
    return "sanitizer";
#else
    return "glibc";
#endif
}

}  // namespace nra
