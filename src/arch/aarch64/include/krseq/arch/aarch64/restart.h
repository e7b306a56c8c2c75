/* SPDX-License-Identifier: MIT */
/*
 * aarch64 restart: both flavours, armed with KRSEQ_ASM_ARM_ONCE and
 * restarted from the template's abort stub; they differ in the
 * descriptor's flags.
 *   rs    - plain's load, op, store at [tpl, off], KRSEQ_CS_FLAVOUR_IRQ
 *           (RESTART). The window runs from the offset read to just after
 *           the store (the load for read).
 *   sched - atomic's offset + tpl and LSE instruction or LL/SC loop,
 *           KRSEQ_CS_FLAVOUR_SCHED (RESTART_SCHED). It must commit at the
 *           store-exclusive itself (a restart after a successful store
 *           would repeat it), so its retry branch lies outside the window
 *           and must read the offset again (2b): the task may have
 *           migrated at that very branch.
 */
#ifndef KRSEQ_ARCH_AARCH64_RESTART_H
#define KRSEQ_ARCH_AARCH64_RESTART_H

#include <krseq/arch/aarch64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_rs(cs) KRSEQ_ASM_ARM_ONCE(cs, "")
#define KRSEQ__END_rs KRSEQ_ASM_RESTART(KRSEQ_CS_FLAVOUR_IRQ)
#define KRSEQ__OUT_rs KRSEQ__A64_OUT_ARMED

#define KRSEQ__ARM_sched(cs) KRSEQ_ASM_ARM_ONCE(cs, "")
#define KRSEQ__END_sched KRSEQ_ASM_RESTART(KRSEQ_CS_FLAVOUR_SCHED)
#define KRSEQ__OUT_sched KRSEQ__A64_OUT_ARMED
#define KRSEQ__AREG_sched KRSEQ__A64_TPL_AREG
#define KRSEQ__ADDR_sched KRSEQ__A64_TPL_ADDR
#define KRSEQ__AOUT_sched KRSEQ__A64_TPL_AOUT
#define KRSEQ__AIN_sched KRSEQ__A64_TPL_AIN
#define KRSEQ__LOOP_sched "2b"
#define KRSEQ__MID_sched KRSEQ_ASM_COMMIT
#define KRSEQ__TAIL_sched ""

KRSEQ__A64_ALL_SIZES(KRSEQ__A64_DIRECT, rs)
KRSEQ__A64_DIRECT16(rs)
KRSEQ__A64_ALL_SIZES(KRSEQ__A64_ATOMIC, sched)
KRSEQ__A64_ATOMIC16(sched)
/* clang-format on */

#endif /* KRSEQ_ARCH_AARCH64_RESTART_H */
