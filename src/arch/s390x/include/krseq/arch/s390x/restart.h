/* SPDX-License-Identifier: MIT */
/*
 * s390x restart: both flavours, restarted from the template's abort stub;
 * they differ in the descriptor's flags.
 *   rs    - plain's lowcore loads, load, op, store, all in the window,
 *           KRSEQ_CS_FLAVOUR_IRQ (RESTART), at 1, 2, 4, 8 and 16 bytes.
 *           The restart re-forms the descriptor's address in [o].
 *   sched - atomic's ag and interlocked instruction,
 *           KRSEQ_CS_FLAVOUR_SCHED (RESTART_SCHED), at 4, 8 and 16 bytes
 *           (no byte or halfword interlocked instruction: those cells are
 *           n/a in the registry). ag consumes a, so the restart reloads it
 *           from t before it re-arms. xchg's cs is its commit: a failed cs
 *           leaves through the restart stub, which starts again from the
 *           template, so the branch may run after a migration without harm.
 */
#ifndef KRSEQ_ARCH_S390X_RESTART_H
#define KRSEQ_ARCH_S390X_RESTART_H

#include <krseq/arch/s390x/ops.h>

/* clang-format off */
#define KRSEQ__ARM_rs(cs) KRSEQ_ASM_ARM(cs)
#define KRSEQ__END_rs KRSEQ_ASM_RESTART(KRSEQ_CS_FLAVOUR_IRQ)
#define KRSEQ__OUT_rs , KRSEQ_ASM_RSEQ_OUT

#define KRSEQ__ARM_sched(cs) KRSEQ_ASM_ARM_ONCE(cs, "lgr\t%[a],%[t]\n\t")
#define KRSEQ__END_sched KRSEQ_ASM_RESTART(KRSEQ_CS_FLAVOUR_SCHED)
#define KRSEQ__OUT_sched KRSEQ__S390_OUT_ARMED
#define KRSEQ__AREG_sched                                                      \
	uintptr_t krseq__a;                                                    \
	uintptr_t krseq__cs
#define KRSEQ__AOUT_sched [a] "=&a"(krseq__a)
#define KRSEQ__IN_sched , [t] "a"(tpl)
#define KRSEQ__XCHG_sched(CS)                                                  \
	CS "\t%[r],%[v],0(%[a])\n"                                             \
	KRSEQ_ASM_COMMIT                                                       \
	"jgl\t9f\n\t"

KRSEQ__S390_GEN_PR_ALL(rs)
KRSEQ__S390_GEN_AT48(sched)
/* clang-format on */

#endif /* KRSEQ_ARCH_S390X_RESTART_H */
