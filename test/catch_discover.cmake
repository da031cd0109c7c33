# Registers every Catch2 test case of one test executable with CTest, each as its own test named
# "<PREFIX><file>: <test case>", where <file> is the stem of the source file that defines the case
# without "_test" (so "assemble: ..." stays "assemble: ..." although the folder is one executable).
# Run after each link (POST_BUILD) as
#   cmake -DEXE=<test executable> -DPREFIX=<e.g. "e2e."> -DWORKDIR=<dir> -DOUT=<file> -P this
# One run of the executable: `--list-test-names-only --verbosity high` prints "name<TAB>@file:line".
# ctest itself splits test names at ';', so no name may hold one (a hygiene test checks that).

execute_process(
  COMMAND "${EXE}" --list-test-names-only --verbosity high
  OUTPUT_VARIABLE listing
  ERROR_VARIABLE listing_err
  RESULT_VARIABLE rc)
if(listing STREQUAL "" OR rc MATCHES "[^0-9]")
  message(FATAL_ERROR "listing the tests of ${EXE} failed (${rc}): ${listing_err}")
endif()

# Line by line without CMake lists, which a '[' or ';' in a test name would split wrongly.
set(script "")
set(count 0)
set(rest "${listing}")
while(NOT rest STREQUAL "")
  string(FIND "${rest}" "\n" newline)
  if(newline EQUAL -1)
    set(line "${rest}")
    set(rest "")
  else()
    string(SUBSTRING "${rest}" 0 ${newline} line)
    math(EXPR next "${newline} + 1")
    string(SUBSTRING "${rest}" ${next} -1 rest)
  endif()
  if(line STREQUAL "")
    continue()
  endif()
  if(NOT line MATCHES "^(.*)\t@(.*):[0-9]+$")
    message(FATAL_ERROR "unexpected line in the test listing of ${EXE}: '${line}'")
  endif()
  set(name "${CMAKE_MATCH_1}")
  get_filename_component(stem "${CMAKE_MATCH_2}" NAME_WE)
  string(REGEX REPLACE "_test$" "" stem "${stem}")
  # Catch prints names that start with '#' in quotes; the spec wants them bare.
  if(name MATCHES "^\"(#.*)\"$")
    set(name "${CMAKE_MATCH_1}")
  endif()
  # A test spec treats ',' '[' ']' as syntax: escape them to select exactly this case.
  set(spec "${name}")
  foreach(char , [ ])
    string(REPLACE "${char}" "\\${char}" spec "${spec}")
  endforeach()
  string(APPEND script
         "add_test([==[${PREFIX}${stem}: ${name}]==] [==[${EXE}]==] [==[${spec}]==])\n"
         "set_tests_properties([==[${PREFIX}${stem}: ${name}]==] PROPERTIES WORKING_DIRECTORY "
         "[==[${WORKDIR}]==])\n")
  math(EXPR count "${count} + 1")
endwhile()
if(count EQUAL 0)
  message(FATAL_ERROR "${EXE} lists no tests")
endif()
file(WRITE "${OUT}" "${script}")
