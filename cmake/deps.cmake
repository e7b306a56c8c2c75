# libunwind (the library) and cmocka (the tests). Natively they come from
# Debian's -dev packages; for a cross build from the sysroot that
# scripts/setup.sh unpacks (multiarch install fails on version skew here).
if(CMAKE_CROSSCOMPILING)
  set(KRSEQ_DEPS_SYSROOT "${KRSEQ_DEFAULT_SYSROOT}" CACHE PATH
      "Sysroot holding the foreign-arch cmocka and libunwind")
  set(_deps_lib "${KRSEQ_DEPS_SYSROOT}/usr/lib/${KRSEQ_TRIPLE}")
  set(_deps_hints HINTS "${_deps_lib}" NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  set(_deps_inc_hints HINTS "${KRSEQ_DEPS_SYSROOT}/usr/include/${KRSEQ_TRIPLE}"
      "${KRSEQ_DEPS_SYSROOT}/usr/include" NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  # The guest loader finds the sysroot's libraries through the rpath.
  list(APPEND CMAKE_BUILD_RPATH "${_deps_lib}" "${KRSEQ_DEPS_SYSROOT}/lib/${KRSEQ_TRIPLE}")
  # DT_RPATH, unlike DT_RUNPATH, also serves libunwind's own liblzma.
  add_link_options("-Wl,-rpath-link,${_deps_lib}" "-Wl,--disable-new-dtags")
else()
  set(_deps_hints)
  set(_deps_inc_hints)
endif()

find_library(KRSEQ_UNWIND_LIB NAMES unwind ${_deps_hints})
find_path(KRSEQ_UNWIND_INCLUDE libunwind.h ${_deps_inc_hints})
if(NOT KRSEQ_UNWIND_LIB OR NOT KRSEQ_UNWIND_INCLUDE)
  message(FATAL_ERROR "libunwind not found: run scripts/setup.sh first")
endif()

if(BUILD_TESTING)
  find_library(KRSEQ_CMOCKA_LIB NAMES cmocka ${_deps_hints})
  find_path(KRSEQ_CMOCKA_INCLUDE cmocka.h ${_deps_inc_hints})
  if(NOT KRSEQ_CMOCKA_LIB OR NOT KRSEQ_CMOCKA_INCLUDE)
    message(FATAL_ERROR "cmocka not found: run scripts/setup.sh first")
  endif()
endif()
