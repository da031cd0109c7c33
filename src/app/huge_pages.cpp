#include "app/huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace nra {

namespace {
constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
}

bool wants_huge_pages(std::string_view tunables, std::string_view thp_enabled) {
    return thp_enabled.find("[madvise]") != std::string_view::npos &&
           tunables.find(kTunable) == std::string_view::npos;
}

void reexec_with_huge_pages(char** argv) {
#if defined(__SANITIZE_ADDRESS__)
    (void)argv;  // the sanitizer's allocator does not read glibc's tunables
#else
    std::ifstream sys("/sys/kernel/mm/transparent_hugepage/enabled");
    const std::string thp{std::istreambuf_iterator<char>(sys), std::istreambuf_iterator<char>()};
    const char* current = std::getenv("GLIBC_TUNABLES");
    const std::string tunables = current == nullptr ? "" : current;
    if (!wants_huge_pages(tunables, thp)) return;
    const std::string wanted =
        (tunables.empty() ? "" : tunables + ":") + std::string(kTunable) + "=1";
    if (setenv("GLIBC_TUNABLES", wanted.c_str(), 1) != 0) return;
    execv("/proc/self/exe", argv);
    // exec failed (no /proc, say): go on as we are, without the tunable in the environment.
    if (current == nullptr) {
        unsetenv("GLIBC_TUNABLES");
    } else {
        setenv("GLIBC_TUNABLES", current, 1);
    }
#endif
}

}  // namespace nra
