/* SPDX-License-Identifier: MIT */
/*
 * s390x plain: load, op, store indexed by the lowcore's offset,
 * unprotected (UNSAFE, IRQ's body), at 1, 2, 4, 8 and 16 (cmpxchg) bytes.
 */
#ifndef KRSEQ_ARCH_S390X_PLAIN_H
#define KRSEQ_ARCH_S390X_PLAIN_H

#include <krseq/arch/s390x/ops.h>

/* clang-format off */
#define KRSEQ__ARM_plain(cs) ""
#define KRSEQ__END_plain ""
#define KRSEQ__OUT_plain

KRSEQ__S390_GEN_PR_ALL(plain)
/* clang-format on */

#define KRSEQ_ARCH_HAS_plain_1 1
#define KRSEQ_ARCH_HAS_plain_2 1
#define KRSEQ_ARCH_HAS_plain_4 1
#define KRSEQ_ARCH_HAS_plain_8 1
#define KRSEQ_ARCH_HAS_plain_16 1

#endif /* KRSEQ_ARCH_S390X_PLAIN_H */
