// The allocator nr-analyzer runs on. Release builds link mimalloc (Debian libmimalloc-dev), which
// replaces malloc and free for the whole process: reading and analysing a trace makes millions of
// small allocations, and mimalloc's are cheaper than glibc's (docs/benchmarks.md, "Speed and
// memory").
//
// Page faults cost more than the analysis itself on big traces (a 100k-span file: ~34,000 faults
// of 4 KiB). Where the kernel gives transparent huge pages only on request ("[madvise]" in
// /sys/kernel/mm/transparent_hugepage/enabled), main() asks mimalloc to request them for its
// segments: 2 MiB per fault, ~1,000 faults. Only for the commands that analyse and exit: mimalloc
// never decommits part of a huge-page segment, so the long-running ones (`serve`, `mcp`) keep 4 KiB
// pages, which it can hand back. MIMALLOC_LARGE_OS_PAGES in the environment decides instead
// (=0 opts out). Sanitized builds keep the sanitizer's allocator; a build without mimalloc,
// glibc's.
#pragma once

#include <string_view>

namespace nra {

// Whether to ask for huge pages: `command` (the first argument) analyses and exits, the kernel
// offers them on request only ("[always]" gives them anyway, "[never]" not at all), and the
// environment does not choose (MIMALLOC_LARGE_OS_PAGES).
bool wants_large_os_pages(
    std::string_view command, bool option_in_environment, std::string_view thp_enabled
);

// Called first thing in main() with the first argument: applies wants_large_os_pages() to
// mimalloc. Does nothing in a build without mimalloc.
void tune_allocator(std::string_view command);

// The name of the allocator this build runs on ("mimalloc", "glibc", "sanitizer"), for --version.
std::string_view allocator_name();

}  // namespace nra
