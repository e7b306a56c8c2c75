/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the op bodies that several schemes share, for a sequence SEQ
 * whose file defines its pieces (see <krseq/arch/template.h>):
 *   KRSEQ__ARM_SEQ(cs)  the arming, with scratch operand cs ("" unarmed)
 *   KRSEQ__END_SEQ      what follows the commit label
 *   KRSEQ__OUT_SEQ      extra outputs, each after a comma
 * and, for KRSEQ__X86_ADDR, how the address register is formed:
 *   KRSEQ__AREG_SEQ     its declaration (and the arming scratch's)
 *   KRSEQ__AOUT_SEQ     its operand
 *   KRSEQ__ADDR_SEQ     the instructions that form it
 *   KRSEQ__IN_SEQ       extra inputs, each after a comma
 *   KRSEQ__CS_SEQ       the arming scratch's operand name
 */
#ifndef KRSEQ_ARCH_X86_64_OPS_H
#define KRSEQ_ARCH_X86_64_OPS_H

#include <krseq/arch/x86_64/bits.h>

/* clang-format off */

/*
 * Load, op, store through %gs (plain, rs). The arming scratch is always
 * an output the window writes before it reads it, so a restart may
 * clobber it.
 */
#define KRSEQ__X86_GS(SEQ, N)                                                  \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                  \
{                                                                              \
	uint64_t r;                                                            \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("r") KRSEQ__X86_LOAD(N, "r")     \
			     KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ                 \
			     : [r] "=&r"(r) KRSEQ__OUT_##SEQ                   \
			     : KRSEQ__X86_VAR(N, "m")                          \
			     : "memory");                                      \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)         \
{                                                                              \
	uint64_t t;                                                            \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("t")                             \
			     "mov" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "v")  \
			     ", %%gs:%[var]\n\t"                               \
			     KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ                 \
			     : [t] "=&r"(t),                                   \
			       KRSEQ__X86_VAR(N, "=m") KRSEQ__OUT_##SEQ        \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory");                                      \
	(void)t;                                                               \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl,             \
							uint64_t v)            \
{                                                                              \
	uint64_t o, t;                                                         \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("t") KRSEQ__X86_LOAD(N, "o")     \
			     "leaq (%q[o], %q[v]), %q[t]\n\t"                  \
			     KRSEQ__X86_TOGS(N, "mov", "t")                    \
			     KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ                 \
			     : [o] "=&r"(o), [t] "=&r"(t),                     \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__OUT_##SEQ        \
			     : [v] "r"(v)                                      \
			     : "memory");                                      \
	return o;                                                              \
}                                                                              \
KRSEQ__X86_GS_RMW(SEQ, N, add, "add")                                          \
KRSEQ__X86_GS_RMW(SEQ, N, and, "and")                                          \
KRSEQ__X86_GS_RMW(SEQ, N, or, "or")                                            \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)      \
{                                                                              \
	uint64_t o;                                                            \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("o") KRSEQ__X86_LOAD(N, "o")     \
			     "mov" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "v")  \
			     ", %%gs:%[var]\n\t"                               \
			     KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ                 \
			     : [o] "=&r"(o),                                   \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__OUT_##SEQ        \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory");                                      \
	return o;                                                              \
}                                                                              \
/* The miss jumps to 3:, the commit: it leaves the window unstored. */         \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,   \
						      uint64_t n)              \
{                                                                              \
	uint64_t c;                                                            \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("c") KRSEQ__X86_LOAD(N, "c")     \
			     "cmp" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "o")  \
			     ", " KRSEQ__X86_REG(N, "c") "\n\t"                \
			     "jne 3f\n\t"                                      \
			     "mov" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "n")  \
			     ", %%gs:%[var]\n\t"                               \
			     KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ                 \
			     : [c] "=&r"(c),                                   \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__OUT_##SEQ        \
			     : [o] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))o),        \
			       [n] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))n)         \
			     : "memory", "cc");                                \
	return c;                                                              \
}

/* op{N} on a loaded copy: the result's upper bytes are never stored. */
#define KRSEQ__X86_GS_RMW(SEQ, N, OP, INSN)                                    \
static inline void krseq_arch_##SEQ##_##OP##_##N(void *tpl, uint64_t v)        \
{                                                                              \
	uint64_t t;                                                            \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("t") KRSEQ__X86_LOAD(N, "t")     \
			     INSN KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "v")   \
			     ", " KRSEQ__X86_REG(N, "t") "\n\t"                \
			     KRSEQ__X86_TOGS(N, "mov", "t")                    \
			     KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ                 \
			     : [t] "=&r"(t),                                   \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__OUT_##SEQ        \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory", "cc");                                \
}

/*
 * The address in %[a], then one instruction that interrupts cannot split,
 * lock-prefixed where it reads and writes (atomic, sched, fixup).
 */
#define KRSEQ__X86_AASM(SEQ, BODY)                                             \
	KRSEQ__ARM_##SEQ(KRSEQ__CS_##SEQ) KRSEQ__ADDR_##SEQ BODY               \
	KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ

#define KRSEQ__X86_ADDR(SEQ, N)                                                \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                  \
{                                                                              \
	KRSEQ__AREG_##SEQ; uint64_t r;                                         \
	__asm__ __volatile__(KRSEQ__X86_AASM(SEQ, KRSEQ__X86_LOADA(N, "r"))    \
			     : [r] "=&r"(r), KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ \
			     : KRSEQ__X86_OFF KRSEQ__IN_##SEQ                  \
			     : "memory", "cc");                                \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)         \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                     \
	__asm__ __volatile__(KRSEQ__X86_AASM(SEQ,                              \
				KRSEQ__X86_TOA(N, "mov", "v"))                 \
			     : KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ              \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v),        \
			       KRSEQ__X86_OFF KRSEQ__IN_##SEQ                  \
			     : "memory", "cc");                                \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl,             \
							uint64_t v)            \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                     \
	__asm__ __volatile__(KRSEQ__X86_AASM(SEQ,                              \
				KRSEQ__X86_TOA(N, "lock xadd", "v"))           \
			     : [v] "+r"(v), KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ \
			     : KRSEQ__X86_OFF KRSEQ__IN_##SEQ                  \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))v;                                             \
}                                                                              \
KRSEQ__X86_ADDR_RMW(SEQ, N, add, "lock add")                                   \
KRSEQ__X86_ADDR_RMW(SEQ, N, and, "lock and")                                   \
KRSEQ__X86_ADDR_RMW(SEQ, N, or, "lock or")                                     \
/* xchg with memory is locked without the prefix. */                           \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)      \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                     \
	__asm__ __volatile__(KRSEQ__X86_AASM(SEQ,                              \
				KRSEQ__X86_TOA(N, "xchg", "v"))                \
			     : [v] "+r"(v), KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ \
			     : KRSEQ__X86_OFF KRSEQ__IN_##SEQ                  \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))v;                                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,   \
						      uint64_t n)              \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                     \
	__asm__ __volatile__(KRSEQ__X86_AASM(SEQ,                              \
				KRSEQ__X86_TOA(N, "lock cmpxchg", "n"))        \
			     : "+a"(o), KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ     \
			     : [n] "r"(n), KRSEQ__X86_OFF KRSEQ__IN_##SEQ      \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))o;                                             \
}

#define KRSEQ__X86_ADDR_RMW(SEQ, N, OP, INSN)                                  \
static inline void krseq_arch_##SEQ##_##OP##_##N(void *tpl, uint64_t v)        \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                     \
	__asm__ __volatile__(KRSEQ__X86_AASM(SEQ, KRSEQ__X86_TOA(N, INSN, "v"))\
			     : KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ              \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v),        \
			       KRSEQ__X86_OFF KRSEQ__IN_##SEQ                  \
			     : "memory", "cc");                                \
}

/*
 * 16 bytes: cmpxchg16b takes the expected value in %rdx:%rax, the new one
 * in %rcx:%rbx, leaves the value found in %rdx:%rax, and faults unless the
 * copy is 16-byte aligned (it is: copies are whole pages apart and the
 * template of a 16-byte type is aligned).
 */
#define KRSEQ__X86_ADDR16(SEQ)                                                 \
static inline unsigned __int128                                                \
krseq_arch_##SEQ##_cmpxchg_16(void *tpl, unsigned __int128 o,                  \
			      unsigned __int128 n)                             \
{                                                                              \
	uint64_t lo = KRSEQ__X86_LO(o), hi = KRSEQ__X86_HI(o);                 \
	KRSEQ__AREG_##SEQ;                                                     \
	__asm__ __volatile__(KRSEQ__X86_AASM(SEQ,                              \
				"lock cmpxchg16b (%q[a])\n\t")                 \
			     : "+a"(lo), "+d"(hi), KRSEQ__AOUT_##SEQ           \
			       KRSEQ__OUT_##SEQ                                \
			     : "b"(KRSEQ__X86_LO(n)), "c"(KRSEQ__X86_HI(n)),   \
			       KRSEQ__X86_OFF KRSEQ__IN_##SEQ                  \
			     : "memory", "cc");                                \
	return KRSEQ__X86_U128(lo, hi);                                        \
}

/*
 * plain's shape at 16 bytes, armed (rs, kseq): the commit must be one
 * instruction, so the new value is packed into %xmm0 before the arming
 * store (a restart keeps it: the signal frame restores the vector
 * registers), and one 16-byte SSE store commits it. The two loads and compares may be cut anywhere, since any
 * interrupt restarts.
 */
#define KRSEQ__X86_GS16(SEQ)                                                   \
static inline unsigned __int128                                                \
krseq_arch_##SEQ##_cmpxchg_16(void *tpl, unsigned __int128 o,                 \
			      unsigned __int128 n)                             \
{                                                                              \
	uint64_t lo, hi;                                                       \
                                                                               \
	__asm__ __volatile__("movq %[nlo], %%xmm0\n\t"                         \
			     "movq %[nhi], %%xmm1\n\t"                         \
			     "punpcklqdq %%xmm1, %%xmm0\n\t"                   \
			     KRSEQ__ARM_##SEQ("lo")                            \
			     "movq %%gs:%[vlo], %[lo]\n\t"                     \
			     "movq %%gs:%[vhi], %[hi]\n\t"                     \
			     "cmpq %[olo], %[lo]\n\t"                          \
			     "jne 3f\n\t"                                      \
			     "cmpq %[ohi], %[hi]\n\t"                          \
			     "jne 3f\n\t"                                      \
			     "movups %%xmm0, %%gs:%[var]\n\t"                  \
			     KRSEQ_ASM_COMMIT                                  \
			     KRSEQ__END_##SEQ                                  \
			     : [lo] "=&r"(lo), [hi] "=&r"(hi),                 \
			       [var] "+m"(*(unsigned __int128 *)tpl)           \
			       KRSEQ__OUT_##SEQ                                \
			     : [vlo] "m"(((uint64_t *)tpl)[0]),                \
			       [vhi] "m"(((uint64_t *)tpl)[1]),                \
			       [olo] "er"(KRSEQ__X86_LO(o)),                   \
			       [ohi] "er"(KRSEQ__X86_HI(o)),                   \
			       [nlo] "r"(KRSEQ__X86_LO(n)),                    \
			       [nhi] "r"(KRSEQ__X86_HI(n))                     \
			     : "memory", "cc", "xmm0", "xmm1");                \
	return KRSEQ__X86_U128(lo, hi);                                        \
}

/* clang-format on */

#endif /* KRSEQ_ARCH_X86_64_OPS_H */
