/* SPDX-License-Identifier: MIT */
/*
 * aarch64: the op bodies that several schemes share, for a sequence SEQ
 * whose file defines its pieces (see <krseq/arch/template.h>):
 *   KRSEQ__ARM_SEQ(cs)  the arming, with scratch operand cs ("" unarmed)
 *   KRSEQ__END_SEQ      what follows the commit label
 *   KRSEQ__OUT_SEQ      extra outputs, each after a comma
 * and, for KRSEQ__A64_ATOMIC, how the address register is formed and how
 * an LL/SC loop closes:
 *   KRSEQ__AREG_SEQ     its declaration
 *   KRSEQ__ADDR_SEQ     the instructions that form it
 *   KRSEQ__AOUT_SEQ     its outputs, first in the list
 *   KRSEQ__AIN_SEQ      its inputs, first in theirs, each before a comma
 *   KRSEQ__LOOP_SEQ     where a failed store-exclusive retries
 *   KRSEQ__MID_SEQ      between the store-exclusive and its retry branch
 *   KRSEQ__TAIL_SEQ     after the retry branch
 *
 * Atomics have two forms, LSE and LL/SC, picked at run time from
 * HWCAP_ATOMICS (lse.c) unless the compiler already targets LSE. The choice
 * is a branch before the asm, so no window contains it.
 */
#ifndef KRSEQ_ARCH_AARCH64_OPS_H
#define KRSEQ_ARCH_AARCH64_OPS_H

#include <krseq/arch/aarch64/bits.h>

/* Assembler text is laid out by hand. */
/* clang-format off */

/* offset + tpl in one register (atomic, sched). */
#define KRSEQ__A64_TPL_AREG uintptr_t krseq__a
#define KRSEQ__A64_TPL_ADDR                                                   \
	KRSEQ__A64_OFF("a")                                                   \
	"add	%[a], %[a], %[tpl]\n\t"
#define KRSEQ__A64_TPL_AOUT [a] "=&r"(krseq__a)
#define KRSEQ__A64_TPL_AIN [tpl] "r"(tpl),

/*
 * plain and rs: the copy is addressed as [tpl, off]; rs's window runs from
 * the offset read to just after the store (the load for read). W is the
 * register width ("w"/"x"), S the load/store suffix, EXT the extension
 * that truncates cmpxchg's expected value.
 */
#define KRSEQ__A64_DIRECT(SEQ, N, W, S, EXT)                                  \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                 \
{                                                                             \
	uint64_t r, off;                                                      \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__A64_OFF("off")                                         \
		"ldr" S "	%" W "[r], [%[tpl], %[off]]\n"                \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [r] "=&r"(r), [off] "=&r"(off) KRSEQ__OUT_##SEQ             \
		: [tpl] "r"(tpl), KRSEQ__A64_PCPU                             \
		: "memory");                                                  \
	return r;                                                             \
}                                                                             \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)        \
{                                                                             \
	uint64_t off;                                                         \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__A64_OFF("off")                                         \
		"str" S "	%" W "[v], [%[tpl], %[off]]\n"                \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [off] "=&r"(off) KRSEQ__OUT_##SEQ                           \
		: [tpl] "r"(tpl), [v] "r"(v), KRSEQ__A64_PCPU                 \
		: "memory");                                                  \
}                                                                             \
KRSEQ__A64_DIRECT_RMW(SEQ, N, W, S, add, "add")                               \
KRSEQ__A64_DIRECT_RMW(SEQ, N, W, S, and, "and")                               \
KRSEQ__A64_DIRECT_RMW(SEQ, N, W, S, or, "orr")                                \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl, uint64_t v) \
{ return krseq__a64_##SEQ##_fetch_add_##N(tpl, v); }                          \
static inline void krseq_arch_##SEQ##_add_##N(void *tpl, uint64_t v)          \
{ krseq__a64_##SEQ##_fetch_add_##N(tpl, v); }                                 \
static inline void krseq_arch_##SEQ##_and_##N(void *tpl, uint64_t v)          \
{ krseq__a64_##SEQ##_fetch_and_##N(tpl, v); }                                 \
static inline void krseq_arch_##SEQ##_or_##N(void *tpl, uint64_t v)           \
{ krseq__a64_##SEQ##_fetch_or_##N(tpl, v); }                                  \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)     \
{                                                                             \
	uint64_t old, off;                                                    \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__A64_OFF("off")                                         \
		"ldr" S "	%" W "[old], [%[tpl], %[off]]\n\t"            \
		"str" S "	%" W "[v], [%[tpl], %[off]]\n"                \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [old] "=&r"(old), [off] "=&r"(off) KRSEQ__OUT_##SEQ         \
		: [tpl] "r"(tpl), [v] "r"(v), KRSEQ__A64_PCPU                 \
		: "memory");                                                  \
	return old;                                                           \
}                                                                             \
/* A miss leaves the window at 3 without storing. */                          \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,  \
						      uint64_t n)             \
{                                                                             \
	uint64_t old, off;                                                    \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__A64_OFF("off")                                         \
		"ldr" S "	%" W "[old], [%[tpl], %[off]]\n\t"            \
		"cmp	%" W "[old], %" W "[o]" EXT "\n\t"                    \
		"b.ne	3f\n\t"                                               \
		"str" S "	%" W "[n], [%[tpl], %[off]]\n"                \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [old] "=&r"(old), [off] "=&r"(off) KRSEQ__OUT_##SEQ         \
		: [tpl] "r"(tpl), [o] "r"(o), [n] "r"(n), KRSEQ__A64_PCPU     \
		: "memory", "cc");                                            \
	return old;                                                           \
}

/* load; op; store. Returns the old value; the void ops drop it. */
#define KRSEQ__A64_DIRECT_RMW(SEQ, N, W, S, NAME, INSN)                       \
static inline uint64_t krseq__a64_##SEQ##_fetch_##NAME##_##N(void *tpl,       \
							     uint64_t v)      \
{                                                                             \
	uint64_t old, tmp, off;                                               \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__A64_OFF("off")                                         \
		"ldr" S "	%" W "[old], [%[tpl], %[off]]\n\t"            \
		INSN "	%" W "[tmp], %" W "[old], %" W "[v]\n\t"              \
		"str" S "	%" W "[tmp], [%[tpl], %[off]]\n"              \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [old] "=&r"(old), [tmp] "=&r"(tmp),                         \
		  [off] "=&r"(off) KRSEQ__OUT_##SEQ                           \
		: [tpl] "r"(tpl), [v] "r"(v), KRSEQ__A64_PCPU                 \
		: "memory");                                                  \
	return old;                                                           \
}

/*
 * atomic, sched, fixup: [start] offset read; add into the address
 * register; the atomic instruction or LL/SC loop [commit].
 */

#define KRSEQ__A64_ATOMIC(SEQ, N, W, S, EXT)                                  \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                 \
{                                                                             \
	KRSEQ__AREG_##SEQ;                                                    \
	uint64_t r;                                                           \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__ADDR_##SEQ                                             \
		"ldr" S "	%" W "[r], [%[a]]\n"                          \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [r] "=&r"(r), KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ            \
		: KRSEQ__AIN_##SEQ KRSEQ__A64_PCPU                            \
		: "memory");                                                  \
	return r;                                                             \
}                                                                             \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)        \
{                                                                             \
	KRSEQ__AREG_##SEQ;                                                    \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__ADDR_##SEQ                                             \
		"str" S "	%" W "[v], [%[a]]\n"                          \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ                          \
		: KRSEQ__AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU                \
		: "memory");                                                  \
}                                                                             \
KRSEQ__A64_LSE_FETCH(SEQ, N, W, S, add, "ldadd")                              \
KRSEQ__A64_LSE_FETCH(SEQ, N, W, S, xchg, "swp")                               \
KRSEQ__A64_LSE_VOID(SEQ, N, W, S, add, "stadd")                               \
KRSEQ__A64_LSE_VOID(SEQ, N, W, S, clr, "stclr")                               \
KRSEQ__A64_LSE_VOID(SEQ, N, W, S, set, "stset")                               \
KRSEQ__A64_LLSC_RMW(SEQ, N, W, S, add, KRSEQ__A64_OP3("add", W), "tmp")       \
KRSEQ__A64_LLSC_RMW(SEQ, N, W, S, and, KRSEQ__A64_OP3("and", W), "tmp")       \
KRSEQ__A64_LLSC_RMW(SEQ, N, W, S, or, KRSEQ__A64_OP3("orr", W), "tmp")        \
KRSEQ__A64_LLSC_RMW(SEQ, N, W, S, xchg, "", "v")                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl, uint64_t v) \
{                                                                             \
	if (krseq__a64_lse())                                                 \
		return krseq__a64_lse_##SEQ##_add_##N(tpl, v);                \
	return krseq__a64_llsc_##SEQ##_add_##N(tpl, v);                       \
}                                                                             \
static inline void krseq_arch_##SEQ##_add_##N(void *tpl, uint64_t v)          \
{                                                                             \
	if (krseq__a64_lse())                                                 \
		krseq__a64_lse_##SEQ##_void_add_##N(tpl, v);                  \
	else                                                                  \
		krseq__a64_llsc_##SEQ##_add_##N(tpl, v);                      \
}                                                                             \
/* LSE has no atomic and: clear the bits that are not set in v. */            \
static inline void krseq_arch_##SEQ##_and_##N(void *tpl, uint64_t v)          \
{                                                                             \
	if (krseq__a64_lse())                                                 \
		krseq__a64_lse_##SEQ##_void_clr_##N(tpl, ~v);                 \
	else                                                                  \
		krseq__a64_llsc_##SEQ##_and_##N(tpl, v);                      \
}                                                                             \
static inline void krseq_arch_##SEQ##_or_##N(void *tpl, uint64_t v)           \
{                                                                             \
	if (krseq__a64_lse())                                                 \
		krseq__a64_lse_##SEQ##_void_set_##N(tpl, v);                  \
	else                                                                  \
		krseq__a64_llsc_##SEQ##_or_##N(tpl, v);                       \
}                                                                             \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)     \
{                                                                             \
	if (krseq__a64_lse())                                                 \
		return krseq__a64_lse_##SEQ##_xchg_##N(tpl, v);               \
	return krseq__a64_llsc_##SEQ##_xchg_##N(tpl, v);                      \
}                                                                             \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,  \
						      uint64_t n)             \
{                                                                             \
	KRSEQ__AREG_##SEQ;                                                    \
	uintptr_t krseq__cs __attribute__((unused));                          \
	uint64_t old, st;                                                     \
                                                                              \
	if (krseq__a64_lse()) {                                               \
		/* cas leaves the value found in old. */                      \
		old = o;                                                      \
		__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__ARM_##SEQ("cs")    \
			KRSEQ__ADDR_##SEQ                                     \
			"cas" S "	%" W "[old], %" W "[n], [%[a]]\n"     \
			KRSEQ_ASM_COMMIT                                      \
			KRSEQ__END_##SEQ                                      \
			: [old] "+r"(old), KRSEQ__AOUT_##SEQ                  \
			  KRSEQ__OUT_##SEQ                                    \
			: KRSEQ__AIN_##SEQ [n] "r"(n), KRSEQ__A64_PCPU        \
			: "memory");                                          \
		return old;                                                   \
	}                                                                     \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__ADDR_##SEQ                                             \
		"4:	ldxr" S "	%" W "[old], [%[a]]\n\t"              \
		"cmp	%" W "[old], %" W "[o]" EXT "\n\t"                    \
		"b.ne	5f\n\t"                                               \
		"stxr" S "	%w[st], %" W "[n], [%[a]]\n\t"                \
		KRSEQ__MID_##SEQ                                              \
		"cbnz	%w[st], " KRSEQ__LOOP_##SEQ "\n\t"                    \
		KRSEQ__TAIL_##SEQ                                             \
		"5:\n\t"                                                      \
		KRSEQ__END_##SEQ                                              \
		: [old] "=&r"(old), [st] "=&r"(st), KRSEQ__AOUT_##SEQ         \
		  KRSEQ__OUT_##SEQ                                            \
		: KRSEQ__AIN_##SEQ [o] "r"(o), [n] "r"(n), KRSEQ__A64_PCPU    \
		: "memory", "cc");                                            \
	return old;                                                           \
}

/* One LSE instruction that returns the old value. */
#define KRSEQ__A64_LSE_FETCH(SEQ, N, W, S, NAME, INSN)                        \
static inline uint64_t krseq__a64_lse_##SEQ##_##NAME##_##N(void *tpl,         \
							   uint64_t v)        \
{                                                                             \
	KRSEQ__AREG_##SEQ;                                                    \
	uint64_t old;                                                         \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__ARM_##SEQ("cs")            \
		KRSEQ__ADDR_##SEQ                                             \
		INSN S "	%" W "[v], %" W "[old], [%[a]]\n"             \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [old] "=&r"(old), KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ        \
		: KRSEQ__AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU                \
		: "memory");                                                  \
	return old;                                                           \
}

/* One LSE instruction, result discarded (the st* aliases). */
#define KRSEQ__A64_LSE_VOID(SEQ, N, W, S, NAME, INSN)                         \
static inline void krseq__a64_lse_##SEQ##_void_##NAME##_##N(void *tpl,        \
							    uint64_t v)       \
{                                                                             \
	KRSEQ__AREG_##SEQ;                                                    \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__ARM_##SEQ("cs")            \
		KRSEQ__ADDR_##SEQ                                             \
		INSN S "	%" W "[v], [%[a]]\n"                          \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ                          \
		: KRSEQ__AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU                \
		: "memory");                                                  \
}

/* An LL/SC loop: OP computes operand STORE from old and v. */
#define KRSEQ__A64_OP3(INSN, W)                                               \
	INSN "	%" W "[tmp], %" W "[old], %" W "[v]\n\t"
#define KRSEQ__A64_LLSC_RMW(SEQ, N, W, S, NAME, OP, STORE)                    \
static inline uint64_t krseq__a64_llsc_##SEQ##_##NAME##_##N(void *tpl,        \
							    uint64_t v)       \
{                                                                             \
	KRSEQ__AREG_##SEQ;                                                    \
	uint64_t old, tmp __attribute__((unused)), st;                        \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__ADDR_##SEQ                                             \
		"4:	ldxr" S "	%" W "[old], [%[a]]\n\t"              \
		OP                                                            \
		"stxr" S "	%w[st], %" W "[" STORE "], [%[a]]\n\t"        \
		KRSEQ__MID_##SEQ                                              \
		"cbnz	%w[st], " KRSEQ__LOOP_##SEQ "\n\t"                    \
		KRSEQ__TAIL_##SEQ                                             \
		KRSEQ__END_##SEQ                                              \
		: [old] "=&r"(old), [tmp] "=&r"(tmp), [st] "=&r"(st),         \
		  KRSEQ__AOUT_##SEQ KRSEQ__OUT_##SEQ                          \
		: KRSEQ__AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU                \
		: "memory");                                                  \
	return old;                                                           \
}

/*
 * 16 bytes, plain and rs: ldp; compare both halves; one stp commits. The
 * pair is not single-copy atomic, but rs restarts on any interrupt, and
 * plain promises nothing.
 */
#define KRSEQ__A64_DIRECT16(SEQ)                                              \
static inline unsigned __int128 krseq_arch_##SEQ##_cmpxchg_16(                \
	void *tpl, unsigned __int128 o, unsigned __int128 n)                  \
{                                                                             \
	uint64_t lo, hi, a;                                                   \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__A64_OFF("a")                                           \
		"add	%[a], %[a], %[tpl]\n\t"                               \
		"ldp	%[lo], %[hi], [%[a]]\n\t"                             \
		"cmp	%[lo], %[olo]\n\t"                                    \
		"ccmp	%[hi], %[ohi], #0, eq\n\t"                            \
		"b.ne	3f\n\t"                                               \
		"stp	%[nlo], %[nhi], [%[a]]\n"                             \
		KRSEQ_ASM_COMMIT                                              \
		KRSEQ__END_##SEQ                                              \
		: [lo] "=&r"(lo), [hi] "=&r"(hi), [a] "=&r"(a)                \
		  KRSEQ__OUT_##SEQ                                            \
		: [tpl] "r"(tpl), [olo] "r"((uint64_t)o),                     \
		  [ohi] "r"((uint64_t)(o >> 64)), [nlo] "r"((uint64_t)n),     \
		  [nhi] "r"((uint64_t)(n >> 64)), KRSEQ__A64_PCPU             \
		: "memory", "cc");                                            \
	return (unsigned __int128)hi << 64 | lo;                              \
}

/*
 * 16 bytes, atomic/sched/fixup: casp wants even/odd register pairs, hence
 * the explicit registers. The LL/SC loop stores back the value it found
 * on a miss, since only a successful stxp proves the ldxp pair was read
 * atomically.
 */
/*
 * Always inlined: a caller's copy of the sequence must hold its own
 * window (stress traps a private copy), and with LSE and LL/SC both in
 * the body GCC's unit-growth limit would otherwise call one shared copy.
 */
#define KRSEQ__A64_ATOMIC16(SEQ)                                              \
static inline __attribute__((always_inline)) unsigned __int128                \
krseq_arch_##SEQ##_cmpxchg_16(                                                \
	void *tpl, unsigned __int128 o, unsigned __int128 n)                  \
{                                                                             \
	KRSEQ__AREG_##SEQ;                                                    \
	uintptr_t krseq__cs __attribute__((unused));                          \
	uint64_t lo, hi, tlo, thi, st;                                        \
                                                                              \
	if (krseq__a64_lse()) {                                               \
		register uint64_t c0 __asm__("x4") = (uint64_t)o;             \
		register uint64_t c1 __asm__("x5") = (uint64_t)(o >> 64);     \
		register uint64_t n0 __asm__("x6") = (uint64_t)n;             \
		register uint64_t n1 __asm__("x7") = (uint64_t)(n >> 64);     \
		__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__ARM_##SEQ("cs")    \
			KRSEQ__ADDR_##SEQ                                     \
			"casp	%[c0], %[c1], %[n0], %[n1], [%[a]]\n"         \
			KRSEQ_ASM_COMMIT                                      \
			KRSEQ__END_##SEQ                                      \
			: [c0] "+r"(c0), [c1] "+r"(c1), KRSEQ__AOUT_##SEQ     \
			  KRSEQ__OUT_##SEQ                                    \
			: KRSEQ__AIN_##SEQ [n0] "r"(n0), [n1] "r"(n1),        \
			  KRSEQ__A64_PCPU                                     \
			: "memory");                                          \
		return (unsigned __int128)c1 << 64 | c0;                      \
	}                                                                     \
	__asm__ __volatile__(KRSEQ__ARM_##SEQ("cs")                           \
		KRSEQ__ADDR_##SEQ                                             \
		"4:	ldxp	%[lo], %[hi], [%[a]]\n\t"                     \
		"cmp	%[lo], %[olo]\n\t"                                    \
		"ccmp	%[hi], %[ohi], #0, eq\n\t"                            \
		"csel	%[tlo], %[nlo], %[lo], eq\n\t"                        \
		"csel	%[thi], %[nhi], %[hi], eq\n\t"                        \
		"stxp	%w[st], %[tlo], %[thi], [%[a]]\n\t"                   \
		KRSEQ__MID_##SEQ                                              \
		"cbnz	%w[st], " KRSEQ__LOOP_##SEQ "\n\t"                    \
		KRSEQ__TAIL_##SEQ                                             \
		KRSEQ__END_##SEQ                                              \
		: [lo] "=&r"(lo), [hi] "=&r"(hi), [tlo] "=&r"(tlo),           \
		  [thi] "=&r"(thi), [st] "=&r"(st), KRSEQ__AOUT_##SEQ         \
		  KRSEQ__OUT_##SEQ                                            \
		: KRSEQ__AIN_##SEQ [olo] "r"((uint64_t)o),                    \
		  [ohi] "r"((uint64_t)(o >> 64)), [nlo] "r"((uint64_t)n),     \
		  [nhi] "r"((uint64_t)(n >> 64)), KRSEQ__A64_PCPU             \
		: "memory", "cc");                                            \
	return (unsigned __int128)hi << 64 | lo;                              \
}

#define KRSEQ__A64_ALL_SIZES(M, SEQ)                                          \
	M(SEQ, 1, "w", "b", ", uxtb")                                         \
	M(SEQ, 2, "w", "h", ", uxth")                                         \
	M(SEQ, 4, "w", "", "")                                                \
	M(SEQ, 8, "x", "", "")

/* clang-format on */

#endif /* KRSEQ_ARCH_AARCH64_OPS_H */
