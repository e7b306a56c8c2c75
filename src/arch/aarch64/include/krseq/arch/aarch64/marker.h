/* SPDX-License-Identifier: MIT */
/*
 * aarch64 marker: s390's merged protocol in aarch64's shape (MARKER). A
 * strb opens the section with the number of the register that will hold
 * the copy's address, plus 1 (x0 may be that register, and 0 means
 * closed); the very next instruction, "ldr xn, [ta, #percpu_offset]",
 * brings the running CPU's offset into it, and "add xn, xn, tpl" makes it
 * the address; then the one LSE instruction or an LL/SC loop that retries
 * at its load; then a strb of wzr closes. n is whatever register the
 * compiler chose: the assembler picks the mov of its number by name.
 * There is no store of an immediate, so [cs] carries the number.
 */
#ifndef KRSEQ_ARCH_AARCH64_MARKER_H
#define KRSEQ_ARCH_AARCH64_MARKER_H

#include <krseq/arch/aarch64/ops.h>

/* clang-format off */
#define KRSEQ__A64_MARKER(r)                                                  \
	"strb	" r ", [%[ta], #" krseq_str(KRSEQ_TA_MARKER) "]\n\t"
#define KRSEQ__ARM_marker(cs)                                                 \
	".irp krseq_r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,"     \
	"20,21,22,23,24,25,26,27,28,29,30\n\t"                                \
	".ifc %x[a],x\\krseq_r\n\t"                                           \
	"mov	%w[" cs "], #(\\krseq_r + 1)\n\t"                             \
	".endif\n\t"                                                          \
	".endr\n\t"                                                           \
	KRSEQ__A64_MARKER("%w[" cs "]")
#define KRSEQ__END_marker KRSEQ__A64_MARKER("wzr")
#define KRSEQ__OUT_marker , [cs] "=&r"(krseq__cs)
#define KRSEQ__AREG_marker KRSEQ__A64_TPL_AREG
#define KRSEQ__ADDR_marker                                                    \
	"ldr	%[a], [%[ta], #" krseq_str(KRSEQ_TA_PERCPU_OFFSET) "]\n\t"    \
	"add	%[a], %[a], %[tpl]\n\t"
#define KRSEQ__AOUT_marker KRSEQ__A64_TPL_AOUT
#define KRSEQ__AIN_marker KRSEQ__A64_TPL_AIN [ta] "r"(&krseq_ta),
#define KRSEQ__LOOP_marker "4b"
#define KRSEQ__MID_marker ""
#define KRSEQ__TAIL_marker KRSEQ_ASM_COMMIT

KRSEQ__A64_ALL_SIZES(KRSEQ__A64_ATOMIC, marker)
KRSEQ__A64_ATOMIC16(marker)
/* clang-format on */

#endif /* KRSEQ_ARCH_AARCH64_MARKER_H */
