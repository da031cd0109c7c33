# How the build stays fast on a 2-core machine (figures: docs/development.md, "Build times").
#  - Unity builds: several sources per compiler run, so the heavy headers (Asio, Beast, nlohmann,
#    fmt, Catch2) are parsed and their templates instantiated once per batch instead of once per
#    file. A batch never crosses a source folder (nra_unity_by_folder), so file-local names need
#    only be unique within their folder, and a new file only regroups its own folder.
#  - The fastest linker Debian has: mold, else lld, else the default.
#  - ccache when it is installed (it pays on rebuilds after a branch switch, not on a fresh clone).
include_guard(GLOBAL)
include(CheckLinkerFlag)

option(NRA_UNITY_BUILD "Compile several sources per compiler run (unity build)" ON)
set(NRA_UNITY_BATCH_SIZE 8 CACHE STRING "Sources per unity batch (0: a whole folder)")
set(CMAKE_UNITY_BUILD ${NRA_UNITY_BUILD})

# Puts the target's sources into unity batches folder by folder: each folder's files, in name
# order, in chunks of NRA_UNITY_BATCH_SIZE. Generated sources (the embedded demo data) stay alone.
function(nra_unity_by_folder target)
  if(NOT NRA_UNITY_BUILD)
    return()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD_MODE GROUP)
  get_target_property(sources ${target} SOURCES)
  get_target_property(target_dir ${target} SOURCE_DIR)
  list(SORT sources)
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.cpp$" OR source MATCHES "/generated/")
      continue()
    endif()
    get_filename_component(path ${source} ABSOLUTE BASE_DIR ${target_dir})
    get_filename_component(folder ${path} DIRECTORY)
    file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${folder})
    string(MAKE_C_IDENTIFIER "${folder}" key)
    if(NOT DEFINED count_${key})
      set(count_${key} 0)
    endif()
    if(NRA_UNITY_BATCH_SIZE GREATER 0)
      math(EXPR chunk "${count_${key}} / ${NRA_UNITY_BATCH_SIZE}")
    else()
      set(chunk 0)
    endif()
    math(EXPR count_${key} "${count_${key}} + 1")
    set_source_files_properties(${path} TARGET_DIRECTORY ${target} PROPERTIES UNITY_GROUP
                                                                             "${key}_${chunk}")
  endforeach()
endfunction()

set(NRA_LINKER "" CACHE STRING "Linker for -fuse-ld= (empty: mold, else lld, else the default)")
if(NRA_LINKER STREQUAL "")
  foreach(candidate mold lld)
    check_linker_flag(CXX -fuse-ld=${candidate} NRA_HAS_LINKER_${candidate})
    if(NRA_HAS_LINKER_${candidate})
      set(NRA_LINKER_FOUND ${candidate})
      break()
    endif()
  endforeach()
else()
  set(NRA_LINKER_FOUND ${NRA_LINKER})
endif()
if(NRA_LINKER_FOUND)
  add_link_options(-fuse-ld=${NRA_LINKER_FOUND})
  message(STATUS "nr-analyzer: linking with ${NRA_LINKER_FOUND}")
endif()

# GCC collects its garbage less often when allowed a bigger heap: 5-15 % faster on the Beast- and
# Catch-heavy unity batches, at a few hundred MB more per compiler (the machines have 24 GB).
# Only with unity batches: file by file it hardly matters, and the tooling preset's compile
# commands stay free of GCC-only flags that clang-tidy would reject.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NRA_UNITY_BUILD)
  add_compile_options("SHELL:--param ggc-min-expand=100" "SHELL:--param ggc-min-heapsize=524288")
endif()

find_program(NRA_CCACHE ccache)
if(NRA_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${NRA_CCACHE})
  message(STATUS "nr-analyzer: compiling through ${NRA_CCACHE}")
endif()
