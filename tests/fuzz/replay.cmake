# replay.cmake: run a libFuzzer binary once over every file of a corpus directory.
#
#   cmake -DFUZZER=<fuzzer binary> -DCORPUS=<directory> -P replay.cmake
#
# Given file paths, libFuzzer runs each once and prints "Executed <file>". Fails if the fuzzer
# fails (a crash, a sanitizer report, an abort) or if any file was not executed.
if(NOT FUZZER OR NOT CORPUS)
    message(FATAL_ERROR "usage: cmake -DFUZZER=<binary> -DCORPUS=<dir> -P replay.cmake")
endif()
file(GLOB inputs LIST_DIRECTORIES false ${CORPUS}/*)
list(LENGTH inputs count)
if(count EQUAL 0)
    message(FATAL_ERROR "no corpus files in ${CORPUS}")
endif()
execute_process(COMMAND ${FUZZER} ${inputs}
    RESULT_VARIABLE status
    OUTPUT_VARIABLE log
    ERROR_VARIABLE log)
string(REGEX MATCHALL "Executed [^\n]+ in [0-9]+ ms" executed "${log}")
list(LENGTH executed ran)
if(NOT status EQUAL 0 OR NOT ran EQUAL count)
    message("${log}")
    message(FATAL_ERROR "${FUZZER}: exit status ${status}, executed ${ran} of ${count} inputs")
endif()
message(STATUS "${FUZZER}: executed all ${ran} inputs of ${CORPUS}")
