// When main() re-executes itself with glibc's huge-page tunable (src/app/huge_pages.hpp).
#include "app/huge_pages.hpp"

#include <catch2/catch.hpp>

namespace huge_pages_test {

TEST_CASE("huge pages are asked for only when the kernel offers them on request") {
    using nra::wants_huge_pages;
    CHECK(wants_huge_pages("", "always [madvise] never\n"));
    CHECK(wants_huge_pages("glibc.malloc.arena_max=2", "always [madvise] never\n"));
    CHECK_FALSE(wants_huge_pages("", "[always] madvise never\n"));  // already huge
    CHECK_FALSE(wants_huge_pages("", "always madvise [never]\n"));
    CHECK_FALSE(wants_huge_pages("", ""));  // no /sys: nothing to ask
    // Chosen already (=0 is the opt-out), or the re-executed process itself: never again.
    CHECK_FALSE(wants_huge_pages("glibc.malloc.hugetlb=0", "always [madvise] never\n"));
    CHECK_FALSE(wants_huge_pages("a=1:glibc.malloc.hugetlb=1", "always [madvise] never\n"));
}

}  // namespace huge_pages_test
