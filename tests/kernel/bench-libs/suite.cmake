# bench-libs: the userlibs image's environment (libut over the boot Untypeds, the root CSpace
# promoted to two levels: userlibs/env.c) and a 100-file cpio archive made at build time.
# Included by tests/kernel/CMakeLists.txt with ${program} the suite's target.
set(benchlibs_dir ${CMAKE_CURRENT_SOURCE_DIR}/bench-libs)
set(benchlibs_archive ${CMAKE_CURRENT_BINARY_DIR}/bench-libs/files100.cpio)
add_custom_command(OUTPUT ${benchlibs_archive}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/bench-libs
    COMMAND sh ${benchlibs_dir}/mkarchive.sh ${benchlibs_archive} ${KEEL_ROOT}/tools/mkinitrd.sh
    DEPENDS ${benchlibs_dir}/mkarchive.sh ${KEEL_ROOT}/tools/mkinitrd.sh
    COMMENT "Packing the 100-file archive of the cpio benchmark")
add_custom_target(bench_libs_archive DEPENDS ${benchlibs_archive})

target_sources(${program} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/userlibs/env.c
    ${benchlibs_dir}/archive.S)
set_source_files_properties(${benchlibs_dir}/archive.S PROPERTIES
    COMPILE_DEFINITIONS "ARCHIVE_PATH=\"${benchlibs_archive}\"" OBJECT_DEPENDS ${benchlibs_archive})
add_dependencies(${program} bench_libs_archive)
