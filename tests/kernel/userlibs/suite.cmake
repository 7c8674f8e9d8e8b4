# userlibs: the project's initrd linked in (as the root server links it), and readelf's view
# of the program "hello" in it, for the libcpio + libelf cases. Included by
# tests/kernel/CMakeLists.txt with ${program} the suite's target.
set(userlibs_dir ${CMAKE_CURRENT_SOURCE_DIR}/userlibs)
set(userlibs_gen ${CMAKE_CURRENT_BINARY_DIR}/userlibs)
find_program(KEEL_READELF NAMES arm-linux-gnueabihf-readelf arm-none-eabi-readelf REQUIRED)
find_program(KEEL_PYTHON NAMES python3 REQUIRED)

target_sources(${program} PRIVATE ${userlibs_dir}/initrd.S)
set_source_files_properties(${userlibs_dir}/initrd.S PROPERTIES
    COMPILE_DEFINITIONS "INITRD_PATH=\"${KEEL_INITRD}\"" OBJECT_DEPENDS ${KEEL_INITRD})
add_dependencies(${program} initrd)

add_custom_command(OUTPUT ${userlibs_gen}/hello_expect.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${userlibs_gen}
    COMMAND ${KEEL_PYTHON} ${userlibs_dir}/elf_expect.py ${KEEL_READELF}
            ${KEEL_APPS_BIN}/bin/hello ${userlibs_gen}/hello_expect.h hello
    DEPENDS ${userlibs_dir}/elf_expect.py ${KEEL_APPS_BIN}/bin/hello
    COMMENT "Recording readelf's view of hello")
target_sources(${program} PRIVATE ${userlibs_gen}/hello_expect.h)
target_include_directories(${program} PRIVATE ${userlibs_gen})
