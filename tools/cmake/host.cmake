# Host build: unit tests and fuzzers for the pure-logic libraries, the two cross builds as
# sub-builds, and every QEMU test registered with CTest.
include(ExternalProject)

# --- host libraries and unit tests, under AddressSanitizer and UBSan ---
set(KEEL_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
add_compile_options(${KEEL_WARNINGS} -g ${KEEL_SANITIZE})
add_link_options(${KEEL_SANITIZE})
# libFuzzer needs clang; with it, the libraries are instrumented for coverage too.
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
    set(KEEL_FUZZ ON)
    add_compile_options(-fsanitize=fuzzer-no-link)
else()
    set(KEEL_FUZZ OFF)
    message(STATUS "Keel: host compiler is not clang; fuzz targets are not built")
endif()

set(KEEL_HOST ON)
add_subdirectory(libsel4)
foreach(lib libut libcspace libelf libcpio)
    if(EXISTS ${KEEL_ROOT}/libs/${lib}/CMakeLists.txt)
        add_subdirectory(libs/${lib})
    endif()
endforeach()

# --- cross builds ---
set(KEEL_APPS_BIN ${CMAKE_BINARY_DIR}/apps)
set(KEEL_TARGET_BIN ${CMAKE_BINARY_DIR}/target)
ExternalProject_Add(apps
    SOURCE_DIR ${KEEL_ROOT}
    BINARY_DIR ${KEEL_APPS_BIN}
    CMAKE_ARGS -DKEEL_APPS=ON
               -DCMAKE_TOOLCHAIN_FILE=${KEEL_ROOT}/tools/cmake/arm-linux-musl.cmake
               -DCMAKE_BUILD_TYPE=Release
               -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)
ExternalProject_Add(target
    SOURCE_DIR ${KEEL_ROOT}
    BINARY_DIR ${KEEL_TARGET_BIN}
    CMAKE_ARGS -DKEEL_TARGET=ON
               -DCMAKE_TOOLCHAIN_FILE=${KEEL_ROOT}/tools/cmake/arm-none-eabi.cmake
               -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
               -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
               -DKEEL_APPS_BIN=${KEEL_APPS_BIN}
    INSTALL_COMMAND ""
    DEPENDS apps
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)

# --- tests ---
find_program(KEEL_PYTHON NAMES python3 REQUIRED)
add_subdirectory(tests)
