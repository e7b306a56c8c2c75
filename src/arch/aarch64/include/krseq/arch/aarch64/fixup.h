/* SPDX-License-Identifier: MIT */
/*
 * aarch64 fixup: atomic's LSE instruction or LL/SC loop on x9, under a
 * KRSEQ_CS_FIXUP descriptor (FIXUP). The offset is added into x9, which
 * already holds tpl: s390's "ag" shape, one register to fix up, and no
 * copy of tpl into x9 beforehand. Between the offset read and that add,
 * x9 still holds tpl, and tpl + delta + old offset is the new CPU's
 * address all the same. The LL/SC loop retries at the load (4b) inside
 * the window, so a migration at the branch fixes the address.
 */
#ifndef KRSEQ_ARCH_AARCH64_FIXUP_H
#define KRSEQ_ARCH_AARCH64_FIXUP_H

#include <krseq/arch/aarch64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_fixup(cs) KRSEQ_ASM_ARM_ONCE(cs, "")
#define KRSEQ__END_fixup KRSEQ_ASM_CS_FIXUP
#define KRSEQ__OUT_fixup KRSEQ__A64_OUT_ARMED
#define KRSEQ__AREG_fixup                                                     \
	register uintptr_t krseq__a __asm__(                                  \
		"x" krseq_str(KRSEQ_ARCH_FIXUP_REG)) = (uintptr_t)tpl;        \
	uint64_t krseq__off
#define KRSEQ__ADDR_fixup                                                     \
	KRSEQ__A64_OFF("off")                                                 \
	"add	%[a], %[a], %[off]\n\t"
#define KRSEQ__AOUT_fixup [a] "+r"(krseq__a), [off] "=&r"(krseq__off)
#define KRSEQ__AIN_fixup
#define KRSEQ__LOOP_fixup "4b"
#define KRSEQ__MID_fixup ""
#define KRSEQ__TAIL_fixup KRSEQ_ASM_COMMIT

KRSEQ__A64_ALL_SIZES(KRSEQ__A64_ATOMIC, fixup)
KRSEQ__A64_ATOMIC16(fixup)
/* clang-format on */

#endif /* KRSEQ_ARCH_AARCH64_FIXUP_H */
