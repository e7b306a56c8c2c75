/* SPDX-License-Identifier: MIT */
/*
 * x86_64 atomic: tpl plus the offset in a register, then one locked
 * instruction; nothing armed (ATOMIC, PREEMPT's body).
 */
#ifndef KRSEQ_ARCH_X86_64_ATOMIC_H
#define KRSEQ_ARCH_X86_64_ATOMIC_H

#include <krseq/arch/x86_64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_atomic(cs) ""
#define KRSEQ__CS_atomic ""
#define KRSEQ__END_atomic ""
#define KRSEQ__OUT_atomic
/* a = tpl in any register, and one add makes it the copy's address. */
#define KRSEQ__AREG_atomic uintptr_t a = (uintptr_t)tpl
#define KRSEQ__AOUT_atomic [a] "+r"(a)
#define KRSEQ__ADDR_atomic KRSEQ__X86_ATOMIC_ADDR
#define KRSEQ__IN_atomic

#define KRSEQ__X86_ATOMIC(N) KRSEQ__X86_ADDR(atomic, N)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_ATOMIC)
KRSEQ__X86_ADDR16(atomic)
/* clang-format on */

#define KRSEQ_ARCH_HAS_atomic_1 1
#define KRSEQ_ARCH_HAS_atomic_2 1
#define KRSEQ_ARCH_HAS_atomic_4 1
#define KRSEQ_ARCH_HAS_atomic_8 1
#define KRSEQ_ARCH_HAS_atomic_16 1

#endif /* KRSEQ_ARCH_X86_64_ATOMIC_H */
