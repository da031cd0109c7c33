# Fails unless every test file (<folder>/<stem>.cpp) keeps its code in `namespace <stem> { }`: the
# test executables are unity builds, and two files' helpers must never meet in one batch.
#   cmake -DROOT=<test dir> -P namespace_check.cmake
file(GLOB files ${ROOT}/unit/*_test.cpp ${ROOT}/handlers/*_test.cpp ${ROOT}/adapters/*_test.cpp
     ${ROOT}/e2e/*_test.cpp)
set(bad "")
foreach(file IN LISTS files)
  get_filename_component(stem ${file} NAME_WE)
  file(READ ${file} text)
  string(FIND "${text}" "\nnamespace ${stem} {\n" open)
  string(FIND "${text}" "\n}  // namespace ${stem}\n" close)
  if(open EQUAL -1 OR close EQUAL -1)
    list(APPEND bad ${file})
  endif()
endforeach()
if(NOT files)
  message(FATAL_ERROR "no test files under ${ROOT}")
endif()
if(bad)
  list(JOIN bad "\n  " listed)
  message(FATAL_ERROR "test files without their own namespace:\n  ${listed}")
endif()
