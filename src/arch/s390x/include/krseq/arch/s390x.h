/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU op sequences for s390x (z196 and later: interlocked-access and
 * distinct-operands facilities). The interface and the C semantics every
 * function must match are in <krseq/arch/generic.h>; this file holds only
 * instructions.
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
 * Arming is one stg of the descriptor address into krseq_ta.sched_rseq
 * right before the window; there is no disarm (the exit path ignores a
 * descriptor once the PC has left its window). Restart stubs live in a
 * separate text section so that the fast path falls straight through;
 * they jump back to re-arm: rs to the larl that feeds the arming store
 * (the offset register carries the descriptor address until the window
 * opens, which saves a register), sched to the reload of the template
 * address (ag has consumed it), fixup never restarts.
 *
 * Native: plain and rs at 1, 2, 4, 8 and 16 (cmpxchg); atomic, sched and
 * fixup at 4, 8 and 16 (cmpxchg). Left to the generic fallbacks: atomic,
 * sched and fixup at 1 and 2 bytes. There is no byte or halfword
 * interlocked instruction, and the kernel's s390 too leaves those sizes to
 * the preempt-disabled generic ops rather than a cs loop on the word.
 *
 * 16-byte operands must be 16-byte aligned: cdsg and stpq require it.
 *
 * Values may arrive with garbage above N bytes (this_cpu_sub passes a
 * negated 64-bit value): stores take the low N bytes anyway, and compare
 * values are truncated in C before they reach a compare instruction.
 */
#ifndef KRSEQ_ARCH_S390X_H
#define KRSEQ_ARCH_S390X_H

#include <stdint.h>
#include <krseq/thread.h>
#include <krseq/rseq.h>

#if !defined(__ARCH__) || __ARCH__ < 9
/*
 * laa/lan/lao and the three-operand agrk need z196; a ".machine" in the
 * asm would instead leak into the compiler's own code after it.
 */
#error "krseq: the s390x per-CPU ops need -march=z196 (arch9) or later"
#endif

/* The register that holds the per-CPU address in every fixup sequence. */
#define KRSEQ_ARCH_FIXUP_REG 1
#define KRSEQ__S390_FIXUP_REGNAME "r1"

/* Assembler text and operand lists are laid out by hand. */
/* clang-format off */

/* Expand the flags and register macros before KRSEQ_CS_ASM stringizes. */
#define KRSEQ__S390_CS(label, flags, start, commit, restart, reg)              \
	KRSEQ_CS_ASM(label, flags, start, commit, restart, reg)

/* Out of line, so the fast path needs no branch around it. */
#define KRSEQ__S390_RESTART(to)                                                \
	".pushsection .text.unlikely.krseq_restart,\"ax\",@progbits\n"         \
	"9:\tjg\t" to "\n\t"                                                   \
	".popsection\n\t"

/*
 * Labels shared by every sequence: 0 reload (sched), 1 arming store,
 * 2 window start, 3 commit (also the exit of a cmpxchg that misses),
 * 4 a cs loop, 8 the descriptor, 9 the restart stub.
 */
#define KRSEQ__S390_ARM                                                        \
	"larl\t%[cs],8f\n"                                                     \
	"1:\tstg\t%[cs],%[rseq]\n"                                             \
	"2:\t"

#define KRSEQ__S390_RSEQ_OUT , [rseq] "=m"(krseq_ta.sched_rseq)
#define KRSEQ__S390_ARM_OUT , [cs] "=&a"(krseq__cs) KRSEQ__S390_RSEQ_OUT

/* The running CPU's offset through the lowcore pointer: two loads. */
#define KRSEQ__S390_LC                                                         \
	"lg\t%[o],%[lc]\n\t"                                                   \
	"lg\t%[o],0(%[o])\n\t"

/*
 * Operand lists are passed as one parenthesised macro argument, "()" or
 * "(, [x] ..., [y] ...)", and unwrapped where they join the asm.
 */
#define KRSEQ__S390_OPS(...) __VA_ARGS__

/* plain and rs: the per-sequence pieces. */
#define KRSEQ__S390_PRE_plain KRSEQ__S390_LC
#define KRSEQ__S390_POST_plain "3:\n\t"
#define KRSEQ__S390_OUT_plain
#define KRSEQ__S390_PRE_rs                                                     \
	"1:\tlarl\t%[o],8f\n\t"                                                \
	"stg\t%[o],%[rseq]\n"                                                  \
	"2:\t" KRSEQ__S390_LC
#define KRSEQ__S390_POST_rs                                                    \
	"3:\n\t"                                                               \
	KRSEQ__S390_RESTART("1b")                                              \
	KRSEQ__S390_CS(8, KRSEQ_CS_FLAVOUR_IRQ, 2b, 3b, 9b, 0)
#define KRSEQ__S390_OUT_rs KRSEQ__S390_RSEQ_OUT

#define KRSEQ__S390_PR_ASM(SEQ, body, outs, ins)                               \
	__asm__ __volatile__(KRSEQ__S390_PRE_##SEQ body KRSEQ__S390_POST_##SEQ \
			     : [o] "=&a"(krseq__o) KRSEQ__S390_OPS outs        \
				     KRSEQ__S390_OUT_##SEQ                     \
			     : [lc] "m"(krseq_ta.lowcore), [t] "a"(tpl)        \
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
 * atomic, sched and fixup: the address register a, loaded with the
 * template address, gets the offset from one ag.
 *  atomic: a is the compiler's; nothing armed.
 *  sched:  ag consumes a, and a restart must start again from the
 *          template, so a is reloaded from t inside the asm (label 0).
 *  fixup:  a is pinned to KRSEQ_ARCH_FIXUP_REG, which the descriptor
 *          names; no restart label.
 */
#define KRSEQ__S390_DECL_atomic uintptr_t krseq__a = (uintptr_t)tpl
#define KRSEQ__S390_DECL_sched                                                 \
	uintptr_t krseq__a;                                                    \
	uintptr_t krseq__cs
#define KRSEQ__S390_DECL_fixup                                                 \
	register uintptr_t krseq__a __asm__(KRSEQ__S390_FIXUP_REGNAME) =       \
		(uintptr_t)tpl;                                                \
	uintptr_t krseq__cs

#define KRSEQ__S390_OUT_atomic [a] "+a"(krseq__a)
#define KRSEQ__S390_OUT_sched [a] "=&a"(krseq__a) KRSEQ__S390_ARM_OUT
#define KRSEQ__S390_OUT_fixup [a] "+a"(krseq__a) KRSEQ__S390_ARM_OUT

#define KRSEQ__S390_IN_atomic
#define KRSEQ__S390_IN_sched , [t] "a"(tpl)
#define KRSEQ__S390_IN_fixup

#define KRSEQ__S390_PRE_atomic ""
#define KRSEQ__S390_PRE_sched                                                  \
	"larl\t%[cs],8f\n"                                                     \
	"0:\tlgr\t%[a],%[t]\n"                                                 \
	"1:\tstg\t%[cs],%[rseq]\n"                                             \
	"2:\t"
#define KRSEQ__S390_PRE_fixup KRSEQ__S390_ARM

#define KRSEQ__S390_POST_atomic ""
#define KRSEQ__S390_POST_sched                                                 \
	KRSEQ__S390_RESTART("0b")                                              \
	KRSEQ__S390_CS(8, KRSEQ_CS_FLAVOUR_SCHED, 2b, 3b, 9b, 0)
#define KRSEQ__S390_POST_fixup                                                 \
	KRSEQ__S390_CS(8, KRSEQ_CS_FIXUP, 2b, 3b, 0, KRSEQ_ARCH_FIXUP_REG)

/* Every atomic body ends at its commit label. */
#define KRSEQ__S390_C "3:\n\t"

/*
 * xchg is a cs loop. atomic and fixup loop inside the window: under a
 * fix-up, cs compares against the value it read from the old copy, so a
 * rewritten address makes it fail and read the new copy. sched must not
 * restart once cs has stored, so cs is its commit and a failed cs leaves
 * through the restart stub, which starts again from the template: the
 * branch may then run after a migration without harm.
 */
#define KRSEQ__S390_XCHG_atomic(CS)                                            \
	"4:\t" CS "\t%[r],%[v],0(%[a])\n\t"                                    \
	"jl\t4b\n"                                                             \
	KRSEQ__S390_C
#define KRSEQ__S390_XCHG_fixup KRSEQ__S390_XCHG_atomic
#define KRSEQ__S390_XCHG_sched(CS)                                             \
	CS "\t%[r],%[v],0(%[a])\n"                                             \
	KRSEQ__S390_C                                                          \
	"jgl\t9f\n\t"

#define KRSEQ__S390_AT_ASM(SEQ, body, outs, ins)                               \
	__asm__ __volatile__(KRSEQ__S390_PRE_##SEQ                             \
			     "ag\t%[a],%[pcpu]\n\t"                            \
			     body                                              \
			     KRSEQ__S390_POST_##SEQ                            \
			     : KRSEQ__S390_OUT_##SEQ KRSEQ__S390_OPS outs      \
			     : [pcpu] "m"(krseq_ta.percpu_offset)              \
				       KRSEQ__S390_OPS ins                     \
			       KRSEQ__S390_IN_##SEQ                            \
			     : "memory", "cc")

/*
 * atomic, sched or fixup at size N (4 or 8): one interlocked-access
 * instruction (LAA, LAN, LAO) or one cs is the commit. LAA and friends
 * replace only the low 32 bits at N = 4, hence the result type T.
 */
#define KRSEQ__S390_GEN_AT(SEQ, N, T, LD, ST, LAA, LAN, LAO, CS)               \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                  \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	uint64_t r;                                                            \
	KRSEQ__S390_AT_ASM(SEQ, LD "\t%[r],0(%[a])\n" KRSEQ__S390_C,           \
		(, [r] "=&d"(r)), ());                                         \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)         \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	KRSEQ__S390_AT_ASM(SEQ, ST "\t%[v],0(%[a])\n" KRSEQ__S390_C,           \
		(), (, [v] "d"(v)));                                           \
}                                                                              \
static inline void krseq_arch_##SEQ##_add_##N(void *tpl, uint64_t v)           \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	T x;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAA "\t%[x],%[v],0(%[a])\n" KRSEQ__S390_C,     \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl,             \
							 uint64_t v)           \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	T r;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAA "\t%[r],%[v],0(%[a])\n" KRSEQ__S390_C,     \
		(, [r] "=&d"(r)), (, [v] "d"(v)));                             \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_and_##N(void *tpl, uint64_t v)           \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	T x;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAN "\t%[x],%[v],0(%[a])\n" KRSEQ__S390_C,     \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline void krseq_arch_##SEQ##_or_##N(void *tpl, uint64_t v)            \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	T x;                                                                   \
	KRSEQ__S390_AT_ASM(SEQ, LAO "\t%[x],%[v],0(%[a])\n" KRSEQ__S390_C,     \
		(, [x] "=&d"(x)), (, [v] "d"(v)));                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)      \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	uint64_t r;                                                            \
	KRSEQ__S390_AT_ASM(SEQ,                                                \
		LD "\t%[r],0(%[a])\n\t"                                        \
		KRSEQ__S390_XCHG_##SEQ(CS),                                    \
		(, [r] "=&d"(r)), (, [v] "d"(v)));                             \
	return r;                                                              \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,   \
						       uint64_t n)             \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	uint64_t r = (T)o;                                                     \
	KRSEQ__S390_AT_ASM(SEQ, CS "\t%[r],%[n],0(%[a])\n" KRSEQ__S390_C,      \
		(, [r] "+&d"(r)), (, [n] "d"(n)));                             \
	return r;                                                              \
}

/* cdsg: both pairs even/odd, as GCC allocates 128-bit values in GPRs. */
#define KRSEQ__S390_GEN_AT16(SEQ)                                              \
static inline unsigned __int128 krseq_arch_##SEQ##_cmpxchg_16(                 \
	void *tpl, unsigned __int128 o, unsigned __int128 n)                   \
{                                                                              \
	KRSEQ__S390_DECL_##SEQ;                                                \
	unsigned __int128 r = o;                                               \
	KRSEQ__S390_AT_ASM(SEQ, "cdsg\t%[r],%[n],0(%[a])\n" KRSEQ__S390_C,     \
		(, [r] "+&d"(r)), (, [n] "d"(n)));                             \
	return r;                                                              \
}

KRSEQ__S390_GEN_PR(plain, 1, uint8_t, "llgc", "stc", "clr")
KRSEQ__S390_GEN_PR(plain, 2, uint16_t, "llgh", "sth", "clr")
KRSEQ__S390_GEN_PR(plain, 4, uint32_t, "llgf", "st", "clr")
KRSEQ__S390_GEN_PR(plain, 8, uint64_t, "lg", "stg", "clgr")
KRSEQ__S390_GEN_PR16(plain)
#define KRSEQ_ARCH_HAS_plain_1 1
#define KRSEQ_ARCH_HAS_plain_2 1
#define KRSEQ_ARCH_HAS_plain_4 1
#define KRSEQ_ARCH_HAS_plain_8 1
#define KRSEQ_ARCH_HAS_plain_16 1

KRSEQ__S390_GEN_PR(rs, 1, uint8_t, "llgc", "stc", "clr")
KRSEQ__S390_GEN_PR(rs, 2, uint16_t, "llgh", "sth", "clr")
KRSEQ__S390_GEN_PR(rs, 4, uint32_t, "llgf", "st", "clr")
KRSEQ__S390_GEN_PR(rs, 8, uint64_t, "lg", "stg", "clgr")
KRSEQ__S390_GEN_PR16(rs)
#define KRSEQ_ARCH_HAS_rs_1 1
#define KRSEQ_ARCH_HAS_rs_2 1
#define KRSEQ_ARCH_HAS_rs_4 1
#define KRSEQ_ARCH_HAS_rs_8 1
#define KRSEQ_ARCH_HAS_rs_16 1

#define KRSEQ__S390_GEN_AT48(SEQ)                                              \
	KRSEQ__S390_GEN_AT(SEQ, 4, uint32_t, "llgf", "st", "laa", "lan",       \
			   "lao", "cs")                                        \
	KRSEQ__S390_GEN_AT(SEQ, 8, uint64_t, "lg", "stg", "laag", "lang",      \
			   "laog", "csg")                                      \
	KRSEQ__S390_GEN_AT16(SEQ)

KRSEQ__S390_GEN_AT48(atomic)
#define KRSEQ_ARCH_HAS_atomic_4 1
#define KRSEQ_ARCH_HAS_atomic_8 1
#define KRSEQ_ARCH_HAS_atomic_16 1

KRSEQ__S390_GEN_AT48(sched)
#define KRSEQ_ARCH_HAS_sched_4 1
#define KRSEQ_ARCH_HAS_sched_8 1
#define KRSEQ_ARCH_HAS_sched_16 1

KRSEQ__S390_GEN_AT48(fixup)
#define KRSEQ_ARCH_HAS_fixup_4 1
#define KRSEQ_ARCH_HAS_fixup_8 1
#define KRSEQ_ARCH_HAS_fixup_16 1

/* clang-format on */

#endif /* KRSEQ_ARCH_S390X_H */
