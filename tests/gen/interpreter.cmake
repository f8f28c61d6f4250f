# The reference interpreter (gen/Interpreter.hh) against the Verilated sequencer: random
# programs on both, every output compared every cycle (SequencerEquivalenceTest.cc).
#
# Each sequencer shape is stated once, below, as the key=value words of
# tests/gen/SequencerSpec.hh. gen_sequencer (a build-time tool) writes its Verilog with
# gen::sequencerVerilog; verilate() turns that into a model in pf_sequencer_models, with
# --assert, so the RTL's own assertions also run in every random program; and
# SequencerModelList.hh tells the test which models exist, with the same words. The ROM is
# not Verilated: the test answers rom_addr, so one build serves every program.

add_executable(gen_sequencer GenSequencerMain.cc SequencerSpec.cc)
pf_target_defaults(gen_sequencer)
target_link_libraries(gen_sequencer PRIVATE pf_gen)

set(pf_seq_dir ${CMAKE_CURRENT_BINARY_DIR}/sequencer)
file(MAKE_DIRECTORY ${pf_seq_dir})

function(pf_seq_reverse text out)
  string(LENGTH "${text}" n)
  set(result "")
  if(n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE 0 ${last})
      string(SUBSTRING "${text}" ${i} 1 c)
      set(result "${c}${result}")
    endforeach()
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# verilate() runs Verilator once at configure time, to learn which C++ files it will write,
# so the Verilog must exist before gen_sequencer is even built. This writes a bootstrap
# copy: the same template and parameters, substituted here, without the banner. The build
# then runs gen_sequencer (its rule depends on the .spec stamp written after the bootstrap)
# and re-Verilates its output; the two differ only in the banner comment, so Verilator's
# file list is the same. Rewritten only when the spec changes. (A template edit that
# changes the file list takes effect when CMake re-runs, which the next build does itself.)
function(pf_seq_bootstrap module spec from to)
  set(path ${pf_seq_dir}/${module}.v)
  set(stamp "${spec} ${from} => ${to}")
  if(EXISTS ${path}.spec)
    file(READ ${path}.spec old)
    if(old STREQUAL stamp AND EXISTS ${path})
      return()
    endif()
  endif()
  foreach(word IN LISTS spec)
    if(word MATCHES "^([a-z_]+)=(.*)$")
      set(v_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  pf_seq_reverse("${v_has_ret}" has_ret)
  pf_seq_reverse("${v_div_min}" div_min)
  string(LENGTH "${v_has_ret}" ret_bits)
  string(LENGTH "${v_div_min}" nibbles)
  math(EXPR div_bits "${nibbles} * 4")
  file(READ ${PROJECT_SOURCE_DIR}/gen/templates/pf_pwrseq.v text)
  if(NOT from STREQUAL "")
    string(REPLACE "${from}" "${to}" text "${text}")
  endif()
  string(REPLACE "@BANNER@" "// configure-time bootstrap: the build rewrites this file with gen_sequencer\n"
                 text "${text}")
  string(REPLACE "@MODULE@" "${module}" text "${text}")
  string(REPLACE "@R@" "${v_rails}" text "${text}")
  string(REPLACE "@NDOM@" "${v_domains}" text "${text}")
  string(REPLACE "@NDIV@" "${v_dividers}" text "${text}")
  string(REPLACE "@DEPTH@" "${v_depth}" text "${text}")
  string(REPLACE "@PG_TIMEOUT@" "${v_timeout}" text "${text}")
  string(REPLACE "@HAS_RET@" "${ret_bits}'b${has_ret}" text "${text}")
  string(REPLACE "@DIV_MIN@" "${div_bits}'h${div_min}" text "${text}")
  file(WRITE ${path} "${text}")
  file(WRITE ${path}.spec "${stamp}")
endfunction()

add_library(pf_sequencer_models STATIC)
set(pf_seq_includes "")
set(pf_seq_entries "")

# pf_seq_model(SPEC [REPLACE OLD NEW]): one Verilated model; REPLACE plants a bug
# (gen_sequencer fails unless OLD occurs exactly once in the template).
macro(pf_seq_model spec)
  cmake_parse_arguments(seq "" "" "REPLACE" ${ARGN})
  string(REGEX MATCH "module=([A-Za-z0-9_]+)" unused "${spec}")
  set(seq_module ${CMAKE_MATCH_1})
  set(seq_from "")
  set(seq_to "")
  set(seq_args "")
  if(seq_REPLACE)
    list(GET seq_REPLACE 0 seq_from)
    list(GET seq_REPLACE 1 seq_to)
    set(seq_args --replace "${seq_from}" "${seq_to}")
  endif()
  pf_seq_bootstrap(${seq_module} "${spec}" "${seq_from}" "${seq_to}")
  add_custom_command(
    OUTPUT ${pf_seq_dir}/${seq_module}.v ${pf_seq_dir}/${seq_module}_rom.v
    COMMAND gen_sequencer ${pf_seq_dir} ${spec} ${seq_args}
    DEPENDS gen_sequencer ${pf_seq_dir}/${seq_module}.v.spec
    COMMENT "Generating the sequencer ${seq_module}"
    VERBATIM)
  verilate(pf_sequencer_models
    TOP_MODULE ${seq_module}
    PREFIX V${seq_module}
    SOURCES ${pf_seq_dir}/${seq_module}.v
    VERILATOR_ARGS --assert -O3 --x-assign fast --x-initial fast -Wno-fatal
    OPT_FAST -O1
    OPT_SLOW -O1)
  string(REPLACE ";" " " seq_text "${spec}")
  string(APPEND pf_seq_includes "#include \"V${seq_module}.h\"\n")
  set(seq_mutation "")
  if(seq_REPLACE)
    set(seq_mutation "${seq_from} => ${seq_to}")
  endif()
  string(APPEND pf_seq_entries "  X(${seq_module}, \"${seq_text}\", \"${seq_mutation}\") \\\n")
endmacro()

# The shapes. div_min: one hex digit per (domain, rail), domain 0 first; f = never.
# (R=3, 12 domains, 6 dividers, DEPTH 64): fmax rises with the rail; d7 can never run on
# rail 0 (7 > the slowest divider 5), d1 and d4 are marked never on the low rails.
set(pf_seq_r3d12
    rails=3 domains=12 dividers=6 depth=64 timeout=12 has_ret=101100101011
    div_min=420f31520310ff0211532741420000555321)
pf_seq_model("module=pf_seq_r3d12;${pf_seq_r3d12}")
# (R=8, 32 domains, 8 dividers, DEPTH 32): div_min = max(0, 7 - r - d mod 3), never on rail
# 0 for d mod 4 = 0 and on rails 0..2 for d mod 7 = 3; retention where d mod 3 != 1.
string(CONCAT pf_seq_r8d32_div
       "f65432106543210054321000fff43210f5432100543210007654321065432100"
       "f432100076543210fff3210054321000f6543210654321005432100076543210"
       "f5432100fff210007654321065432100f4321000765432106543210054321000"
       "fff43210654321005432100076543210f54321005432100076543210fff32100")
pf_seq_model("module=pf_seq_r8d32;rails=8;domains=32;dividers=8;depth=32;timeout=6;has_ret=10110110110110110110110110110110;div_min=${pf_seq_r8d32_div}")
# (R=1, 2 domains, 1 divider, DEPTH 16): the smallest sequencer.
pf_seq_model("module=pf_seq_r1d2;rails=1;domains=2;dividers=1;depth=16;timeout=3;has_ret=10;div_min=00")
# The mutant (SequencerEquivalence.MutantIsCaught): the r3d12 shape, but a domain leaves
# READY only when the divider is strictly slower than its minimum.
pf_seq_model("module=pf_seq_mutant;${pf_seq_r3d12}"
  REPLACE "else if (div_min_at(d, drail[d*3+:3]) <= {1'b0, div_sel}) begin"
          "else if (div_min_at(d, drail[d*3+:3]) < {1'b0, div_sel}) begin")

file(CONFIGURE OUTPUT ${pf_seq_dir}/SequencerModelList.hh
     CONTENT "// Written by tests/gen/interpreter.cmake: the Verilated sequencer models.\n#pragma once\n\n${pf_seq_includes}\n#define PF_SEQUENCER_MODELS(X) \\\n${pf_seq_entries}\n"
     @ONLY)

target_compile_options(pf_sequencer_models PRIVATE -g0)
# Verilator's headers are not written for -Wshadow -Wconversion.
get_target_property(pf_seq_model_includes pf_sequencer_models INTERFACE_INCLUDE_DIRECTORIES)
set_target_properties(pf_sequencer_models PROPERTIES
                      INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${pf_seq_model_includes}")

add_executable(gen_sequencer_tests
  SequencerEquivalenceTest.cc SequencerInterpreterTest.cc SequencerModels.cc SequencerCosim.cc
  SequencerEnvironment.cc SequencerRandomProgram.cc SequencerSpec.cc)
pf_target_defaults(gen_sequencer_tests)
target_include_directories(gen_sequencer_tests PRIVATE ${pf_seq_dir})
target_link_libraries(gen_sequencer_tests PRIVATE pf_gen pf_sequencer_models GTest::gtest_main)
# The random-program drivers are the hot loop (2.2x slower at -O0; tests/CMakeLists.txt).
pf_test_hot(gen_sequencer_tests pf_sequencer_models)
gtest_discover_tests(gen_sequencer_tests TEST_PREFIX "gen." PROPERTIES LABELS gen
                     DISCOVERY_TIMEOUT 30)

# The tool refuses a planted bug whose text is not in the template (exactly once), so a
# template edit cannot silently turn the mutant back into the original.
add_test(NAME gen.gen_sequencer_refuses_a_missing_replacement
         COMMAND gen_sequencer ${CMAKE_CURRENT_BINARY_DIR}/sequencer_refusal module=pf_seq_refusal
                 rails=1 domains=1 dividers=1 depth=2 timeout=1 has_ret=0 div_min=0
                 --replace "no such text in the template" "x")
set_tests_properties(gen.gen_sequencer_refuses_a_missing_replacement PROPERTIES
                     PASS_REGULAR_EXPRESSION "occurs 0 times in the template" LABELS gen)
