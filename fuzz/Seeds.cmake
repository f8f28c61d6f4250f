# Writes the fuzz targets' seed corpora: OUT/<target>/ holds the repository's own files of
# the target's format (small ones: libFuzzer mutates a few kilobytes far faster than the
# stub's 170 kB liberty files) and, for the JSON formats, what the real powerflow commands
# write on the default design with a stand-in characterization (the schedule tests' one)
# and the keyword-spotting network. fuzz/corpus/<target>/ adds checked-in seeds of
# formats no cheap command writes. A command that fails is reported and its format left
# with the seeds it has: seeds make fuzzing faster, they are not what it checks.
#   cmake -DSOURCE_DIR=... -DOUT=... -DPOWERFLOW=... -DSEED_TOOL=... -P Seeds.cmake
cmake_minimum_required(VERSION 3.25)
set(max_bytes 40000)
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})

# seed(TARGET FILE...): copies the files (at most max_bytes each) into OUT/TARGET/, named
# after their folder and name so that files of one name from two folders both stay.
function(seed target)
  file(MAKE_DIRECTORY ${OUT}/${target})
  foreach(path IN LISTS ARGN)
    if(NOT EXISTS ${path})
      continue()
    endif()
    file(SIZE ${path} bytes)
    if(bytes GREATER max_bytes)
      continue()
    endif()
    file(RELATIVE_PATH relative ${SOURCE_DIR} ${path})
    if(relative MATCHES "^\\.\\.")
      get_filename_component(relative ${path} NAME)
    endif()
    string(REPLACE "/" "_" name "${relative}")
    file(COPY_FILE ${path} ${OUT}/${target}/${name})
  endforeach()
endfunction()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(WARNING "fuzz seeds: ${what} failed (${status}); its seeds are missing:\n${output}")
  endif()
endfunction()

file(GLOB_RECURSE toml_files ${SOURCE_DIR}/rtl/*.toml ${SOURCE_DIR}/pdk_stub/*.toml
     ${SOURCE_DIR}/nets/*.toml ${SOURCE_DIR}/tests/*.toml ${SOURCE_DIR}/bench/*.toml)
file(GLOB_RECURSE corner_files ${SOURCE_DIR}/pdk_stub/corners.toml ${SOURCE_DIR}/bench/*corners*.toml
     ${SOURCE_DIR}/tests/characterize/libcheck/*.toml)
file(GLOB_RECURSE network_files ${SOURCE_DIR}/nets/*.toml ${SOURCE_DIR}/tests/net/*.toml)
file(GLOB_RECURSE liberty_files ${SOURCE_DIR}/tests/*.lib ${SOURCE_DIR}/pdk_stub/lib/*.lib)
file(GLOB_RECURSE onnx_files ${SOURCE_DIR}/nets/*.onnx ${SOURCE_DIR}/tests/*.onnx)
file(GLOB_RECURSE rom_files ${SOURCE_DIR}/tests/gen/golden/*.memh)

seed(toml ${toml_files})
seed(design ${SOURCE_DIR}/rtl/design.toml ${SOURCE_DIR}/tests/characterize/synth/data/tiny.toml)
seed(corners ${corner_files})
seed(power_model ${SOURCE_DIR}/pdk_stub/lib/pf40lp_power.toml
     ${SOURCE_DIR}/tests/characterize/libcheck/lc_power.toml
     ${SOURCE_DIR}/tests/characterize/libcheck/lc_power_narrow.toml
     ${SOURCE_DIR}/tests/characterize/libcheck/lc_power_partial.toml)
seed(process ${SOURCE_DIR}/pdk_stub/process.toml)
seed(network ${network_files})
seed(liberty ${liberty_files})
seed(onnx ${onnx_files})
seed(rom ${rom_files})

# The stages' JSON files, from the real commands.
set(work ${OUT}/work)
file(MAKE_DIRECTORY ${work})
set(design ${SOURCE_DIR}/rtl/design.toml)
run("the stand-in characterization" ${SEED_TOOL} characterization ${design} ${work}/characterization.json)
run("the synthetic instance" ${SEED_TOOL} instance ${work}/small_instance.json)
run("powerflow profile" ${POWERFLOW} profile ${SOURCE_DIR}/nets/mlperf_tiny_kws_dscnn.toml
    --design ${design} --out ${work}/profile.json)
run("powerflow schedule" ${POWERFLOW} schedule --design ${design}
    --characterization ${work}/characterization.json --profile ${work}/profile.json
    --period-us 20000 --deadline-us 2000 --pareto-points 2 --out ${work}/schedule.json
    --dump-instance ${work}/instance.json)
run("powerflow gen" ${POWERFLOW} gen --design ${design}
    --characterization ${work}/characterization.json --schedule ${work}/schedule.json
    --out ${work}/gen --rom-depth 256)
file(GLOB gen_roms ${work}/gen/*.memh)
# The stages' files are larger than the repository's: the schedule of 11 layers is 60 kB.
set(max_bytes 70000)
seed(characterization ${work}/characterization.json)
seed(profile ${work}/profile.json)
seed(schedule ${work}/schedule.json)
seed(schedule_timing ${work}/schedule.timing.json)
seed(instance ${work}/instance.json ${work}/small_instance.json)
seed(manifest ${work}/gen/manifest.json)
seed(rom ${gen_roms})
file(GLOB_RECURSE json_files ${work}/*.json)
seed(json ${json_files})
seed(sim_report)

# Checked-in seeds (fuzz/corpus/<target>/), and the regression inputs of every finding
# (tests/fuzz/regressions/<target>-*), so each run starts from what once failed.
set(max_bytes 40000)
get_filename_component(here ${CMAKE_CURRENT_LIST_FILE} DIRECTORY)
file(GLOB targets RELATIVE ${here}/corpus ${here}/corpus/*)
foreach(target IN LISTS targets)
  file(GLOB files ${here}/corpus/${target}/*)
  seed(${target} ${files})
endforeach()
file(GLOB regressions ${SOURCE_DIR}/tests/fuzz/regressions/*)
foreach(path IN LISTS regressions)
  get_filename_component(name ${path} NAME)
  string(REGEX REPLACE "-.*$" "" target "${name}")
  seed(${target} ${path})
endforeach()
file(REMOVE_RECURSE ${work})
file(WRITE ${OUT}/stamp "")
