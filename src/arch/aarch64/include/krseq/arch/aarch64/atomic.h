/* SPDX-License-Identifier: MIT */
/*
 * aarch64 atomic: offset + tpl in one register, then one LSE instruction
 * or an LL/SC loop that retries at the load; nothing armed (ATOMIC,
 * PREEMPT's body).
 */
#ifndef KRSEQ_ARCH_AARCH64_ATOMIC_H
#define KRSEQ_ARCH_AARCH64_ATOMIC_H

#include <krseq/arch/aarch64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_atomic(cs) ""
#define KRSEQ__END_atomic ""
#define KRSEQ__OUT_atomic
#define KRSEQ__AREG_atomic KRSEQ__A64_TPL_AREG
#define KRSEQ__ADDR_atomic KRSEQ__A64_TPL_ADDR
#define KRSEQ__AOUT_atomic KRSEQ__A64_TPL_AOUT
#define KRSEQ__AIN_atomic KRSEQ__A64_TPL_AIN
#define KRSEQ__LOOP_atomic "4b"
#define KRSEQ__MID_atomic ""
#define KRSEQ__TAIL_atomic KRSEQ_ASM_COMMIT

KRSEQ__A64_ALL_SIZES(KRSEQ__A64_ATOMIC, atomic)
KRSEQ__A64_ATOMIC16(atomic)
/* clang-format on */

#define KRSEQ_ARCH_HAS_atomic_1 1
#define KRSEQ_ARCH_HAS_atomic_2 1
#define KRSEQ_ARCH_HAS_atomic_4 1
#define KRSEQ_ARCH_HAS_atomic_8 1
#define KRSEQ_ARCH_HAS_atomic_16 1

#endif /* KRSEQ_ARCH_AARCH64_ATOMIC_H */
