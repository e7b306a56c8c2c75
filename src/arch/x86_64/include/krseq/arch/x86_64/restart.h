/* SPDX-License-Identifier: MIT */
/*
 * x86_64 restart: both flavours, armed with KRSEQ_ASM_ARM and restarted
 * from the template's abort stub; they differ in the descriptor's flags.
 *   rs    - plain's load, op, store through %gs, KRSEQ_CS_FLAVOUR_IRQ
 *           (RESTART).
 *   sched - atomic's locked instruction, KRSEQ_CS_FLAVOUR_SCHED
 *           (RESTART_SCHED): the window reads the offset into %[a] and adds
 *           the template from %[tpl], which it never writes, so that it can
 *           run again (%[a] also carries the descriptor address before it).
 */
#ifndef KRSEQ_ARCH_X86_64_RESTART_H
#define KRSEQ_ARCH_X86_64_RESTART_H

#include <krseq/arch/x86_64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_rs(cs) KRSEQ_ASM_ARM(cs)
#define KRSEQ__END_rs KRSEQ_ASM_RESTART(KRSEQ_CS_FLAVOUR_IRQ)
#define KRSEQ__OUT_rs , KRSEQ_ASM_RSEQ_OUT

#define KRSEQ__ARM_sched(cs) KRSEQ_ASM_ARM(cs)
#define KRSEQ__CS_sched "a"
#define KRSEQ__END_sched KRSEQ_ASM_RESTART(KRSEQ_CS_FLAVOUR_SCHED)
#define KRSEQ__OUT_sched , KRSEQ_ASM_RSEQ_OUT
#define KRSEQ__AREG_sched uintptr_t a
#define KRSEQ__AOUT_sched [a] "=&r"(a)
#define KRSEQ__ADDR_sched KRSEQ__X86_SCHED_ADDR
#define KRSEQ__IN_sched , [tpl] "r"(tpl)

#define KRSEQ__X86_RS(N) KRSEQ__X86_GS(rs, N)
#define KRSEQ__X86_SCHED(N) KRSEQ__X86_ADDR(sched, N)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_RS)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_SCHED)
KRSEQ__X86_GS16(rs)
KRSEQ__X86_ADDR16(sched)
/* clang-format on */

#endif /* KRSEQ_ARCH_X86_64_RESTART_H */
