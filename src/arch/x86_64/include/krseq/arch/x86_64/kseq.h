/* SPDX-License-Identifier: MIT */
/*
 * x86_64 kseq: RESTART's two flavours in Peter Zijlstra's shape, with the
 * template's KSEQ ending (disarm store, restart label at the start, no
 * stub).
 *   kseq       - rs's load, op, store through %gs under a
 *                KRSEQ_CS_KSEQ_IRQ descriptor whose window starts at the
 *                descriptor's lea (1b): a restart arms again (KSEQ).
 *   kseq_sched - sched's locked instruction under KRSEQ_CS_KSEQ_SCHED,
 *                armed before the window (2b), which forms %[a] from the
 *                offset and %[tpl] again on a restart (KSEQ_SCHED).
 */
#ifndef KRSEQ_ARCH_X86_64_KSEQ_H
#define KRSEQ_ARCH_X86_64_KSEQ_H

#include <krseq/arch/x86_64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_kseq(cs) KRSEQ_ASM_ARM(cs)
#define KRSEQ__END_kseq KRSEQ_ASM_KSEQ(KRSEQ_CS_KSEQ_IRQ, 1b)
#define KRSEQ__OUT_kseq , KRSEQ_ASM_RSEQ_OUT

#define KRSEQ__ARM_kseq_sched(cs) KRSEQ_ASM_ARM_BEFORE(cs, "")
#define KRSEQ__CS_kseq_sched "a"
#define KRSEQ__END_kseq_sched KRSEQ_ASM_KSEQ(KRSEQ_CS_KSEQ_SCHED, 2b)
#define KRSEQ__OUT_kseq_sched , KRSEQ_ASM_RSEQ_OUT
#define KRSEQ__AREG_kseq_sched uintptr_t a
#define KRSEQ__AOUT_kseq_sched [a] "=&r"(a)
#define KRSEQ__ADDR_kseq_sched KRSEQ__X86_SCHED_ADDR
#define KRSEQ__IN_kseq_sched , [tpl] "r"(tpl)

#define KRSEQ__X86_KSEQ(N) KRSEQ__X86_GS(kseq, N)
#define KRSEQ__X86_KSEQ_SCHED(N) KRSEQ__X86_ADDR(kseq_sched, N)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_KSEQ)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_KSEQ_SCHED)
KRSEQ__X86_GS16(kseq)
KRSEQ__X86_ADDR16(kseq_sched)
/* clang-format on */

#endif /* KRSEQ_ARCH_X86_64_KSEQ_H */
