/* SPDX-License-Identifier: MIT */
/*
 * aarch64 kseq: RESTART's two flavours in Peter Zijlstra's shape, with the
 * template's KSEQ ending (disarm store of xzr, restart label at the start,
 * no stub).
 *   kseq       - rs's load, op, store at [tpl, off] under a
 *                KRSEQ_CS_KSEQ_IRQ descriptor whose window starts at the
 *                arming store (1b): a restart arms again (KSEQ).
 *   kseq_sched - sched's LSE instruction or LL/SC loop under
 *                KRSEQ_CS_KSEQ_SCHED, armed before the window (2b). As in
 *                sched, the LL/SC retry branch lies after the commit and
 *                goes back to 2b; the disarm comes after it (KSEQ_SCHED).
 */
#ifndef KRSEQ_ARCH_AARCH64_KSEQ_H
#define KRSEQ_ARCH_AARCH64_KSEQ_H

#include <krseq/arch/aarch64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_kseq(cs) KRSEQ_ASM_ARM_ONCE(cs, "")
#define KRSEQ__END_kseq KRSEQ_ASM_KSEQ(KRSEQ_CS_KSEQ_IRQ, 1b)
#define KRSEQ__OUT_kseq KRSEQ__A64_OUT_ARMED

#define KRSEQ__ARM_kseq_sched(cs) KRSEQ_ASM_ARM_BEFORE(cs, "")
#define KRSEQ__END_kseq_sched KRSEQ_ASM_KSEQ(KRSEQ_CS_KSEQ_SCHED, 2b)
#define KRSEQ__OUT_kseq_sched KRSEQ__A64_OUT_ARMED
#define KRSEQ__AREG_kseq_sched KRSEQ__A64_TPL_AREG
#define KRSEQ__ADDR_kseq_sched KRSEQ__A64_TPL_ADDR
#define KRSEQ__AOUT_kseq_sched KRSEQ__A64_TPL_AOUT
#define KRSEQ__AIN_kseq_sched KRSEQ__A64_TPL_AIN
#define KRSEQ__LOOP_kseq_sched "2b"
#define KRSEQ__MID_kseq_sched KRSEQ_ASM_COMMIT
#define KRSEQ__TAIL_kseq_sched ""

KRSEQ__A64_ALL_SIZES(KRSEQ__A64_DIRECT, kseq)
KRSEQ__A64_DIRECT16(kseq)
KRSEQ__A64_ALL_SIZES(KRSEQ__A64_ATOMIC, kseq_sched)
KRSEQ__A64_ATOMIC16(kseq_sched)
/* clang-format on */

#endif /* KRSEQ_ARCH_AARCH64_KSEQ_H */
