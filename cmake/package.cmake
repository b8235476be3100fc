# The Debian package: `cpack -G DEB` in a build folder configured with
# -DCMAKE_INSTALL_PREFIX=/usr (scripts/cross does this for arm64/armhf; for amd64:
# cmake -S . -B build-deb -DCMAKE_INSTALL_PREFIX=/usr && cmake --build build-deb &&
# (cd build-deb && cpack -G DEB)).

set(BANGTIN_DEB_DIR ${PROJECT_SOURCE_DIR}/dist/debian)
set(BANGTIN_MAINTAINER "Bangtin Maintainers <bangtin@example.org>" CACHE STRING
    "Maintainer field of the .deb")

if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    message(STATUS "bangtin: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; a .deb needs "
        "-DCMAKE_INSTALL_PREFIX=/usr (paths compiled into the program follow the prefix)")
endif()

# Debian architecture of the target: from the toolchain file when cross-compiling, else dpkg.
if(BANGTIN_DEB_ARCH)
    set(bangtin_deb_arch ${BANGTIN_DEB_ARCH})
elseif(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(bangtin_deb_arch arm64)
elseif(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR MATCHES "^arm")
    set(bangtin_deb_arch armhf)
else()
    execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE bangtin_deb_arch
        OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT bangtin_deb_arch)
        set(bangtin_deb_arch amd64)
    endif()
endif()

# Documentation Debian requires in every package: copyright, and the changelog of a native
# package as changelog.gz (gzip -9n: maximal compression, no timestamp).
file(READ ${BANGTIN_DEB_DIR}/changelog bangtin_changelog LIMIT 200)
if(NOT bangtin_changelog MATCHES "^bangtin \\(${PROJECT_VERSION}\\)")
    message(WARNING "dist/debian/changelog: the newest entry is not version ${PROJECT_VERSION}")
endif()
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/dist)
execute_process(COMMAND gzip -9nc INPUT_FILE ${BANGTIN_DEB_DIR}/changelog
    OUTPUT_FILE ${PROJECT_BINARY_DIR}/dist/changelog.gz)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${BANGTIN_DEB_DIR}/changelog)
install(FILES ${BANGTIN_DEB_DIR}/copyright ${PROJECT_BINARY_DIR}/dist/changelog.gz
    DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bangtin)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${BANGTIN_MAINTAINER}")
set(CPACK_PACKAGE_VENDOR "bangtin")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "notice-board screen for Vietnamese commune offices")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build[^/]*/" "/\\\\.git/")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # bangtin_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${bangtin_deb_arch})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BANGTIN_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The extended description; CPack puts the summary first, indents every line and turns empty
# lines into " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "bangtin shows the latest provincial and commune
announcements fullscreen on a TV, in large Vietnamese text that can be read
from the waiting bench. It reads RSS, Atom, the WordPress REST API, JSON Feed
and CAP 1.2, keeps what it fetched in a local cache and keeps showing it when
the network is down.

Urgent notices (flood, power cut, evacuation) from urgent feeds, signed
minisign notices or `bangtin notify` interrupt the rotation within seconds.

The package runs the screen as the systemd service bangtin.service
(KMS/DRM, no desktop needed) under its own system user, with a watchdog.
Settings are in /etc/bangtin/bangtin.conf; check them with
`bangtin --check-config`.")

# Library dependencies come from dpkg-shlibdeps. Cross builds need the :arch packages installed
# (multiarch); a sysroot has no dpkg database, so there the list below is used instead.
if(BANGTIN_SYSROOT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.34), libsdl2-2.0-0 (>= 2.0.18), \
libsdl2-ttf-2.0-0 (>= 2.20), libsdl2-image-2.0-0, libcurl4 (>= 7.68), libxml2 (>= 2.9), \
libjansson4, libsqlite3-0 (>= 3.35), libutf8proc2, libinih1, libqrencode4, libsodium23, libpng16-16, \
libsystemd0, libmosquitto1, libmicrohttpd12, libgnutls30, fonts-noto-core")
    message(STATUS "bangtin: sysroot build, .deb Depends from a fixed list (no dpkg-shlibdeps)")
else()
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-noto-core")
    # Libraries loaded at first use (cmake/latelib.cmake) are not DT_NEEDED: name them here.
    get_property(late_debs GLOBAL PROPERTY BANGTIN_LATE_DEB_DEPENDS)
    foreach(deb ${late_debs})
        set(CPACK_DEBIAN_PACKAGE_DEPENDS "${CPACK_DEBIAN_PACKAGE_DEPENDS}, ${deb}")
    endforeach()
endif()
# The maintainer scripts use deb-systemd-helper/-invoke; the unit's ExecReload uses /bin/kill.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "${CPACK_DEBIAN_PACKAGE_DEPENDS}, init-system-helpers (>= 1.52), procps")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "minisign")

set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${BANGTIN_DEB_DIR}/postinst ${BANGTIN_DEB_DIR}/prerm ${BANGTIN_DEB_DIR}/postrm
    ${BANGTIN_DEB_DIR}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
