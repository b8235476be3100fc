# What `cmake --install` (and so the .deb) puts where. The program itself is installed by
# app/CMakeLists.txt. For a package configure with -DCMAKE_INSTALL_PREFIX=/usr: the compiled-in
# BANGTIN_DATADIR and BANGTIN_SYSCONFDIR follow the prefix (GNUInstallDirs maps /usr to /etc).

set(BANGTIN_DIST_DIR ${PROJECT_SOURCE_DIR}/dist)

# Under /usr systemd's files belong in /lib on Debian 12 (usrmerge makes it the same place, and
# lintian expects it); under any other prefix keep them inside the prefix.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(BANGTIN_SYSTEMD_UNITDIR_DEFAULT /lib/systemd/system)
else()
    set(BANGTIN_SYSTEMD_UNITDIR_DEFAULT ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(BANGTIN_SYSTEMD_UNITDIR ${BANGTIN_SYSTEMD_UNITDIR_DEFAULT} CACHE PATH
    "where bangtin.service is installed")

# Fonts (Noto Sans, OFL-1.1) and assets (demo feed, logo) to share/bangtin/fonts and
# share/bangtin/assets: the same layout as the source tree, which app/glue/paths.c relies on.
# A distribution package (prefix /usr) links to the identical files of Debian's fonts-noto-core,
# which it depends on, instead of carrying a second copy (1 MB; lintian: duplicate-font-file).
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(bangtin_system_fonts_default ON)
else()
    set(bangtin_system_fonts_default OFF)
endif()
option(BANGTIN_SYSTEM_FONTS "Install share/bangtin/fonts as links into fonts-noto-core"
    ${bangtin_system_fonts_default})
set(BANGTIN_NOTO_DIR /usr/share/fonts/truetype/noto CACHE PATH "fonts-noto-core's folder")
if(BANGTIN_SYSTEM_FONTS)
    file(GLOB bangtin_fonts RELATIVE ${PROJECT_SOURCE_DIR}/fonts ${PROJECT_SOURCE_DIR}/fonts/*.ttf)
    file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/dist/fonts)
    # Relative, as Debian policy wants within /usr: ../../fonts/truetype/noto/…
    file(RELATIVE_PATH bangtin_noto_rel ${CMAKE_INSTALL_FULL_DATADIR}/bangtin/fonts
        ${BANGTIN_NOTO_DIR})
    foreach(font ${bangtin_fonts})
        file(CREATE_LINK ${bangtin_noto_rel}/${font} ${PROJECT_BINARY_DIR}/dist/fonts/${font}
            SYMBOLIC)
    endforeach()
    install(DIRECTORY ${PROJECT_BINARY_DIR}/dist/fonts/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bangtin/fonts)
else()
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/fonts/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bangtin/fonts
        FILES_MATCHING PATTERN "*.ttf" PATTERN "*.otf" PATTERN "*.txt")
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bangtin/assets
    PATTERN "bangtin.conf" EXCLUDE   # installed to /etc below
    PATTERN "*.py" EXCLUDE           # tools that made the assets
    PATTERN "*.md" EXCLUDE)

# The one configuration file, every key documented; a Debian conffile (package.cmake).
if(EXISTS ${PROJECT_SOURCE_DIR}/assets/bangtin.conf)
    install(FILES ${PROJECT_SOURCE_DIR}/assets/bangtin.conf
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/bangtin)
else()
    message(WARNING "assets/bangtin.conf is missing: the package will have no config file")
endif()

# The service and its user/data folder declarations. The unit names /usr/bin/bangtin; follow
# the real prefix when it differs.
file(READ ${BANGTIN_DIST_DIR}/bangtin.service bangtin_unit)
string(REPLACE "/usr/bin/bangtin" "${CMAKE_INSTALL_FULL_BINDIR}/bangtin" bangtin_unit
    "${bangtin_unit}")
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/dist/bangtin.service CONTENT "${bangtin_unit}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${BANGTIN_DIST_DIR}/bangtin.service)
install(FILES ${PROJECT_BINARY_DIR}/dist/bangtin.service DESTINATION ${BANGTIN_SYSTEMD_UNITDIR})
install(FILES ${BANGTIN_DIST_DIR}/bangtin.sysusers
    DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/sysusers.d RENAME bangtin.conf)
install(FILES ${BANGTIN_DIST_DIR}/bangtin.tmpfiles
    DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/tmpfiles.d RENAME bangtin.conf)

# Manual page (lintian wants one per program), compressed reproducibly at configure time.
if(EXISTS ${BANGTIN_DIST_DIR}/bangtin.1)
    file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/dist)
    execute_process(COMMAND gzip -9nc INPUT_FILE ${BANGTIN_DIST_DIR}/bangtin.1
        OUTPUT_FILE ${PROJECT_BINARY_DIR}/dist/bangtin.1.gz RESULT_VARIABLE bangtin_gzip_rc)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${BANGTIN_DIST_DIR}/bangtin.1)
    if(bangtin_gzip_rc EQUAL 0)
        install(FILES ${PROJECT_BINARY_DIR}/dist/bangtin.1.gz
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
    endif()
endif()
