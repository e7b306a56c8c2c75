/* SPDX-License-Identifier: MIT */
/*
 * s390x fixup: atomic's ag and interlocked instruction on a pinned to
 * KRSEQ_ARCH_FIXUP_REG, under a KRSEQ_CS_FIXUP descriptor (FIXUP); the ag
 * is the window start, as in the s390 series. At 4, 8 and 16 bytes: the
 * 1- and 2-byte cells are n/a in the registry.
 */
#ifndef KRSEQ_ARCH_S390X_FIXUP_H
#define KRSEQ_ARCH_S390X_FIXUP_H

#include <krseq/arch/s390x/ops.h>

/* clang-format off */
#define KRSEQ__ARM_fixup(cs) KRSEQ_ASM_ARM_ONCE(cs, "")
#define KRSEQ__END_fixup KRSEQ_ASM_CS_FIXUP
#define KRSEQ__OUT_fixup KRSEQ__S390_OUT_ARMED
#define KRSEQ__AREG_fixup                                                      \
	register uintptr_t krseq__a __asm__(KRSEQ__S390_FIXUP_REGNAME) =       \
		(uintptr_t)tpl;                                                \
	uintptr_t krseq__cs
#define KRSEQ__AOUT_fixup [a] "+a"(krseq__a)
#define KRSEQ__IN_fixup
#define KRSEQ__XCHG_fixup KRSEQ__S390_XCHG_LOOP

KRSEQ__S390_GEN_AT48(fixup)
/* clang-format on */

#endif /* KRSEQ_ARCH_S390X_FIXUP_H */
