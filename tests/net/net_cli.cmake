# Runs `powerflow net` on a zoo network and on broken input; checks output, messages
# and exit statuses.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

execute_process(COMMAND ${POWERFLOW} net show ${SOURCE_DIR}/nets/mlperf_tiny_ic_resnet8.toml
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "net show failed on the zoo ResNet-8 (${status}):\n${err}")
endif()
if(NOT out MATCHES "total MACs: 12,501,632" OR NOT out MATCHES "stack3_add +add +8x8x64\\+8x8x64")
  message(FATAL_ERROR "unexpected net show output:\n${out}")
endif()

file(WRITE ${WORK_DIR}/bad.toml
"[network]\nname = \"bad\"\n[input]\nshape_hwc = [8, 8, 3]\n"
"[[layer]]\nname = \"c1\"\nop = \"conv2d\"\nout_channels = 4\nkernel = 3\n"
"[[layer]]\nname = \"gate\"\nop = \"tanh\"\n")
execute_process(COMMAND ${POWERFLOW} net show ${WORK_DIR}/bad.toml
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1)
  message(FATAL_ERROR "unsupported op not rejected with status 1 (${status}):\n${out}${err}")
endif()
if(NOT err MATCHES "error PF-6001: .*bad.toml:12:[0-9]+: field 'layer\\[1\\].op': layer 'gate' \\(op 'tanh'\\): unsupported")
  message(FATAL_ERROR "message does not name file, line, field, layer and op:\n${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "a rejected network still printed output:\n${out}")
endif()

execute_process(COMMAND ${POWERFLOW} net RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 2 OR NOT err MATCHES "error PF-1208: .*usage: powerflow net show FILE")
  message(FATAL_ERROR "missing subcommand not reported: ${err}")
endif()
execute_process(COMMAND ${POWERFLOW} net show ${WORK_DIR}/missing.toml
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(status EQUAL 0 OR NOT err MATCHES "missing.toml: cannot open")
  message(FATAL_ERROR "missing file not reported: ${err}")
endif()

# ONNX: a shipped model prints the totals of its TOML twin; a file named .onnx that is
# not a model is refused with the byte offset, status 1 and nothing on stdout.
execute_process(COMMAND ${POWERFLOW} net show ${SOURCE_DIR}/nets/onnx/mlperf_tiny_kws_dscnn.onnx
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "net show failed on the ONNX DS-CNN (${status}):\n${err}")
endif()
if(NOT out MATCHES "total MACs: 2,656,768" OR NOT out MATCHES "ds1_dw +depthwise_conv2d +25x5x64")
  message(FATAL_ERROR "unexpected net show output for the ONNX DS-CNN:\n${out}")
endif()
file(WRITE ${WORK_DIR}/bad.onnx "this is not a model\n")
execute_process(COMMAND ${POWERFLOW} net show ${WORK_DIR}/bad.onnx
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1 OR NOT out STREQUAL "")
  message(FATAL_ERROR "a non-ONNX .onnx file was not rejected cleanly (${status}):\n${out}${err}")
endif()
if(NOT err MATCHES "error PF-6500: .*bad.onnx: field 'ModelProto': byte 0: .*not an ONNX model")
  message(FATAL_ERROR "message does not name the file and byte offset:\n${err}")
endif()
