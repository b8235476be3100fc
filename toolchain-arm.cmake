# Cross-compiling bangtin for ARM boards (Raspberry Pi 3/4/5, Zero 2 W, other SBCs).
#
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=toolchain-arm.cmake -DBANGTIN_ARM_TARGET=arm64
#   cmake -S . -B build-armhf -DCMAKE_TOOLCHAIN_FILE=toolchain-arm.cmake -DBANGTIN_ARM_TARGET=armhf
#
# Two ways to find the target's libraries:
#   * Debian multiarch (default): `dpkg --add-architecture arm64` and the `:arm64` -dev packages
#     installed next to the native ones (scripts/cross does this). Headers live in /usr/include,
#     libraries and .pc files in /usr/lib/<triplet>.
#   * A sysroot folder (-DBANGTIN_SYSROOT=/path), e.g. made by
#     `mmdebstrap --variant=extract --architectures=armhf --include=<-dev packages> bookworm DIR`,
#     for when the mirror cannot co-install the foreign -dev packages.
# Tests run through CMAKE_CROSSCOMPILING_EMULATOR (qemu-user-static), so `ctest` works without
# binfmt_misc.
#
# BANGTIN_ARM_TARGET and BANGTIN_SYSROOT may also come from the environment. They are forwarded
# to try_compile() projects, which read this file again.

set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BANGTIN_ARM_TARGET BANGTIN_SYSROOT)

if(NOT DEFINED BANGTIN_ARM_TARGET)
    if(DEFINED ENV{BANGTIN_ARM_TARGET})
        set(BANGTIN_ARM_TARGET "$ENV{BANGTIN_ARM_TARGET}")
    else()
        set(BANGTIN_ARM_TARGET arm64)
    endif()
endif()
if(NOT DEFINED BANGTIN_SYSROOT AND DEFINED ENV{BANGTIN_SYSROOT})
    set(BANGTIN_SYSROOT "$ENV{BANGTIN_SYSROOT}")
endif()
set(BANGTIN_ARM_TARGET "${BANGTIN_ARM_TARGET}" CACHE STRING "arm64 or armhf")
set(BANGTIN_SYSROOT "${BANGTIN_SYSROOT}" CACHE PATH "target root folder; empty = Debian multiarch")

if(BANGTIN_ARM_TARGET STREQUAL "arm64")
    set(BANGTIN_TRIPLET aarch64-linux-gnu)
    set(CMAKE_SYSTEM_PROCESSOR aarch64)
    set(BANGTIN_QEMU qemu-aarch64-static)
    set(BANGTIN_LOADER lib/ld-linux-aarch64.so.1)
elseif(BANGTIN_ARM_TARGET STREQUAL "armhf")
    set(BANGTIN_TRIPLET arm-linux-gnueabihf)
    set(CMAKE_SYSTEM_PROCESSOR armv7l)
    set(BANGTIN_QEMU qemu-arm-static)
    set(BANGTIN_LOADER lib/ld-linux-armhf.so.3)
    # 64-bit file offsets. Without them readdir() fails with EOVERFLOW under qemu-arm on a
    # 64-bit host (ext4 hands out 64-bit directory cookies); large files need them anyway.
    # No library we link passes off_t in its API. (time_t stays 32-bit: Debian 12's armhf
    # libraries were built that way.)
    set(CMAKE_C_FLAGS_INIT "-D_FILE_OFFSET_BITS=64")
else()
    message(FATAL_ERROR "BANGTIN_ARM_TARGET must be arm64 or armhf, not '${BANGTIN_ARM_TARGET}'")
endif()
# Debian's name for the architecture; package.cmake uses it for the .deb.
set(BANGTIN_DEB_ARCH ${BANGTIN_ARM_TARGET})

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_LIBRARY_ARCHITECTURE ${BANGTIN_TRIPLET})
set(CMAKE_C_COMPILER ${BANGTIN_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${BANGTIN_TRIPLET}-g++)
find_program(BANGTIN_CROSS_STRIP ${BANGTIN_TRIPLET}-strip)
if(BANGTIN_CROSS_STRIP)
    set(CMAKE_STRIP ${BANGTIN_CROSS_STRIP} CACHE FILEPATH "strip for the target")
endif()

if(BANGTIN_SYSROOT)
    # A sysroot: the compiler and pkg-config see the target's /usr inside the folder.
    set(CMAKE_SYSROOT ${BANGTIN_SYSROOT})
    set(CMAKE_FIND_ROOT_PATH ${BANGTIN_SYSROOT})
    set(ENV{PKG_CONFIG_SYSROOT_DIR} ${BANGTIN_SYSROOT})
    set(bangtin_pc "${BANGTIN_SYSROOT}/usr/lib/${BANGTIN_TRIPLET}/pkgconfig")
    set(ENV{PKG_CONFIG_LIBDIR} "${bangtin_pc}:${BANGTIN_SYSROOT}/usr/share/pkgconfig")
    set(BANGTIN_QEMU_ROOT ${BANGTIN_SYSROOT})
    # An extracted root has no ld.so.cache, so the target's loader would not look in the
    # multiarch folders; qemu maps these paths into the sysroot.
    set(BANGTIN_QEMU_ENV -E LD_LIBRARY_PATH=/lib/${BANGTIN_TRIPLET}:/usr/lib/${BANGTIN_TRIPLET})
else()
    # Multiarch: the target's files are under the host's own / (in /usr/lib/<triplet>), and the
    # cross toolchain's libc under /usr/<triplet>.
    set(CMAKE_FIND_ROOT_PATH / /usr/${BANGTIN_TRIPLET})
    set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${BANGTIN_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
    unset(ENV{PKG_CONFIG_SYSROOT_DIR})
    # The dynamic loader: from libc6:<arch> when installed (multiarch puts it in /lib),
    # otherwise from the cross toolchain's copy.
    if(EXISTS /${BANGTIN_LOADER})
        set(BANGTIN_QEMU_ROOT /)
    else()
        set(BANGTIN_QEMU_ROOT /usr/${BANGTIN_TRIPLET})
    endif()
endif()
unset(ENV{PKG_CONFIG_PATH})

# Programs (compilers, code generators) come from the host; libraries, headers and packages
# only from the target.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# qemu-user runs the test programs; -L tells it where the target's loader and libraries are.
find_program(BANGTIN_QEMU_PROGRAM ${BANGTIN_QEMU})
if(BANGTIN_QEMU_PROGRAM)
    # Not cached: it follows BANGTIN_SYSROOT when a build folder switches method.
    set(CMAKE_CROSSCOMPILING_EMULATOR ${BANGTIN_QEMU_PROGRAM} -L ${BANGTIN_QEMU_ROOT}
        ${BANGTIN_QEMU_ENV})
else()
    message(WARNING "${BANGTIN_QEMU} not found (Debian: qemu-user-static): tests cannot run")
endif()
