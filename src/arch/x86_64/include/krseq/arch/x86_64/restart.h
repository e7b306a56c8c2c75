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
KRSEQ__X86_ADDR16(sched)

/*
 * rs at 16 bytes: the commit must be one instruction, so the new value is
 * packed into %xmm0 before the arming store (a restart keeps it: the
 * signal frame restores the vector registers), and one 16-byte SSE store
 * commits it. The two loads and compares may be cut anywhere, since any
 * interrupt restarts.
 */
static inline unsigned __int128
krseq_arch_rs_cmpxchg_16(void *tpl, unsigned __int128 o, unsigned __int128 n)
{
	uint64_t lo, hi;

	__asm__ __volatile__("movq %[nlo], %%xmm0\n\t"
			     "movq %[nhi], %%xmm1\n\t"
			     "punpcklqdq %%xmm1, %%xmm0\n\t"
			     KRSEQ_ASM_ARM("lo")
			     "movq %%gs:%[vlo], %[lo]\n\t"
			     "movq %%gs:%[vhi], %[hi]\n\t"
			     "cmpq %[olo], %[lo]\n\t"
			     "jne 3f\n\t"
			     "cmpq %[ohi], %[hi]\n\t"
			     "jne 3f\n\t"
			     "movups %%xmm0, %%gs:%[var]\n\t"
			     KRSEQ_ASM_COMMIT
			     KRSEQ__END_rs
			     : [lo] "=&r"(lo), [hi] "=&r"(hi),
			       [var] "+m"(*(unsigned __int128 *)tpl)
			       KRSEQ__OUT_rs
			     : [vlo] "m"(((uint64_t *)tpl)[0]),
			       [vhi] "m"(((uint64_t *)tpl)[1]),
			       [olo] "er"(KRSEQ__X86_LO(o)),
			       [ohi] "er"(KRSEQ__X86_HI(o)),
			       [nlo] "r"(KRSEQ__X86_LO(n)),
			       [nhi] "r"(KRSEQ__X86_HI(n))
			     : "memory", "cc", "xmm0", "xmm1");
	return KRSEQ__X86_U128(lo, hi);
}
/* clang-format on */

#define KRSEQ_ARCH_HAS_rs_1 1
#define KRSEQ_ARCH_HAS_rs_2 1
#define KRSEQ_ARCH_HAS_rs_4 1
#define KRSEQ_ARCH_HAS_rs_8 1
#define KRSEQ_ARCH_HAS_rs_16 1
#define KRSEQ_ARCH_HAS_sched_1 1
#define KRSEQ_ARCH_HAS_sched_2 1
#define KRSEQ_ARCH_HAS_sched_4 1
#define KRSEQ_ARCH_HAS_sched_8 1
#define KRSEQ_ARCH_HAS_sched_16 1

#endif /* KRSEQ_ARCH_X86_64_RESTART_H */
