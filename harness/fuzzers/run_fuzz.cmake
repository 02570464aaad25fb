# run_fuzz.cmake: gather a fuzz target's seeds and run it. Run by ctest (the
# short run) and by ci/fuzz.sh (to seed the long run's corpus):
#
#   cmake -DCONFIG=BUILD/harness/fuzzers/TARGET.cmake [-DMODE=test|seed]
#         [-DCORPUS_DIR=DIR] [-DSECONDS=N] -P run_fuzz.cmake
#
# CONFIG is written by CMakeLists.txt (file(GENERATE)) and sets FUZZ_TARGET,
# FUZZ_EXE, FUZZ_ENGINE (libfuzzer or standalone), FUZZ_SEED_DIRS,
# FUZZ_SEED_PATTERNS, FUZZ_REGRESSIONS, FUZZ_DICT, FUZZ_CORPUS,
# FUZZ_ARTIFACTS and FUZZ_SECONDS.
#
# MODE=test (the default): the corpus directory is emptied, filled with the
# seeds, and the target runs on it: libFuzzer for SECONDS, or the standalone
# driver once over every seed. Fails when the target does.
# MODE=seed: only copy the seeds into CORPUS_DIR, keeping what is there.
#
# Seeds are found when this runs, not when cmake configures: every file
# under each of FUZZ_SEED_DIRS (recursively) whose name matches one of
# FUZZ_SEED_PATTERNS. Each is copied under the SHA-1 of its content, as
# libFuzzer names corpus files, so the same seed found twice is kept once.
# A seed directory that is missing or yields nothing is an error: a fuzz run
# that silently lost its seeds would prove little. Every file in
# FUZZ_REGRESSIONS (harness/fuzzers/crashes/TARGET: inputs that once
# crashed the target), when it exists, is a seed too, so that a crash once
# found fails every run until it is fixed.
cmake_minimum_required(VERSION 3.25)

if(NOT CONFIG)
  message(FATAL_ERROR "run_fuzz.cmake: pass -DCONFIG=BUILD/harness/fuzzers/TARGET.cmake")
endif()
include("${CONFIG}")
if(NOT MODE)
  set(MODE test)
endif()
if(NOT CORPUS_DIR)
  set(CORPUS_DIR "${FUZZ_CORPUS}")
endif()
if(NOT SECONDS)
  set(SECONDS "${FUZZ_SECONDS}")
endif()

# ---- Gather the seeds ------------------------------------------------------
# CORPUS_DIR.sources says where each corpus file came from: "SHA1 PATH".
set(sources "${CORPUS_DIR}.sources")
if(MODE STREQUAL "test")
  file(REMOVE_RECURSE "${CORPUS_DIR}")
  file(REMOVE "${sources}")
endif()
file(MAKE_DIRECTORY "${CORPUS_DIR}")
function(add_seed seed)
  file(SHA1 "${seed}" sum)
  if(NOT EXISTS "${CORPUS_DIR}/${sum}")
    file(COPY_FILE "${seed}" "${CORPUS_DIR}/${sum}")
    file(APPEND "${sources}" "${sum} ${seed}\n")
  endif()
endfunction()
set(total 0)
foreach(dir IN LISTS FUZZ_SEED_DIRS)
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "${FUZZ_TARGET}: seed directory ${dir} does not exist; update "
      "RACELAB_FUZZ_SEEDS_* at the top of harness/fuzzers/CMakeLists.txt")
  endif()
  set(globs "")
  foreach(pattern IN LISTS FUZZ_SEED_PATTERNS)
    list(APPEND globs "${dir}/${pattern}")
  endforeach()
  file(GLOB_RECURSE seeds LIST_DIRECTORIES false ${globs})
  list(REMOVE_DUPLICATES seeds)
  list(LENGTH seeds n)
  if(n EQUAL 0)
    message(FATAL_ERROR "${FUZZ_TARGET}: no file matching ${FUZZ_SEED_PATTERNS} under ${dir}; "
      "update RACELAB_FUZZ_SEEDS_* at the top of harness/fuzzers/CMakeLists.txt")
  endif()
  foreach(seed IN LISTS seeds)
    add_seed("${seed}")
  endforeach()
  math(EXPR total "${total} + ${n}")
  message(STATUS "${FUZZ_TARGET}: ${n} seeds from ${dir}")
endforeach()
if(FUZZ_REGRESSIONS AND IS_DIRECTORY "${FUZZ_REGRESSIONS}")
  file(GLOB_RECURSE seeds LIST_DIRECTORIES false "${FUZZ_REGRESSIONS}/*")
  list(LENGTH seeds n)
  foreach(seed IN LISTS seeds)
    add_seed("${seed}")
  endforeach()
  message(STATUS "${FUZZ_TARGET}: ${n} regression inputs from ${FUZZ_REGRESSIONS}")
endif()
file(GLOB corpus LIST_DIRECTORIES false "${CORPUS_DIR}/*")
list(LENGTH corpus corpus_size)
message(STATUS "${FUZZ_TARGET}: corpus ${CORPUS_DIR}: ${corpus_size} files (${total} seeds)")
if(MODE STREQUAL "seed")
  return()
endif()

# ---- Run -------------------------------------------------------------------
# Sanitizer reports with a stack and no recovery, unless the user chose.
if(NOT DEFINED ENV{UBSAN_OPTIONS})
  set(ENV{UBSAN_OPTIONS} "print_stacktrace=1:halt_on_error=1")
endif()
if(FUZZ_ENGINE STREQUAL "libfuzzer")
  file(REMOVE_RECURSE "${FUZZ_ARTIFACTS}")
  file(MAKE_DIRECTORY "${FUZZ_ARTIFACTS}")
  set(args -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
    "-artifact_prefix=${FUZZ_ARTIFACTS}/")
  if(FUZZ_DICT)
    list(APPEND args "-dict=${FUZZ_DICT}")
  endif()
  list(APPEND args "${CORPUS_DIR}")
else()
  set(args -timeout=10 "${CORPUS_DIR}")
endif()
list(JOIN args " " shown)
message(STATUS "${FUZZ_TARGET}: ${FUZZ_EXE} ${shown}")
execute_process(COMMAND "${FUZZ_EXE}" ${args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  if(FUZZ_ENGINE STREQUAL "libfuzzer")
    file(GLOB found LIST_DIRECTORIES false "${FUZZ_ARTIFACTS}/*")
    set(found "the input that failed: ${found}")
  else()
    set(found "the input that failed is the last 'Running:' above")
  endif()
  message(FATAL_ERROR "${FUZZ_TARGET} failed (${rc}); ${found}\n"
    "(${sources} names the seed a corpus file was copied from.)\n"
    "Reproduce: ${FUZZ_EXE} FILE")
endif()
