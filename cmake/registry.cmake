# The registry of schemes and ops (include/krseq/schemes.h) for CMake and
# for the tests' scripts, read at configure time by preprocessing
# registry.c with the tree's C compiler: nothing here names a scheme or an
# op. Sets
#   KRSEQ_ARCHES, KRSEQ_OPS      in the registry's order;
#   KRSEQ_SCHEMES                every scheme, in the registry's order;
#   KRSEQ_SCHEMES_HERE           those with any sequence on this tree's arch;
#   KRSEQ_SCHEMES_ARMED_HERE     those of them with a kernel side: they arm a
#                                pointer or open a marker, which the
#                                machine's placement keeps per task or per CPU;
#   KRSEQ_SCHEME_<name>_<arch>   the sizes it has a sequence for there;
#   KRSEQ_SCHEME_<name>_WHY      why a missing one is missing;
#   KRSEQ_PCP_<NAME>             the name of the scheme KRSEQ_PCP_<NAME>, for
#                                the tests that single one out;
# and writes the same, as shell variables, to KRSEQ_REGISTRY_SH
# (registry.sh in the build tree) for the scripts, which are given its path.

set(_krseq_sizes 1 2 4 8 16)
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/include/krseq/schemes.h ${CMAKE_CURRENT_LIST_DIR}/registry.c)
execute_process(
  COMMAND ${CMAKE_C_COMPILER} -E -P -I${PROJECT_SOURCE_DIR}/include
          ${CMAKE_CURRENT_LIST_DIR}/registry.c
  OUTPUT_VARIABLE _krseq_pp ERROR_VARIABLE _krseq_pp_err RESULT_VARIABLE _krseq_rc)
string(FIND "${_krseq_pp}" "krseq_registry_words" _krseq_at)
if(NOT _krseq_rc EQUAL 0 OR _krseq_at LESS 0)
  message(FATAL_ERROR "cannot read the registry with ${CMAKE_C_COMPILER}: ${_krseq_pp_err}")
endif()
string(SUBSTRING "${_krseq_pp}" ${_krseq_at} -1 _krseq_pp)
separate_arguments(_krseq_words UNIX_COMMAND "${_krseq_pp}")

# Bits (0/1, one per size of _krseq_sizes) to the sizes present.
function(_krseq_registry_sizes out)
  set(sizes)
  foreach(bit size IN ZIP_LISTS ARGN _krseq_sizes)
    if(bit)
      list(APPEND sizes ${size})
    endif()
  endforeach()
  set(${out} ${sizes} PARENT_SCOPE)
endfunction()

set(KRSEQ_ARCHES)
set(KRSEQ_OPS)
set(KRSEQ_SCHEMES)
set(KRSEQ_SCHEMES_HERE)
set(KRSEQ_SCHEMES_ARMED_HERE)
set(_krseq_rows)
set(_krseq_field)
foreach(w IN LISTS _krseq_words)
  if(w MATCHES "^(krseq_registry_words|ARCHES|OPS|SCHEME|KERNEL|HERE|COLUMNS|WHY)$")
    set(_krseq_field ${w})
    if(w STREQUAL "SCHEME")
      set(_krseq_new_row 1)
    endif()
  elseif(_krseq_field STREQUAL "ARCHES")
    list(APPEND KRSEQ_ARCHES ${w})
  elseif(_krseq_field STREQUAL "OPS")
    list(APPEND KRSEQ_OPS ${w})
  elseif(_krseq_field STREQUAL "SCHEME" AND _krseq_new_row)
    set(_krseq_new_row 0)
    set(_krseq_n ${w})
  elseif(_krseq_field STREQUAL "SCHEME")
    set(_krseq_name ${w})
    list(APPEND KRSEQ_SCHEMES ${w})
    set(_krseq_here_${_krseq_name})
    set(_krseq_cols_${_krseq_name})
    set(KRSEQ_SCHEME_${_krseq_name}_WHY "")
    string(TOUPPER ${w} _krseq_upper)
    set(KRSEQ_PCP_${_krseq_upper} ${w})
    list(APPEND _krseq_rows "${_krseq_n}:${_krseq_upper}")
  elseif(_krseq_field STREQUAL "KERNEL")
    set(_krseq_kernel_${_krseq_name} ${w})
  elseif(_krseq_field STREQUAL "HERE")
    list(APPEND _krseq_here_${_krseq_name} ${w})
  elseif(_krseq_field STREQUAL "COLUMNS")
    list(APPEND _krseq_cols_${_krseq_name} ${w})
  elseif(_krseq_field STREQUAL "WHY")
    string(APPEND KRSEQ_SCHEME_${_krseq_name}_WHY "${w}")
  else()
    message(FATAL_ERROR "registry.c: unexpected word '${w}' after '${_krseq_field}'")
  endif()
endforeach()

foreach(s IN LISTS KRSEQ_SCHEMES)
  _krseq_registry_sizes(_krseq_here ${_krseq_here_${s}})
  if(_krseq_here)
    list(APPEND KRSEQ_SCHEMES_HERE ${s})
    if(NOT _krseq_kernel_${s} STREQUAL "none")
      list(APPEND KRSEQ_SCHEMES_ARMED_HERE ${s})
    endif()
  endif()
  set(_krseq_first 0)
  foreach(a IN LISTS KRSEQ_ARCHES)
    list(SUBLIST _krseq_cols_${s} ${_krseq_first} 5 _krseq_bits)
    _krseq_registry_sizes(KRSEQ_SCHEME_${s}_${a} ${_krseq_bits})
    math(EXPR _krseq_first "${_krseq_first} + 5")
  endforeach()
  # The compiler's idea of here must be the arch CMake builds for.
  if(NOT "${_krseq_here}" STREQUAL "${KRSEQ_SCHEME_${s}_${KRSEQ_ARCH}}")
    message(FATAL_ERROR "registry: ${CMAKE_C_COMPILER} gives ${s} the sizes "
      "'${_krseq_here}', the ${KRSEQ_ARCH} column '${KRSEQ_SCHEME_${s}_${KRSEQ_ARCH}}'")
  endif()
endforeach()

# KRSEQ_PCP_<NAME> is the C constant of scheme <name> (count.sh relies on
# it too): the compiler checks that each stands for its row.
set(_krseq_check "#include <krseq/schemes.h>\n")
foreach(row IN LISTS _krseq_rows)
  string(REPLACE ":" ";" row ${row})
  list(GET row 0 n)
  list(GET row 1 upper)
  string(APPEND _krseq_check "_Static_assert(KRSEQ_PCP_${upper} == ${n}, \"KRSEQ_PCP_${upper}\");\n")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/registry_check.c "${_krseq_check}")
execute_process(
  COMMAND ${CMAKE_C_COMPILER} -fsyntax-only -I${PROJECT_SOURCE_DIR}/include
          ${CMAKE_BINARY_DIR}/registry_check.c
  ERROR_VARIABLE _krseq_pp_err RESULT_VARIABLE _krseq_rc)
if(NOT _krseq_rc EQUAL 0)
  message(FATAL_ERROR "registry: a scheme's name is not its KRSEQ_PCP_* "
    "constant in lower case:\n${_krseq_pp_err}")
endif()

# The same for the scripts: one shell assignment per variable.
function(_krseq_sh_quote out value)
  string(REPLACE "'" "'\\''" value "${value}")
  set(${out} "'${value}'" PARENT_SCOPE)
endfunction()
set(_krseq_sh "# Generated by cmake/registry.cmake from include/krseq/schemes.h.\n")
foreach(v KRSEQ_ARCHES KRSEQ_OPS KRSEQ_SCHEMES KRSEQ_SCHEMES_HERE KRSEQ_SCHEMES_ARMED_HERE)
  list(JOIN ${v} " " _krseq_value)
  string(APPEND _krseq_sh "${v}='${_krseq_value}'\n")
endforeach()
foreach(s IN LISTS KRSEQ_SCHEMES)
  string(TOUPPER ${s} _krseq_upper)
  string(APPEND _krseq_sh "KRSEQ_PCP_${_krseq_upper}=${s}\n")
  foreach(a IN LISTS KRSEQ_ARCHES)
    list(JOIN KRSEQ_SCHEME_${s}_${a} " " _krseq_value)
    string(APPEND _krseq_sh "KRSEQ_SCHEME_${s}_${a}='${_krseq_value}'\n")
  endforeach()
  _krseq_sh_quote(_krseq_value "${KRSEQ_SCHEME_${s}_WHY}")
  string(APPEND _krseq_sh "KRSEQ_SCHEME_${s}_WHY=${_krseq_value}\n")
endforeach()
string(APPEND _krseq_sh [=[
# krseq_cells SCHEME ARCH: the sizes SCHEME has a sequence for on ARCH.
krseq_cells() { eval "echo \"\$KRSEQ_SCHEME_$1_$2\""; }
# krseq_has SCHEME ARCH SIZE: whether SIZE is one of them.
krseq_has() {
	case " $(krseq_cells "$1" "$2") " in *" $3 "*) return 0 ;; esac
	return 1
}
]=])
set(KRSEQ_REGISTRY_SH ${CMAKE_BINARY_DIR}/registry.sh)
file(WRITE ${KRSEQ_REGISTRY_SH} "${_krseq_sh}")
