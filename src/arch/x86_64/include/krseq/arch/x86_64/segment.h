/* SPDX-License-Identifier: MIT */
/* x86_64 segment: one %gs-prefixed instruction, as the kernel's (SEGMENT). */
#ifndef KRSEQ_ARCH_X86_64_SEGMENT_H
#define KRSEQ_ARCH_X86_64_SEGMENT_H

#include <krseq/arch/x86_64/bits.h>

/* clang-format off */
/*
 * seg: the kernel's percpu ops, one %gs-prefixed instruction. No lock: an
 * interrupt lands only between instructions, and no other CPU uses this
 * CPU's copy.
 */
#define KRSEQ__X86_SEG(N)                                                      \
static inline uint64_t krseq_arch_seg_read_##N(void *tpl)                      \
{                                                                              \
	uint64_t r;                                                            \
	__asm__ __volatile__(KRSEQ__X86_LOAD(N, "r")                           \
			     : [r] "=r"(r)                                     \
			     : KRSEQ__X86_VAR(N, "m")                          \
			     : "memory");                                      \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_seg_write_##N(void *tpl, uint64_t v)             \
{                                                                              \
	__asm__ __volatile__(KRSEQ__X86_TOGS(N, "mov", "v")                    \
			     : KRSEQ__X86_VAR(N, "=m")                         \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory");                                      \
}                                                                              \
static inline void krseq_arch_seg_add_##N(void *tpl, uint64_t v)               \
{                                                                              \
	__asm__ __volatile__(KRSEQ__X86_TOGS(N, "add", "v")                    \
			     : KRSEQ__X86_VAR(N, "+m")                         \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory", "cc");                                \
}                                                                              \
static inline uint64_t krseq_arch_seg_fetch_add_##N(void *tpl, uint64_t v)     \
{                                                                              \
	__asm__ __volatile__(KRSEQ__X86_TOGS(N, "xadd", "v")                   \
			     : KRSEQ__X86_VAR(N, "+m"), [v] "+r"(v)            \
			     :                                                 \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))v;                                             \
}                                                                              \
static inline void krseq_arch_seg_and_##N(void *tpl, uint64_t v)               \
{                                                                              \
	__asm__ __volatile__(KRSEQ__X86_TOGS(N, "and", "v")                    \
			     : KRSEQ__X86_VAR(N, "+m")                         \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory", "cc");                                \
}                                                                              \
static inline void krseq_arch_seg_or_##N(void *tpl, uint64_t v)                \
{                                                                              \
	__asm__ __volatile__(KRSEQ__X86_TOGS(N, "or", "v")                     \
			     : KRSEQ__X86_VAR(N, "+m")                         \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory", "cc");                                \
}                                                                              \
/* xchg with memory would lock the bus: loop on cmpxchg, as percpu_xchg_op. */ \
static inline uint64_t krseq_arch_seg_xchg_##N(void *tpl, uint64_t v)          \
{                                                                              \
	uint64_t o;                                                            \
	__asm__ __volatile__(KRSEQ__X86_LOAD(N, "o")                           \
			     "4:\t" KRSEQ__X86_TOGS(N, "cmpxchg", "v")         \
			     "jne 4b\n\t"                                      \
			     : [o] "=&a"(o),                                   \
			       KRSEQ__X86_VAR(N, "+m")                         \
			     : [v] "r"(v)                                      \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))o;                                             \
}                                                                              \
static inline uint64_t krseq_arch_seg_cmpxchg_##N(void *tpl, uint64_t o,       \
						  uint64_t n)                  \
{                                                                              \
	__asm__ __volatile__(KRSEQ__X86_TOGS(N, "cmpxchg", "n")                \
			     : "+a"(o), KRSEQ__X86_VAR(N, "+m")                \
			     : [n] "r"(n)                                      \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))o;                                             \
}

KRSEQ__X86_ALL_SIZES(KRSEQ__X86_SEG)

/* One instruction without lock: %gs reaches only this CPU's copy. */
static inline unsigned __int128
krseq_arch_seg_cmpxchg_16(void *tpl, unsigned __int128 o, unsigned __int128 n)
{
	uint64_t lo = KRSEQ__X86_LO(o), hi = KRSEQ__X86_HI(o);

	__asm__ __volatile__("cmpxchg16b %%gs:%[var]\n\t"
			     : "+a"(lo), "+d"(hi),
			       [var] "+m"(*(unsigned __int128 *)tpl)
			     : "b"(KRSEQ__X86_LO(n)), "c"(KRSEQ__X86_HI(n))
			     : "memory", "cc");
	return KRSEQ__X86_U128(lo, hi);
}

/* clang-format on */

#endif /* KRSEQ_ARCH_X86_64_SEGMENT_H */
