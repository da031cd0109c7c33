// Transparent huge pages for the allocator: glibc backs big allocations with fresh pages that the
// kernel faults in 4 KiB at a time. Reading a 100k-span trace touched ~190 MB in ~49,000 page
// faults, which cost more than the analysis itself (0.32 s of system time in 0.78 s). With the
// glibc tunable glibc.malloc.hugetlb=1, malloc asks the kernel for transparent huge pages
// (madvise), 2 MiB per fault: the same run took 0.30 s. Tunables are read when a process starts,
// so main() sets it and executes the program again, once (README, "Speed and memory").
#pragma once

#include <string_view>

namespace nra {

// Whether to re-execute with the tunable: the kernel offers huge pages on request only
// ("[madvise]" in /sys/kernel/mm/transparent_hugepage/enabled; "[always]" needs nothing) and
// GLIBC_TUNABLES does not already choose (glibc.malloc.hugetlb=0 there opts out).
bool wants_huge_pages(std::string_view tunables, std::string_view thp_enabled);

// Re-executes /proc/self/exe with glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES when
// wants_huge_pages(); returns (changing nothing) when not, in sanitized builds, or when exec fails.
void reexec_with_huge_pages(char** argv);

}  // namespace nra
