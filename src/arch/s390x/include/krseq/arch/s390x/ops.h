/* SPDX-License-Identifier: MIT */
/*
 * s390x: the op bodies that several schemes share, for a sequence SEQ
 * whose file defines its pieces (see <krseq/arch/template.h>):
 *   KRSEQ__ARM_SEQ(cs)  the arming, with scratch operand cs ("" unarmed)
 *   KRSEQ__END_SEQ      what follows the commit label
 *   KRSEQ__OUT_SEQ      extra outputs, each after a comma
 * and, for KRSEQ__S390_GEN_AT, the address register a and xchg's loop:
 *   KRSEQ__AREG_SEQ     its declaration (and the arming scratch's)
 *   KRSEQ__AOUT_SEQ     its operand, first of the outputs
 *   KRSEQ__IN_SEQ       extra inputs, each after a comma
 *   KRSEQ__XCHG_SEQ(CS) xchg's cs, ending at the commit label
 *
 * Two ways to reach the running CPU's copy, both from the thread area:
 *  - plain, rs: krseq_ta.lowcore, then the lowcore's percpu_offset, used as
 *    the index register of every access. In rs both loads sit inside the
 *    window, so an interrupt that migrates the task restarts them.
 *  - atomic, sched, fixup: one "ag" of krseq_ta.percpu_offset (which, like
 *    the prefixed lowcore at absolute 0, always shows the running CPU) to
 *    a register that holds the template address, as the s390 series
 *    "s390: Improve this_cpu operations" does. That ag is the window start:
 *    a fix-up is due only once it has executed.
 *
 * Values may arrive with garbage above N bytes (this_cpu_sub passes a
 * negated 64-bit value): stores take the low N bytes anyway, and compare
 * values are truncated in C before they reach a compare instruction.
 */
#ifndef KRSEQ_ARCH_S390X_OPS_H
#define KRSEQ_ARCH_S390X_OPS_H

#include <krseq/arch/s390x/bits.h>

/* Assembler text and operand lists are laid out by hand. */
/* clang-format off */

/*
 * The running CPU's offset through the lowcore pointer: two loads. Under
 * the kernel ABI the lowcore is at absolute 0 and the offset one load.
 */
#ifdef KRSEQ_ABI_KERNEL
#define KRSEQ__S390_LC "lg\t%[o],%[lc]\n\t"
#define KRSEQ__S390_LC_IN [lc] "m"(krseq_ta.percpu_offset)
#else
#define KRSEQ__S390_LC                                                         \
	"lg\t%[o],%[lc]\n\t"                                                   \
	"lg\t%[o],0(%[o])\n\t"
#define KRSEQ__S390_LC_IN [lc] "m"(krseq_ta.lowcore)
#endif

/*
 * Operand lists are passed as one parenthesised macro argument, "()" or
 * "(, [x] ..., [y] ...)", and unwrapped where they join the asm.
 */
#define KRSEQ__S390_OPS(...) __VA_ARGS__

#define KRSEQ__S390_PR_ASM(SEQ, body, outs, ins)                               \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("o") KRSEQ__S390_LC body         \
			     KRSEQ_ASM_COMMIT KRSEQ__END_##SEQ                 \
			     : [o] "=&a"(krseq__o) KRSEQ__S390_OPS outs        \
				     KRSEQ__OUT_##SEQ                          \
			     : KRSEQ__S390_LC_IN, [t] "a"(tpl)               \
				       KRSEQ__S390_OPS ins                     \
			     : "memory", "cc")

#define KRSEQ__S390_PR_DECL uintptr_t krseq__o

#define KRSEQ__S390_PR_ADDR "0(%[o],%[t])"

/*
 * plain or rs at size N. LD zero-extends to 64 bits, so results need no
 * further extension; CMP compares the low N bytes (after C truncation of
 * the expected value for N < 4).
 */
#define KRSEQ__S390_GEN_PR(SEQ, N, T, LD, ST, CMP)                             \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                  \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t r;                                                            \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		LD "\t%[r]," KRSEQ__S390_PR_ADDR "\n",                         \
		(, [r] "=&d"(r)), ());                                         \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)         \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		ST "\t%[v]," KRSEQ__S390_PR_ADDR "\n",                         \
		(), (, [v] "d"(v)));                                           \
}                                                                              \
static inline void krseq_arch_##SEQ##_add_##N(void *tpl, uint64_t v)           \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t x;                                                            \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		LD "\t%[x]," KRSEQ__S390_PR_ADDR "\n\t"                        \
		"agr\t%[x],%[v]\n\t"                                           \
		ST "\t%[x]," KRSEQ__S390_PR_ADDR "\n",                         \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl,             \
							 uint64_t v)           \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t r, x;                                                         \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		LD "\t%[r]," KRSEQ__S390_PR_ADDR "\n\t"                        \
		"agrk\t%[x],%[r],%[v]\n\t"                                     \
		ST "\t%[x]," KRSEQ__S390_PR_ADDR "\n",                         \
		(, [r] "=&d"(r), [x] "=&d"(x)), (, [v] "d"(v)));               \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_and_##N(void *tpl, uint64_t v)           \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t x;                                                            \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		LD "\t%[x]," KRSEQ__S390_PR_ADDR "\n\t"                        \
		"ngr\t%[x],%[v]\n\t"                                           \
		ST "\t%[x]," KRSEQ__S390_PR_ADDR "\n",                         \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline void krseq_arch_##SEQ##_or_##N(void *tpl, uint64_t v)            \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t x;                                                            \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		LD "\t%[x]," KRSEQ__S390_PR_ADDR "\n\t"                        \
		"ogr\t%[x],%[v]\n\t"                                           \
		ST "\t%[x]," KRSEQ__S390_PR_ADDR "\n",                         \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)      \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t r;                                                            \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		LD "\t%[r]," KRSEQ__S390_PR_ADDR "\n\t"                        \
		ST "\t%[v]," KRSEQ__S390_PR_ADDR "\n",                         \
		(, [r] "=&d"(r)), (, [v] "d"(v)));                             \
	return r;                                                              \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,   \
						       uint64_t n)             \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t r, e = (T)o;                                                  \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		LD "\t%[r]," KRSEQ__S390_PR_ADDR "\n\t"                        \
		CMP "\t%[r],%[e]\n\t"                                          \
		"jne\t3f\n\t"                                                  \
		ST "\t%[n]," KRSEQ__S390_PR_ADDR "\n",                         \
		(, [r] "=&d"(r)), (, [e] "d"(e), [n] "d"(n)));                 \
	return r;                                                              \
}

/*
 * 16 bytes: two lg (no alignment needed), compare both halves, then one
 * stpq of the even/odd pair holding the new value (GCC keeps a 128-bit
 * value in GPRs only in an even/odd pair, high half in the even register,
 * which is what the kernel's cdsg asm relies on too).
 */
#define KRSEQ__S390_GEN_PR16(SEQ)                                              \
static inline unsigned __int128 krseq_arch_##SEQ##_cmpxchg_16(                 \
	void *tpl, unsigned __int128 o, unsigned __int128 n)                   \
{                                                                              \
	KRSEQ__S390_PR_DECL;                                                   \
	uint64_t rh, rl, oh = (uint64_t)(o >> 64), ol = (uint64_t)o;           \
	KRSEQ__S390_PR_ASM(SEQ,                                                \
		"lg\t%[rh],0(%[o],%[t])\n\t"                                   \
		"lg\t%[rl],8(%[o],%[t])\n\t"                                   \
		"clgr\t%[rh],%[oh]\n\t"                                        \
		"jne\t3f\n\t"                                                  \
		"clgr\t%[rl],%[ol]\n\t"                                        \
		"jne\t3f\n\t"                                                  \
		"stpq\t%[n],0(%[o],%[t])\n",                                   \
		(, [rh] "=&d"(rh), [rl] "=&d"(rl)),                            \
		(, [oh] "d"(oh), [ol] "d"(ol), [n] "d"(n)));                   \
	return (unsigned __int128)rh << 64 | rl;                               \
}

/*
 * xchg as a cs loop inside the window (atomic, fixup): under a fix-up, cs
 * compares against the value it read from the old copy, so a rewritten
 * address makes it fail and read the new copy.
 */
#define KRSEQ__S390_XCHG_LOOP(CS)                                              \
	"4:\t" CS "\t%[r],%[v],0(%[a])\n\t"                                    \
	"jl\t4b\n"                                                             \
	KRSEQ_ASM_COMMIT

#define KRSEQ__S390_AT_ASM(SEQ, body, outs, ins)                               \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                            \
			     "ag\t%[a],%[pcpu]\n\t"                            \
			     body                                              \
			     KRSEQ__END_##SEQ                                  \
			     : KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ              \
				     KRSEQ__S390_OPS outs                      \
			     : [pcpu] "m"(krseq_ta.percpu_offset)              \
				       KRSEQ__S390_OPS ins                     \
			       KRSEQ__IN_##SEQ                                 \
			     : "memory", "cc")

/*
 * atomic, sched or fixup at size N (4 or 8): one interlocked-access
 * instruction (LAA, LAN, LAO) or one cs is the commit. LAA and friends
 * replace only the low 32 bits at N = 4, hence the result type T.
 */
#define KRSEQ__S390_GEN_AT(SEQ, N, T, LD, ST, LAA, LAN, LAO, CS)               \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                  \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	uint64_t r;                                                            \
	KRSEQ__S390_AT_ASM(SEQ, LD "\t%[r],0(%[a])\n" KRSEQ_ASM_COMMIT,           \
		(, [r] "=&d"(r)), ());                                         \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)         \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	KRSEQ__S390_AT_ASM(SEQ, ST "\t%[v],0(%[a])\n" KRSEQ_ASM_COMMIT,           \
		(), (, [v] "d"(v)));                                           \
}                                                                              \
static inline void krseq_arch_##SEQ##_add_##N(void *tpl, uint64_t v)           \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	T x;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAA "\t%[x],%[v],0(%[a])\n" KRSEQ_ASM_COMMIT,     \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl,             \
							 uint64_t v)           \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	T r;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAA "\t%[r],%[v],0(%[a])\n" KRSEQ_ASM_COMMIT,     \
		(, [r] "=&d"(r)), (, [v] "d"(v)));                             \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_and_##N(void *tpl, uint64_t v)           \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	T x;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAN "\t%[x],%[v],0(%[a])\n" KRSEQ_ASM_COMMIT,     \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline void krseq_arch_##SEQ##_or_##N(void *tpl, uint64_t v)            \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	T x;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAO "\t%[x],%[v],0(%[a])\n" KRSEQ_ASM_COMMIT,     \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)      \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	uint64_t r;                                                            \
	KRSEQ__S390_AT_ASM(SEQ,                                                \
		LD "\t%[r],0(%[a])\n\t"                                        \
		KRSEQ__XCHG_##SEQ(CS),                                    \
		(, [r] "=&d"(r)), (, [v] "d"(v)));                             \
	return r;                                                              \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,   \
						       uint64_t n)             \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	uint64_t r = (T)o;                                                     \
	KRSEQ__S390_AT_ASM(SEQ, CS "\t%[r],%[n],0(%[a])\n" KRSEQ_ASM_COMMIT,      \
		(, [r] "+&d"(r)), (, [n] "d"(n)));                             \
	return r;                                                              \
}

/* cdsg: both pairs even/odd, as GCC allocates 128-bit values in GPRs. */
#define KRSEQ__S390_GEN_AT16(SEQ)                                              \
static inline unsigned __int128 krseq_arch_##SEQ##_cmpxchg_16(                 \
	void *tpl, unsigned __int128 o, unsigned __int128 n)                   \
{                                                                              \
	KRSEQ__AREG_##SEQ;                                                \
	unsigned __int128 r = o;                                               \
	KRSEQ__S390_AT_ASM(SEQ, "cdsg\t%[r],%[n],0(%[a])\n" KRSEQ_ASM_COMMIT,     \
		(, [r] "+&d"(r)), (, [n] "d"(n)));                             \
	return r;                                                              \
}

#define KRSEQ__S390_GEN_AT48(SEQ)                                              \
	KRSEQ__S390_GEN_AT(SEQ, 4, uint32_t, "llgf", "st", "laa", "lan",       \
			   "lao", "cs")                                        \
	KRSEQ__S390_GEN_AT(SEQ, 8, uint64_t, "lg", "stg", "laag", "lang",      \
			   "laog", "csg")                                      \
	KRSEQ__S390_GEN_AT16(SEQ)

#define KRSEQ__S390_GEN_PR_ALL(SEQ)                                            \
	KRSEQ__S390_GEN_PR(SEQ, 1, uint8_t, "llgc", "stc", "clr")              \
	KRSEQ__S390_GEN_PR(SEQ, 2, uint16_t, "llgh", "sth", "clr")             \
	KRSEQ__S390_GEN_PR(SEQ, 4, uint32_t, "llgf", "st", "clr")              \
	KRSEQ__S390_GEN_PR(SEQ, 8, uint64_t, "lg", "stg", "clgr")              \
	KRSEQ__S390_GEN_PR16(SEQ)

/* clang-format on */

#endif /* KRSEQ_ARCH_S390X_OPS_H */
