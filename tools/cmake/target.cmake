# Target build (arm-none-eabi): kernel variants, libraries, root servers, test images.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
set(KEEL_HOST OFF)
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_EXTENSIONS ON)

set(KEEL_KERNEL_FLAGS -mcpu=cortex-a9 -marm -mfloat-abi=soft -mgeneral-regs-only -O2 -g
    -ffreestanding -fno-common -fno-stack-protector -fno-pic ${KEEL_WARNINGS})
# Native user programs (root servers, test images): VFP/NEON available, soft-float calls.
set(KEEL_USER_FLAGS -mcpu=cortex-a9 -marm -mfpu=neon -mfloat-abi=softfp -O2 -g
    -ffreestanding -fno-common -fno-stack-protector -fno-pic ${KEEL_WARNINGS})
set(KEEL_KERNEL_LINKER_SCRIPT ${KEEL_ROOT}/kernel/src/arch/arm/linker.ld)
set(KEEL_USER_LINKER_SCRIPT ${KEEL_ROOT}/libs/libsys/user.ld)
set(KEEL_BIN ${CMAKE_BINARY_DIR}/bin)
set(KEEL_IMAGES ${CMAKE_BINARY_DIR}/images)
find_program(KEEL_PYTHON NAMES python3 REQUIRED)

# keel_program(<name> SOURCES ... LIBS ...): a native user program (root server or test
# image root task), linked at 0x10000 against libsys; output bin/<name>.elf.
function(keel_program name)
    cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${P_SOURCES})
    target_compile_options(${name} PRIVATE ${KEEL_USER_FLAGS})
    target_link_options(${name} PRIVATE -mcpu=cortex-a9 -marm -mfpu=neon -mfloat-abi=softfp
        -nostdlib -T ${KEEL_USER_LINKER_SCRIPT} -Wl,--gc-sections)
    target_link_libraries(${name} PRIVATE ${P_LIBS} sys sel4 fmt gcc)
    set_target_properties(${name} PROPERTIES SUFFIX ".elf" RUNTIME_OUTPUT_DIRECTORY ${KEEL_BIN}
        LINK_DEPENDS ${KEEL_USER_LINKER_SCRIPT})
endfunction()

# keel_image(NAME <image> VARIANT <kernel variant> ROOTSERVER <program>): the bootable
# images/<image>.elf, a kernel variant with the root server's ELF embedded.
function(keel_image)
    cmake_parse_arguments(IMG "" "NAME;VARIANT;ROOTSERVER" "" ${ARGN})
    set(root_elf ${KEEL_BIN}/${IMG_ROOTSERVER}.elf)
    set(embed ${CMAKE_CURRENT_BINARY_DIR}/${IMG_NAME}_rootimage.S)
    file(WRITE ${embed}.in "/* generated: embeds ${IMG_ROOTSERVER} */\n"
        "    .section .rootimage, \"a\"\n    .balign 4096\n"
        "    .global rootserver_image_start\nrootserver_image_start:\n"
        "    .incbin \"${root_elf}\"\n"
        "    .global rootserver_image_end\nrootserver_image_end:\n")
    configure_file(${embed}.in ${embed} COPYONLY)
    set_source_files_properties(${embed} PROPERTIES OBJECT_DEPENDS ${root_elf})
    # Two links: the first gives the function addresses that tools/ksyms.py turns into the
    # table of names the second link adds (after everything else, so nothing moves).
    set(ksyms ${CMAKE_CURRENT_BINARY_DIR}/${IMG_NAME}_ksyms.S)
    foreach(pass first final)
        if(pass STREQUAL first)
            set(elf ${IMG_NAME}_first_link)
            set(extra)
            set(map ${CMAKE_CURRENT_BINARY_DIR}/${IMG_NAME}_first_link.map)
        else()
            set(elf ${IMG_NAME})
            set(extra ${ksyms})
            set(map ${KEEL_IMAGES}/${IMG_NAME}.map)
        endif()
        add_executable(${elf} $<TARGET_OBJECTS:kernel_${IMG_VARIANT}> ${embed} ${extra})
        target_compile_options(${elf} PRIVATE ${KEEL_KERNEL_FLAGS})
        target_link_options(${elf} PRIVATE -mcpu=cortex-a9 -marm -mfloat-abi=soft -nostdlib
            -T ${KEEL_KERNEL_LINKER_SCRIPT} -Wl,-Map=${map})
        target_link_libraries(${elf} PRIVATE gcc)
        set_target_properties(${elf} PROPERTIES SUFFIX ".elf" LINK_DEPENDS
            ${KEEL_KERNEL_LINKER_SCRIPT})
        add_dependencies(${elf} ${IMG_ROOTSERVER})
    endforeach()
    set_target_properties(${IMG_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${KEEL_IMAGES})
    add_custom_command(OUTPUT ${ksyms}
        COMMAND ${KEEL_PYTHON} ${KEEL_ROOT}/tools/ksyms.py
            $<TARGET_FILE:${IMG_NAME}_first_link> ${ksyms}
        DEPENDS ${IMG_NAME}_first_link ${KEEL_ROOT}/tools/ksyms.py
        COMMENT "Kernel symbol table for ${IMG_NAME}")
endfunction()

add_subdirectory(libsel4)
add_subdirectory(kernel)

# User-side libraries, built with the user flags.
add_compile_options(${KEEL_USER_FLAGS})
add_subdirectory(libs/libfmt)
add_subdirectory(libs/libsys)
foreach(lib libut libcspace libelf libcpio)
    if(EXISTS ${KEEL_ROOT}/libs/${lib}/CMakeLists.txt)
        add_subdirectory(libs/${lib})
    endif()
endforeach()
add_subdirectory(initrd)
add_subdirectory(rootserver)
add_subdirectory(tests/kernel)
