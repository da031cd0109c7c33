// When main() asks the allocator for transparent huge pages (src/app/allocator.hpp).
#include "app/allocator.hpp"

#include <catch2/catch.hpp>

namespace allocator_test {

constexpr const char* kOnRequest = "always [madvise] never\n";

TEST_CASE("huge pages are asked for only when the kernel offers them on request") {
    using nra::wants_large_os_pages;
    CHECK(wants_large_os_pages("trace", false, kOnRequest));
    CHECK(wants_large_os_pages("incident", false, kOnRequest));
    CHECK_FALSE(wants_large_os_pages("trace", false, "[always] madvise never\n"));  // huge anyway
    CHECK_FALSE(wants_large_os_pages("trace", false, "always madvise [never]\n"));
    CHECK_FALSE(wants_large_os_pages("trace", false, ""));  // no /sys: nothing to ask
    // MIMALLOC_LARGE_OS_PAGES set (=0 is the opt-out): the environment decides.
    CHECK_FALSE(wants_large_os_pages("trace", true, kOnRequest));
}

TEST_CASE("the long-running commands keep pages the allocator can hand back") {
    CHECK_FALSE(nra::wants_large_os_pages("serve", false, kOnRequest));
    CHECK_FALSE(nra::wants_large_os_pages("mcp", false, kOnRequest));
}

TEST_CASE("the allocator's name says which one this build runs on") {
    const auto name = nra::allocator_name();
#if defined(__SANITIZE_ADDRESS__)
    CHECK(name == "sanitizer");  // ASan replaces malloc; mimalloc is never linked beside it
#else
    CHECK((name == "mimalloc" || name == "glibc"));
#endif
}

}  // namespace allocator_test
