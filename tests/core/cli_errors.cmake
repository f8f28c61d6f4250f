# Runs `powerflow design` on a broken design and checks the message and exit status.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
file(WRITE ${WORK_DIR}/files.f "x.v\n")
file(WRITE ${WORK_DIR}/bad.toml
"[design]\nname = \"d\"\ntop = \"d\"\nfilelist = \"files.f\"\n[rails]\nvoltages_v = [0.8, 0.6]\n"
"[[domain]]\nname = \"aon\"\nkind = \"always_on\"\nmodules = [\"m\"]\n")
execute_process(COMMAND ${POWERFLOW} design ${WORK_DIR}/bad.toml
                RESULT_VARIABLE status ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(status EQUAL 0)
  message(FATAL_ERROR "powerflow accepted descending rail voltages:\n${out}")
endif()
if(NOT err MATCHES "bad.toml:6:[0-9]+: field 'rails.voltages_v': rail voltages must be strictly ascending")
  message(FATAL_ERROR "message does not name file, line and field:\n${err}")
endif()
execute_process(COMMAND ${POWERFLOW} design ${WORK_DIR}/missing.toml RESULT_VARIABLE status ERROR_VARIABLE err)
if(status EQUAL 0 OR NOT err MATCHES "missing.toml: cannot open")
  message(FATAL_ERROR "missing file not reported: ${err}")
endif()
execute_process(COMMAND ${POWERFLOW} nosuchcommand RESULT_VARIABLE status ERROR_VARIABLE err)
if(status EQUAL 0 OR NOT err MATCHES "unknown command 'nosuchcommand'")
  message(FATAL_ERROR "unknown command not reported: ${err}")
endif()
