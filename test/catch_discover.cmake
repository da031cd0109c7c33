# Registers the Catch2 test cases of one test executable with CTest, one test per source file,
# named "<PREFIX><file>" where <file> is the file's stem without "_test" ("assemble",
# "e2e.slack_serve"): it runs that file's cases in one process (Catch's `-#` file tags). A test
# process costs ~0.5 s to start and stop under the sanitizers, so 1,100 cases each in their own
# process spent half of the test time starting; a failure still names its case in the output.
# A single case: `build/dev/test/<executable> "<case name>"`.
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
set(seen "")
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
  get_filename_component(file "${CMAKE_MATCH_2}" NAME_WE)
  string(REGEX REPLACE "_test$" "" stem "${file}")
  if(NOT "|${seen}|" MATCHES "\\|${file}\\|")
    string(APPEND seen "|${file}")
    string(APPEND script
           "add_test([==[${PREFIX}${stem}]==] [==[${EXE}]==] [==[-#]==] [==[[#${file}]]==])\n"
           "set_tests_properties([==[${PREFIX}${stem}]==] PROPERTIES WORKING_DIRECTORY "
           "[==[${WORKDIR}]==])\n")
    math(EXPR count "${count} + 1")
  endif()
endwhile()
if(count EQUAL 0)
  message(FATAL_ERROR "${EXE} lists no tests")
endif()
file(WRITE "${OUT}" "${script}")
