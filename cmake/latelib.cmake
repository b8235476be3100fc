# Libraries loaded at their first use (dlopen) instead of at exec: the network stack the screen
# does not need for its first frame nor for --screenshot (issue 11; include/bangtin/dynlib.h).
#
#   bangtin_late_lib(<module target> <pkg-config prefix> <macro> <default soname> <stub .c>)
#
# With BANGTIN_LATE_NET_LIBS=ON the module gets the library's headers and flags, the stub file
# (the library's functions, loading it on first call) and <macro>="<soname>"; the executable
# does not link the library (no DT_NEEDED). OFF links it as usual and leaves the stub out.
# The soname is read from the library the build would link (objdump -p), so a cross build
# names the target's library; <default soname> serves when objdump cannot tell.
option(BANGTIN_LATE_NET_LIBS
    "load libcurl, libmosquitto, libmicrohttpd and GnuTLS at their first use (dlopen)" ON)

# <out> = the first group of <regex> in what the command prints, or "" if it fails or does not
# match.
function(bangtin_command_match out regex)
    set(found "")
    execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE text ERROR_QUIET RESULT_VARIABLE rc)
    if(rc EQUAL 0 AND text MATCHES "${regex}")
        set(found "${CMAKE_MATCH_1}")
    endif()
    set(${out} "${found}" PARENT_SCOPE)
endfunction()

function(bangtin_soname out pkg fallback)
    set(so "")
    list(GET ${pkg}_LINK_LIBRARIES 0 file)
    if(CMAKE_OBJDUMP AND file AND EXISTS "${file}")
        bangtin_command_match(so "SONAME[ \t]+([^ \t\r\n]+)" ${CMAKE_OBJDUMP} -p "${file}")
    endif()
    if(so STREQUAL "")
        set(so "${fallback}")
        message(STATUS "bangtin: soname of ${pkg} not read from '${file}'; using ${so}")
    endif()
    set(${out} "${so}" PARENT_SCOPE)
endfunction()

# The Debian package that holds <dir of the linked library>/<soname> (dpkg -S), added to the
# global property BANGTIN_LATE_DEB_DEPENDS: dpkg-shlibdeps only sees DT_NEEDED libraries, so
# cmake/package.cmake names these in the .deb's Depends itself.
function(bangtin_late_deb_depends pkg so)
    list(GET ${pkg}_LINK_LIBRARIES 0 file)
    get_filename_component(dir "${file}" DIRECTORY)
    find_program(BANGTIN_DPKG dpkg)
    set(deb "")
    if(BANGTIN_DPKG AND dir)
        bangtin_command_match(deb "^([^:, ]+)" ${BANGTIN_DPKG} -S "${dir}/${so}")
    endif()
    if(deb STREQUAL "")
        message(STATUS "bangtin: no Debian package found for ${dir}/${so}; a .deb made with "
            "dpkg-shlibdeps will not depend on it (set CPACK_DEBIAN_PACKAGE_DEPENDS)")
    else()
        set_property(GLOBAL APPEND PROPERTY BANGTIN_LATE_DEB_DEPENDS "${deb}")
    endif()
endfunction()

function(bangtin_late_lib module pkg macro fallback stub)
    if(BANGTIN_LATE_NET_LIBS)
        bangtin_soname(so ${pkg} ${fallback})
        bangtin_late_deb_depends(${pkg} ${so})
        target_sources(${module} PRIVATE ${stub})
        target_include_directories(${module} PUBLIC ${${pkg}_INCLUDE_DIRS})
        target_compile_options(${module} PUBLIC ${${pkg}_CFLAGS_OTHER})
        target_compile_definitions(${module} PRIVATE ${macro}="${so}")
        target_link_libraries(${module} PUBLIC ${CMAKE_DL_LIBS})
        message(STATUS "bangtin: ${pkg} loaded at first use: ${so}")
    else()
        target_link_libraries(${module} PUBLIC PkgConfig::${pkg})
    endif()
endfunction()
