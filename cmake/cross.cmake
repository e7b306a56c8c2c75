# Shared by the toolchain files: they set KRSEQ_TRIPLE and the processor.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${KRSEQ_TRIPLE}-gcc)
set(CMAKE_ASM_COMPILER ${KRSEQ_TRIPLE}-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/${KRSEQ_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# qemu-user runs the tests; QEMU_CPU in the environment picks the CPU model.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${KRSEQ_QEMU_ARCH};-L;/usr/${KRSEQ_TRIPLE})
get_filename_component(_krseq_top "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(KRSEQ_DEFAULT_SYSROOT "${_krseq_top}/build/sysroot-${KRSEQ_DEB_ARCH}")
