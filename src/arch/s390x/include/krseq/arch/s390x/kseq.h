/* SPDX-License-Identifier: MIT */
/*
 * s390x kseq: RESTART's two flavours in Peter Zijlstra's shape, with the
 * template's KSEQ ending (mvghi of 0 disarms, restart label at the start,
 * no stub).
 *   kseq       - rs's lowcore loads, load, op, store under a
 *                KRSEQ_CS_KSEQ_IRQ descriptor whose window starts at the
 *                descriptor's larl (1b): a restart arms again (KSEQ), at
 *                1, 2, 4, 8 and 16 bytes.
 *   kseq_sched - sched's ag and interlocked instruction under
 *                KRSEQ_CS_KSEQ_SCHED, armed before the window (2b), which
 *                begins by copying the template address into a (ag
 *                consumes it), at 4, 8 and 16 bytes. A failed cs of xchg
 *                branches back to 2b, still armed (KSEQ_SCHED).
 */
#ifndef KRSEQ_ARCH_S390X_KSEQ_H
#define KRSEQ_ARCH_S390X_KSEQ_H

#include <krseq/arch/s390x/ops.h>

/* clang-format off */
#define KRSEQ__ARM_kseq(cs) KRSEQ_ASM_ARM(cs)
#define KRSEQ__END_kseq KRSEQ_ASM_KSEQ(KRSEQ_CS_KSEQ_IRQ, 1b)
#define KRSEQ__OUT_kseq , KRSEQ__S390_RSEQ_Q

#define KRSEQ__ARM_kseq_sched(cs) KRSEQ_ASM_ARM_BEFORE(cs, "lgr\t%[a],%[t]\n\t")
#define KRSEQ__END_kseq_sched KRSEQ_ASM_KSEQ(KRSEQ_CS_KSEQ_SCHED, 2b)
#define KRSEQ__OUT_kseq_sched , [cs] "=&a"(krseq__cs), KRSEQ__S390_RSEQ_Q
#define KRSEQ__AREG_kseq_sched                                                 \
	uintptr_t krseq__a;                                                    \
	uintptr_t krseq__cs
#define KRSEQ__AOUT_kseq_sched [a] "=&a"(krseq__a)
#define KRSEQ__IN_kseq_sched , [t] "a"(tpl)
#define KRSEQ__XCHG_kseq_sched(CS)                                             \
	CS "\t%[r],%[v],0(%[a])\n"                                             \
	KRSEQ_ASM_COMMIT                                                       \
	"jgl\t2b\n\t"

KRSEQ__S390_GEN_PR_ALL(kseq)
KRSEQ__S390_GEN_AT48(kseq_sched)
/* clang-format on */

#endif /* KRSEQ_ARCH_S390X_KSEQ_H */
