# SPDX-License-Identifier: Apache-2.0
# libFuzzer harnesses: one executable per fuzz/*_fuzzer.cc, built when WARMBOOT_FUZZ is ON.
# Needs clang (GCC has no libFuzzer):
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DWARMBOOT_FUZZ=ON
#   cmake --build build-fuzz -j1 --target fuzzers
# scripts/fuzz.sh does both and runs them. warmboot_core and the fakes are instrumented for
# coverage (fuzzer-no-link) and built with ASan and UBSan; each harness links libFuzzer's main.
# Anything else linking warmboot_core in this build gets the sanitizer runtimes, so the whole
# tree still links.
if(NOT WARMBOOT_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "WARMBOOT_FUZZ needs clang (libFuzzer): configure with "
                      "CC=clang CXX=clang++, not ${CMAKE_CXX_COMPILER_ID}")
endif()

set(WARMBOOT_FUZZ_SANITIZERS address,undefined)
set(WARMBOOT_FUZZ_COMMON_FLAGS -g -fno-omit-frame-pointer -fno-sanitize-recover=all)

foreach(library warmboot_core warmboot_fakes)
  target_compile_options(${library} PRIVATE ${WARMBOOT_FUZZ_COMMON_FLAGS}
                         -fsanitize=fuzzer-no-link,${WARMBOOT_FUZZ_SANITIZERS})
endforeach()
target_link_options(warmboot_core INTERFACE -fsanitize=${WARMBOOT_FUZZ_SANITIZERS})

file(GLOB FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/*_fuzzer.cc)
set(FUZZ_TARGETS)
foreach(source ${FUZZ_SOURCES})
  get_filename_component(name ${source} NAME_WE)
  add_executable(${name} ${source})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
  target_compile_options(${name} PRIVATE ${WARMBOOT_FUZZ_COMMON_FLAGS}
                         -fsanitize=fuzzer,${WARMBOOT_FUZZ_SANITIZERS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,${WARMBOOT_FUZZ_SANITIZERS})
  target_link_libraries(${name} PRIVATE warmboot_core warmboot_fakes)
  list(APPEND FUZZ_TARGETS ${name})
endforeach()
add_custom_target(fuzzers DEPENDS ${FUZZ_TARGETS})
