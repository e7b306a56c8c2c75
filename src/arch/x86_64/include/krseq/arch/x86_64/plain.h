/* SPDX-License-Identifier: MIT */
/* x86_64 plain: load, op, store through %gs, unprotected (UNSAFE, IRQ's body). */
#ifndef KRSEQ_ARCH_X86_64_PLAIN_H
#define KRSEQ_ARCH_X86_64_PLAIN_H

#include <krseq/arch/x86_64/ops.h>

/* clang-format off */
#define KRSEQ__ARM_plain(cs) ""
#define KRSEQ__END_plain ""
#define KRSEQ__OUT_plain

#define KRSEQ__X86_PLAIN(N) KRSEQ__X86_GS(plain, N)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_PLAIN)

/* Unprotected, and not even one store: the negative control. */
static inline unsigned __int128
krseq_arch_plain_cmpxchg_16(void *tpl, unsigned __int128 o, unsigned __int128 n)
{
	uint64_t lo, hi;

	__asm__ __volatile__("movq %%gs:%[vlo], %[lo]\n\t"
			     "movq %%gs:%[vhi], %[hi]\n\t"
			     "cmpq %[olo], %[lo]\n\t"
			     "jne 3f\n\t"
			     "cmpq %[ohi], %[hi]\n\t"
			     "jne 3f\n\t"
			     "movq %[nlo], %%gs:%[vlo]\n\t"
			     "movq %[nhi], %%gs:%[vhi]\n\t"
			     KRSEQ_ASM_COMMIT
			     : [lo] "=&r"(lo), [hi] "=&r"(hi),
			       [vlo] "+m"(((uint64_t *)tpl)[0]),
			       [vhi] "+m"(((uint64_t *)tpl)[1])
			     : [olo] "er"(KRSEQ__X86_LO(o)),
			       [ohi] "er"(KRSEQ__X86_HI(o)),
			       [nlo] "er"(KRSEQ__X86_LO(n)),
			       [nhi] "er"(KRSEQ__X86_HI(n))
			     : "memory", "cc");
	return KRSEQ__X86_U128(lo, hi);
}
/* clang-format on */

#define KRSEQ_ARCH_HAS_plain_1 1
#define KRSEQ_ARCH_HAS_plain_2 1
#define KRSEQ_ARCH_HAS_plain_4 1
#define KRSEQ_ARCH_HAS_plain_8 1
#define KRSEQ_ARCH_HAS_plain_16 1

#endif /* KRSEQ_ARCH_X86_64_PLAIN_H */
