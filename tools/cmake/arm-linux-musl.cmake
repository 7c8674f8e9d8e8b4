# Toolchain for user programs: static armhf executables against Debian's musl (musl-dev:armhf).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(KEEL_MUSL_SPECS /usr/lib/arm-linux-musleabihf/musl-gcc.specs)
set(CMAKE_C_FLAGS_INIT "-specs=${KEEL_MUSL_SPECS} -mcpu=cortex-a9 -mfpu=neon -mfloat-abi=hard")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -no-pie")
