# Runs `powerflow profile` on a zoo network and on a network with a layer too large for
# the buffers; checks output, determinism, messages, exit statuses and that a failing run
# writes nothing.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(net ${SOURCE_DIR}/nets/mlperf_tiny_ic_resnet8.toml)
execute_process(COMMAND ${POWERFLOW} profile ${net} --out ${WORK_DIR}/p.json
                        --design ${SOURCE_DIR}/rtl/design.toml
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "profile failed on the zoo ResNet-8 (${status}):\n${err}")
endif()
if(NOT out MATCHES "stack3_conv_b +CONV +1 +1x1" OR NOT out MATCHES "total: 398552 cycles")
  message(FATAL_ERROR "unexpected profile table:\n${out}")
endif()
file(READ ${WORK_DIR}/p.json first)
if(NOT first MATCHES "\"format\": \"powerflow-profile\"" OR
   NOT first MATCHES "\"generated_by\": \"powerflow profile ")
  message(FATAL_ERROR "profile file lacks its format or generator:\n${first}")
endif()

# Determinism: the same command again gives the same bytes.
execute_process(COMMAND ${POWERFLOW} profile ${net} --out ${WORK_DIR}/p.json
                        --design ${SOURCE_DIR}/rtl/design.toml
                RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE err)
file(READ ${WORK_DIR}/p.json second)
if(NOT status EQUAL 0 OR NOT first STREQUAL second)
  message(FATAL_ERROR "a second run gave a different profile (${status}) ${err}")
endif()

# A layer whose weight tile does not fit: named, status 1, nothing on stdout, the existing
# output file untouched.
file(WRITE ${WORK_DIR}/big.toml
"[network]\nname = \"big\"\n[input]\nshape_hwc = [6, 6, 1024]\n"
"[[layer]]\nname = \"small\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 1\n"
"[[layer]]\nname = \"huge\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 3\n"
"[[layer]]\nname = \"in\"\nop = \"conv2d\"\nout_channels = 1024\nkernel = 1\n"
"[[layer]]\nname = \"wide\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 3\n")
file(WRITE ${WORK_DIR}/big.json "old\n")
execute_process(COMMAND ${POWERFLOW} profile ${WORK_DIR}/big.toml --out ${WORK_DIR}/big.json
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1)
  message(FATAL_ERROR "a layer too large was not refused with status 1 (${status}):\n${out}${err}")
endif()
if(NOT err MATCHES "error PF-6702: .*big.toml:[0-9]+:[0-9]+: field 'layer\\[3\\]': layer 'wide' \\(conv2d\\): one weight tile .* needs 1153 weight words but the weight buffer holds 1024")
  message(FATAL_ERROR "message does not name file, line, layer and what does not fit:\n${err}")
endif()
file(READ ${WORK_DIR}/big.json kept)
if(NOT out STREQUAL "" OR NOT kept STREQUAL "old\n")
  message(FATAL_ERROR "a refused network printed a table or wrote the profile:\n${out}")
endif()

execute_process(COMMAND ${POWERFLOW} profile ${WORK_DIR}/big.toml --out ${WORK_DIR}/never.json
                RESULT_VARIABLE status OUTPUT_QUIET ERROR_QUIET)
if(EXISTS ${WORK_DIR}/never.json)
  message(FATAL_ERROR "a refused network left a profile behind")
endif()

# ONNX models are read too: the ONNX ResNet-8 maps to the same cycles as its TOML twin.
execute_process(COMMAND ${POWERFLOW} profile ${SOURCE_DIR}/nets/onnx/mlperf_tiny_ic_resnet8.onnx
                        --out ${WORK_DIR}/onnx.json
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0 OR NOT out MATCHES "total: 398552 cycles")
  message(FATAL_ERROR "profile of the ONNX ResNet-8 (${status}):\n${out}${err}")
endif()

# A truncated ONNX file: a message with the byte offset, exit 1, no profile.
execute_process(COMMAND head -c 4000 ${SOURCE_DIR}/nets/onnx/mlperf_tiny_kws_dscnn.onnx
                OUTPUT_FILE ${WORK_DIR}/truncated.onnx)
execute_process(COMMAND ${POWERFLOW} profile ${WORK_DIR}/truncated.onnx --out ${WORK_DIR}/truncated.json
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1 OR NOT err MATCHES "error PF-65[0-9][0-9]: .*truncated.onnx.*byte"
   OR EXISTS ${WORK_DIR}/truncated.json)
  message(FATAL_ERROR "truncated ONNX not refused with a located message and no profile (${status}):\n${out}${err}")
endif()

# Usage errors (core/Cli.hh) exit 2.
execute_process(COMMAND ${POWERFLOW} profile ${net} RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 2 OR NOT err MATCHES "error PF-1209: powerflow profile: option '--out': required")
  message(FATAL_ERROR "missing --out not reported (${status}): ${err}")
endif()
execute_process(COMMAND ${POWERFLOW} profile --help RESULT_VARIABLE status OUTPUT_VARIABLE out)
if(NOT status EQUAL 0 OR NOT out MATCHES "usage: powerflow profile NET --out PROFILE.json")
  message(FATAL_ERROR "profile --help: ${out}")
endif()
