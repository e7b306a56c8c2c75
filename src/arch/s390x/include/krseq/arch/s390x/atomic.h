/* SPDX-License-Identifier: MIT */
/*
 * s390x atomic: ag of the offset to the template address, then one
 * interlocked-access instruction or cs; nothing armed (ATOMIC, PREEMPT's
 * body). At 4, 8 and 16 (cmpxchg) bytes: there is no byte or halfword
 * interlocked instruction, and the kernel's s390 too leaves those sizes to
 * the generic ops, so <krseq/arch/generic.h>'s C serves 1 and 2.
 */
#ifndef KRSEQ_ARCH_S390X_ATOMIC_H
#define KRSEQ_ARCH_S390X_ATOMIC_H

#include <krseq/arch/s390x/ops.h>

/* clang-format off */
#define KRSEQ__ARM_atomic(cs) ""
#define KRSEQ__END_atomic ""
#define KRSEQ__OUT_atomic
#define KRSEQ__AREG_atomic uintptr_t krseq__a = (uintptr_t)tpl
#define KRSEQ__AOUT_atomic [a] "+a"(krseq__a)
#define KRSEQ__IN_atomic
#define KRSEQ__XCHG_atomic KRSEQ__S390_XCHG_LOOP

KRSEQ__S390_GEN_AT48(atomic)
/* clang-format on */

#define KRSEQ_ARCH_HAS_atomic_4 1
#define KRSEQ_ARCH_HAS_atomic_8 1
#define KRSEQ_ARCH_HAS_atomic_16 1

#endif /* KRSEQ_ARCH_S390X_ATOMIC_H */
