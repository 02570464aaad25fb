# Run by ctest as it starts: asks racelab_tests for its tests and adds each.
#   catalogue.CASE/TOOL  -> test CASE/TOOL, labels "catalogue" and the tool
#   Harness.*, Command.*, Reports.*, Learn.* -> label "harness" (they run the real tools)
#   Sabotage.*           -> label "sabotage" (docs/sabotage.md)
#   anything else        -> label "unit"
execute_process(COMMAND "${RACELAB_TESTS}" --gtest_list_tests ${RACELAB_TEST_ARGS}
  OUTPUT_VARIABLE listing ERROR_VARIABLE listing_error RESULT_VARIABLE listing_rc)
if(NOT listing_rc EQUAL 0)
  # Make the failure visible as a failing test rather than no tests at all.
  add_test(racelab_tests_list "${RACELAB_TESTS}" --gtest_list_tests ${RACELAB_TEST_ARGS})
  return()
endif()

string(REPLACE "\n" ";" lines "${listing}")
set(suite "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([^ #][^ ]*)\\.$")
    set(suite "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^  ([^ #]+)")
    set(test "${CMAKE_MATCH_1}")
    # In a gtest filter ':' separates patterns, '-' starts the negative ones
    # and '*' is a wildcard; '?' matches any one of them.
    string(REGEX REPLACE "[-:*]" "?" filter "${suite}.${test}")
    if(suite STREQUAL "catalogue")
      set(name "${test}")
      string(REGEX REPLACE "^.*/([a-z]+)(:.*)?$" "\\1" tool "${test}")
      set(labels "catalogue;${tool}")
    elseif(suite MATCHES "^(Harness|Command|Reports|Learn)$")
      set(name "${suite}.${test}")
      set(labels "harness")
    elseif(suite STREQUAL "Sabotage")
      set(name "${suite}.${test}")
      set(labels "sabotage")
    else()
      set(name "${suite}.${test}")
      set(labels "unit")
    endif()
    add_test("${name}" "${RACELAB_TESTS}" "--gtest_filter=${filter}" ${RACELAB_TEST_ARGS})
    set_tests_properties("${name}" PROPERTIES LABELS "${labels}" TIMEOUT 900
      WORKING_DIRECTORY "${RACELAB_TEST_DIR}")
  endif()
endforeach()
