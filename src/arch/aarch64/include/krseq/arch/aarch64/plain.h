/* SPDX-License-Identifier: MIT */
/* aarch64 plain: load, op, store at [tpl, off], unprotected (UNSAFE, IRQ's body). */
#ifndef KRSEQ_ARCH_AARCH64_PLAIN_H
#define KRSEQ_ARCH_AARCH64_PLAIN_H

#include <krseq/arch/aarch64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_plain(cs) ""
#define KRSEQ__END_plain ""
#define KRSEQ__OUT_plain

KRSEQ__A64_ALL_SIZES(KRSEQ__A64_DIRECT, plain)
KRSEQ__A64_DIRECT16(plain)
/* clang-format on */

#define KRSEQ_ARCH_HAS_plain_1 1
#define KRSEQ_ARCH_HAS_plain_2 1
#define KRSEQ_ARCH_HAS_plain_4 1
#define KRSEQ_ARCH_HAS_plain_8 1
#define KRSEQ_ARCH_HAS_plain_16 1

#endif /* KRSEQ_ARCH_AARCH64_PLAIN_H */
