/* SPDX-License-Identifier: MIT */
/*
 * x86_64 fixup: atomic's locked instruction on an address pinned to
 * KRSEQ_ARCH_FIXUP_REG, under a KRSEQ_CS_FIXUP descriptor (FIXUP). The
 * window needs a plain instruction inside it, since an asynchronous
 * interrupt is taken after a locked instruction, not on it: on the offset
 * read nothing has been read yet; after it %[a] holds the offset, then the
 * address, either of which the fix-up corrects. %[t] carries the
 * descriptor's address.
 */
#ifndef KRSEQ_ARCH_X86_64_FIXUP_H
#define KRSEQ_ARCH_X86_64_FIXUP_H

#include <krseq/arch/x86_64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_fixup(cs) KRSEQ_ASM_ARM(cs)
#define KRSEQ__CS_fixup "t"
#define KRSEQ__END_fixup KRSEQ_ASM_CS_FIXUP
#define KRSEQ__OUT_fixup , [t] "=&r"(t), KRSEQ_ASM_RSEQ_OUT
#define KRSEQ__AREG_fixup                                                      \
	register uintptr_t a __asm__(KRSEQ__X86_FIXUP_REGNAME);                \
	uintptr_t t
#define KRSEQ__AOUT_fixup [a] "=&r"(a)
#define KRSEQ__ADDR_fixup KRSEQ__X86_SCHED_ADDR
#define KRSEQ__IN_fixup , [tpl] "r"(tpl)

#define KRSEQ__X86_FIXUP(N) KRSEQ__X86_ADDR(fixup, N)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_FIXUP)
KRSEQ__X86_ADDR16(fixup)
/* clang-format on */

#endif /* KRSEQ_ARCH_X86_64_FIXUP_H */
