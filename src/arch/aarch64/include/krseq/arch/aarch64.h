/* SPDX-License-Identifier: MIT */
/*
 * aarch64 per-CPU ops: the instructions behind <krseq/arch/generic.h>'s
 * interface, whose header comment is the specification and whose C is the
 * reference semantics.
 *
 * The running CPU's offset is krseq_ta.percpu_offset, TPIDR_EL1's stand-in.
 * It is read through a memory operand inside each sequence, so that in the
 * armed ones the read is inside the window and a restart or fix-up covers
 * it; the thread area's base register then also serves the arming store,
 * which keeps an armed sequence three instructions (adrp, add, str) above
 * the plain one.
 *
 * Numeric labels, so that an asm may be inlined any number of times:
 *   1  the arming store         2  start (the offset read)
 *   3  commit                   4  head of an LL/SC loop
 *   5  cmpxchg miss exit        8  the descriptor
 *   9  the restart stub, out of line, which jumps back to 1
 * No sequence disarms: once the PC has left the window the runtime ignores
 * the stale descriptor, as userspace rseq does.
 *
 * Atomics have two forms, LSE and LL/SC, picked at run time from
 * HWCAP_ATOMICS (lse.c) unless the compiler already targets LSE. The choice
 * is a branch before the asm, so no window contains it.
 */
#ifndef KRSEQ_ARCH_AARCH64_H
#define KRSEQ_ARCH_AARCH64_H

#include <stdint.h>
#include <krseq/thread.h>
#include <krseq/rseq.h>

/* The register a FIXUP sequence forms the per-CPU address in (tpl + offset). */
#define KRSEQ_ARCH_FIXUP_REG 9

/* Set by a constructor in lse.c; 0 (LL/SC, always correct) until then. */
extern int krseq_arch_has_lse;

#ifdef __ARM_FEATURE_ATOMICS
#define krseq__a64_lse() 1
#else
#define krseq__a64_lse() __builtin_expect(krseq_arch_has_lse, 1)
#endif

/* Assembler text is laid out by hand. */
/* clang-format off */

/* Expands flags and register to literals before KRSEQ_CS_ASM quotes them. */
#define KRSEQ__A64_CS(flags, restart, reg)                                    \
	KRSEQ_CS_ASM(8, flags, 2b, 3b, restart, reg)

/*
 * Arming: the descriptor address is formed before the store, so the
 * restart stub can branch straight back to the store.
 */
#define KRSEQ__A64_ARM                                                        \
	"adrp	%[cs], 8f\n\t"                                                \
	"add	%[cs], %[cs], :lo12:8f\n"                                     \
	"1:	str	%[cs], %[rseq]\n"                                     \
	"2:	"

/*
 * The stub lives in its own section so that the fast path has no branch
 * around it; it is reached only by the runtime rewriting the PC.
 */
#define KRSEQ__A64_RESTART_STUB                                               \
	".pushsection .text.krseq_restart, \"ax\", %%progbits\n"              \
	"9:	b	1b\n\t"                                               \
	".popsection\n\t"

/* Per sequence: arming text, trailer, extra operands, address register. */
#define KRSEQ__A64_ARM_plain ""
#define KRSEQ__A64_ARM_atomic ""
#define KRSEQ__A64_ARM_rs KRSEQ__A64_ARM
#define KRSEQ__A64_ARM_sched KRSEQ__A64_ARM
#define KRSEQ__A64_ARM_fixup KRSEQ__A64_ARM

#define KRSEQ__A64_END_plain ""
#define KRSEQ__A64_END_atomic ""
#define KRSEQ__A64_END_rs                                                     \
	KRSEQ__A64_RESTART_STUB KRSEQ__A64_CS(KRSEQ_CS_FLAVOUR_IRQ, 9b, 0)
#define KRSEQ__A64_END_sched                                                  \
	KRSEQ__A64_RESTART_STUB KRSEQ__A64_CS(KRSEQ_CS_FLAVOUR_SCHED, 9b, 0)
#define KRSEQ__A64_END_fixup                                                  \
	KRSEQ__A64_CS(KRSEQ_CS_FIXUP, 0, KRSEQ_ARCH_FIXUP_REG)

#define KRSEQ__A64_OPS_plain
#define KRSEQ__A64_OPS_atomic
#define KRSEQ__A64_OPS_ARMED                                                  \
	, [cs] "=&r"(krseq__cs), [rseq] "=m"(krseq_ta.sched_rseq)
#define KRSEQ__A64_OPS_rs KRSEQ__A64_OPS_ARMED
#define KRSEQ__A64_OPS_sched KRSEQ__A64_OPS_ARMED
#define KRSEQ__A64_OPS_fixup KRSEQ__A64_OPS_ARMED

/*
 * atomic and sched form the address as offset + tpl in one register; sched
 * must, because its LL/SC retry reads the offset again. fixup adds the
 * offset into x9, which already holds tpl: s390's "ag" shape, one register
 * to fix up, and no copy of tpl into x9 beforehand. Between the offset read
 * and that add, x9 still holds tpl, and tpl + delta + old offset is the new
 * CPU's address all the same.
 */
#define KRSEQ__A64_ADDR_atomic uintptr_t krseq__a
#define KRSEQ__A64_ADDR_sched uintptr_t krseq__a
#define KRSEQ__A64_ADDR_fixup                                                 \
	register uintptr_t krseq__a __asm__(                                  \
		"x" krseq_str(KRSEQ_ARCH_FIXUP_REG)) = (uintptr_t)tpl;        \
	uint64_t krseq__off

#define KRSEQ__A64_ADDR_INSNS_atomic                                          \
	"ldr	%[a], %[pcpu]\n\t"                                            \
	"add	%[a], %[a], %[tpl]\n\t"
#define KRSEQ__A64_ADDR_INSNS_sched KRSEQ__A64_ADDR_INSNS_atomic
#define KRSEQ__A64_ADDR_INSNS_fixup                                           \
	"ldr	%[off], %[pcpu]\n\t"                                          \
	"add	%[a], %[a], %[off]\n\t"

/* The address operands: outputs first in the list, inputs first in theirs. */
#define KRSEQ__A64_AOUT_atomic [a] "=&r"(krseq__a)
#define KRSEQ__A64_AOUT_sched [a] "=&r"(krseq__a)
#define KRSEQ__A64_AOUT_fixup [a] "+r"(krseq__a), [off] "=&r"(krseq__off)
#define KRSEQ__A64_AIN_atomic [tpl] "r"(tpl),
#define KRSEQ__A64_AIN_sched [tpl] "r"(tpl),
#define KRSEQ__A64_AIN_fixup

/*
 * LL/SC loops. An interrupt between the exclusive load and store makes the
 * store fail. sched must commit at the store-exclusive itself (a restart
 * after a successful store would repeat it), so its retry branch lies
 * outside the window and must read the offset again (2b): the task may have
 * migrated at that very branch. fixup and atomic retry at the load (4b);
 * fixup's window covers the branch, so a migration there fixes the address.
 */
#define KRSEQ__A64_LOOP_atomic "4b"
#define KRSEQ__A64_LOOP_fixup "4b"
#define KRSEQ__A64_LOOP_sched "2b"
#define KRSEQ__A64_MID_atomic ""
#define KRSEQ__A64_MID_fixup ""
#define KRSEQ__A64_MID_sched "3:\n\t"
#define KRSEQ__A64_TAIL_atomic "3:\n\t"
#define KRSEQ__A64_TAIL_fixup "3:\n\t"
#define KRSEQ__A64_TAIL_sched ""

#define KRSEQ__A64_LSE ".arch_extension lse\n\t"

/*
 * "Q", a bare base register: every sequence then reaches the thread area
 * the same way, so the simulation's cost of locating it (the TLS address)
 * is equal across sequences and only the protection differs, as in the
 * kernel, where the offset is one mrs of TPIDR_EL1 in all of them. With
 * "m", plain alone could use [tp, tls_offset] and save the add that an
 * armed sequence needs anyway to reach two fields of the thread area.
 */
#define KRSEQ__A64_PCPU [pcpu] "Q"(krseq_ta.percpu_offset)

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
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		"ldr	%[off], %[pcpu]\n\t"                                  \
		"ldr" S "	%" W "[r], [%[tpl], %[off]]\n"                \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [r] "=&r"(r), [off] "=&r"(off) KRSEQ__A64_OPS_##SEQ         \
		: [tpl] "r"(tpl), KRSEQ__A64_PCPU                             \
		: "memory");                                                  \
	return r;                                                             \
}                                                                             \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)        \
{                                                                             \
	uint64_t off;                                                         \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		"ldr	%[off], %[pcpu]\n\t"                                  \
		"str" S "	%" W "[v], [%[tpl], %[off]]\n"                \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [off] "=&r"(off) KRSEQ__A64_OPS_##SEQ                       \
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
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		"ldr	%[off], %[pcpu]\n\t"                                  \
		"ldr" S "	%" W "[old], [%[tpl], %[off]]\n\t"            \
		"str" S "	%" W "[v], [%[tpl], %[off]]\n"                \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [old] "=&r"(old), [off] "=&r"(off) KRSEQ__A64_OPS_##SEQ     \
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
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		"ldr	%[off], %[pcpu]\n\t"                                  \
		"ldr" S "	%" W "[old], [%[tpl], %[off]]\n\t"            \
		"cmp	%" W "[old], %" W "[o]" EXT "\n\t"                    \
		"b.ne	3f\n\t"                                               \
		"str" S "	%" W "[n], [%[tpl], %[off]]\n"                \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [old] "=&r"(old), [off] "=&r"(off) KRSEQ__A64_OPS_##SEQ     \
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
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		"ldr	%[off], %[pcpu]\n\t"                                  \
		"ldr" S "	%" W "[old], [%[tpl], %[off]]\n\t"            \
		INSN "	%" W "[tmp], %" W "[old], %" W "[v]\n\t"              \
		"str" S "	%" W "[tmp], [%[tpl], %[off]]\n"              \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [old] "=&r"(old), [tmp] "=&r"(tmp),                         \
		  [off] "=&r"(off) KRSEQ__A64_OPS_##SEQ                       \
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
	KRSEQ__A64_ADDR_##SEQ;                                                \
	uint64_t r;                                                           \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		KRSEQ__A64_ADDR_INSNS_##SEQ                                   \
		"ldr" S "	%" W "[r], [%[a]]\n"                          \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [r] "=&r"(r), KRSEQ__A64_AOUT_##SEQ KRSEQ__A64_OPS_##SEQ    \
		: KRSEQ__A64_AIN_##SEQ KRSEQ__A64_PCPU                        \
		: "memory");                                                  \
	return r;                                                             \
}                                                                             \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)        \
{                                                                             \
	KRSEQ__A64_ADDR_##SEQ;                                                \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		KRSEQ__A64_ADDR_INSNS_##SEQ                                   \
		"str" S "	%" W "[v], [%[a]]\n"                          \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: KRSEQ__A64_AOUT_##SEQ KRSEQ__A64_OPS_##SEQ                  \
		: KRSEQ__A64_AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU            \
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
	KRSEQ__A64_ADDR_##SEQ;                                                \
	uintptr_t krseq__cs __attribute__((unused));                          \
	uint64_t old, st;                                                     \
                                                                              \
	if (krseq__a64_lse()) {                                               \
		/* cas leaves the value found in old. */                      \
		old = o;                                                      \
		__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__A64_ARM_##SEQ      \
			KRSEQ__A64_ADDR_INSNS_##SEQ                           \
			"cas" S "	%" W "[old], %" W "[n], [%[a]]\n"     \
			"3:\n\t"                                              \
			KRSEQ__A64_END_##SEQ                                  \
			: [old] "+r"(old), KRSEQ__A64_AOUT_##SEQ              \
			  KRSEQ__A64_OPS_##SEQ                                \
			: KRSEQ__A64_AIN_##SEQ [n] "r"(n), KRSEQ__A64_PCPU    \
			: "memory");                                          \
		return old;                                                   \
	}                                                                     \
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		KRSEQ__A64_ADDR_INSNS_##SEQ                                   \
		"4:	ldxr" S "	%" W "[old], [%[a]]\n\t"              \
		"cmp	%" W "[old], %" W "[o]" EXT "\n\t"                    \
		"b.ne	5f\n\t"                                               \
		"stxr" S "	%w[st], %" W "[n], [%[a]]\n\t"                \
		KRSEQ__A64_MID_##SEQ                                          \
		"cbnz	%w[st], " KRSEQ__A64_LOOP_##SEQ "\n\t"                \
		KRSEQ__A64_TAIL_##SEQ                                         \
		"5:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [old] "=&r"(old), [st] "=&r"(st), KRSEQ__A64_AOUT_##SEQ     \
		  KRSEQ__A64_OPS_##SEQ                                        \
		: KRSEQ__A64_AIN_##SEQ [o] "r"(o), [n] "r"(n), KRSEQ__A64_PCPU \
		: "memory", "cc");                                            \
	return old;                                                           \
}

/* One LSE instruction that returns the old value. */
#define KRSEQ__A64_LSE_FETCH(SEQ, N, W, S, NAME, INSN)                        \
static inline uint64_t krseq__a64_lse_##SEQ##_##NAME##_##N(void *tpl,         \
							   uint64_t v)        \
{                                                                             \
	KRSEQ__A64_ADDR_##SEQ;                                                \
	uint64_t old;                                                         \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__A64_ARM_##SEQ              \
		KRSEQ__A64_ADDR_INSNS_##SEQ                                   \
		INSN S "	%" W "[v], %" W "[old], [%[a]]\n"             \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [old] "=&r"(old), KRSEQ__A64_AOUT_##SEQ KRSEQ__A64_OPS_##SEQ \
		: KRSEQ__A64_AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU            \
		: "memory");                                                  \
	return old;                                                           \
}

/* One LSE instruction, result discarded (the st* aliases). */
#define KRSEQ__A64_LSE_VOID(SEQ, N, W, S, NAME, INSN)                         \
static inline void krseq__a64_lse_##SEQ##_void_##NAME##_##N(void *tpl,        \
							    uint64_t v)       \
{                                                                             \
	KRSEQ__A64_ADDR_##SEQ;                                                \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__A64_ARM_##SEQ              \
		KRSEQ__A64_ADDR_INSNS_##SEQ                                   \
		INSN S "	%" W "[v], [%[a]]\n"                          \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: KRSEQ__A64_AOUT_##SEQ KRSEQ__A64_OPS_##SEQ                  \
		: KRSEQ__A64_AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU            \
		: "memory");                                                  \
}

/* An LL/SC loop: OP computes operand STORE from old and v. */
#define KRSEQ__A64_OP3(INSN, W)                                               \
	INSN "	%" W "[tmp], %" W "[old], %" W "[v]\n\t"
#define KRSEQ__A64_LLSC_RMW(SEQ, N, W, S, NAME, OP, STORE)                    \
static inline uint64_t krseq__a64_llsc_##SEQ##_##NAME##_##N(void *tpl,        \
							    uint64_t v)       \
{                                                                             \
	KRSEQ__A64_ADDR_##SEQ;                                                \
	uint64_t old, tmp __attribute__((unused)), st;                        \
	uintptr_t krseq__cs __attribute__((unused));                          \
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		KRSEQ__A64_ADDR_INSNS_##SEQ                                   \
		"4:	ldxr" S "	%" W "[old], [%[a]]\n\t"              \
		OP                                                            \
		"stxr" S "	%w[st], %" W "[" STORE "], [%[a]]\n\t"        \
		KRSEQ__A64_MID_##SEQ                                          \
		"cbnz	%w[st], " KRSEQ__A64_LOOP_##SEQ "\n\t"                \
		KRSEQ__A64_TAIL_##SEQ                                         \
		KRSEQ__A64_END_##SEQ                                          \
		: [old] "=&r"(old), [tmp] "=&r"(tmp), [st] "=&r"(st),         \
		  KRSEQ__A64_AOUT_##SEQ KRSEQ__A64_OPS_##SEQ                  \
		: KRSEQ__A64_AIN_##SEQ [v] "r"(v), KRSEQ__A64_PCPU            \
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
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		"ldr	%[a], %[pcpu]\n\t"                                    \
		"add	%[a], %[a], %[tpl]\n\t"                               \
		"ldp	%[lo], %[hi], [%[a]]\n\t"                             \
		"cmp	%[lo], %[olo]\n\t"                                    \
		"ccmp	%[hi], %[ohi], #0, eq\n\t"                            \
		"b.ne	3f\n\t"                                               \
		"stp	%[nlo], %[nhi], [%[a]]\n"                             \
		"3:\n\t"                                                      \
		KRSEQ__A64_END_##SEQ                                          \
		: [lo] "=&r"(lo), [hi] "=&r"(hi), [a] "=&r"(a)                \
		  KRSEQ__A64_OPS_##SEQ                                        \
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
#define KRSEQ__A64_ATOMIC16(SEQ)                                              \
static inline unsigned __int128 krseq_arch_##SEQ##_cmpxchg_16(                \
	void *tpl, unsigned __int128 o, unsigned __int128 n)                  \
{                                                                             \
	KRSEQ__A64_ADDR_##SEQ;                                                \
	uintptr_t krseq__cs __attribute__((unused));                          \
	uint64_t lo, hi, tlo, thi, st;                                        \
                                                                              \
	if (krseq__a64_lse()) {                                               \
		register uint64_t c0 __asm__("x4") = (uint64_t)o;             \
		register uint64_t c1 __asm__("x5") = (uint64_t)(o >> 64);     \
		register uint64_t n0 __asm__("x6") = (uint64_t)n;             \
		register uint64_t n1 __asm__("x7") = (uint64_t)(n >> 64);     \
		__asm__ __volatile__(KRSEQ__A64_LSE KRSEQ__A64_ARM_##SEQ      \
			KRSEQ__A64_ADDR_INSNS_##SEQ                           \
			"casp	%[c0], %[c1], %[n0], %[n1], [%[a]]\n"         \
			"3:\n\t"                                              \
			KRSEQ__A64_END_##SEQ                                  \
			: [c0] "+r"(c0), [c1] "+r"(c1), KRSEQ__A64_AOUT_##SEQ \
			  KRSEQ__A64_OPS_##SEQ                                \
			: KRSEQ__A64_AIN_##SEQ [n0] "r"(n0), [n1] "r"(n1),    \
			  KRSEQ__A64_PCPU                                     \
			: "memory");                                          \
		return (unsigned __int128)c1 << 64 | c0;                      \
	}                                                                     \
	__asm__ __volatile__(KRSEQ__A64_ARM_##SEQ                             \
		KRSEQ__A64_ADDR_INSNS_##SEQ                                   \
		"4:	ldxp	%[lo], %[hi], [%[a]]\n\t"                     \
		"cmp	%[lo], %[olo]\n\t"                                    \
		"ccmp	%[hi], %[ohi], #0, eq\n\t"                            \
		"csel	%[tlo], %[nlo], %[lo], eq\n\t"                        \
		"csel	%[thi], %[nhi], %[hi], eq\n\t"                        \
		"stxp	%w[st], %[tlo], %[thi], [%[a]]\n\t"                   \
		KRSEQ__A64_MID_##SEQ                                          \
		"cbnz	%w[st], " KRSEQ__A64_LOOP_##SEQ "\n\t"                \
		KRSEQ__A64_TAIL_##SEQ                                         \
		KRSEQ__A64_END_##SEQ                                          \
		: [lo] "=&r"(lo), [hi] "=&r"(hi), [tlo] "=&r"(tlo),           \
		  [thi] "=&r"(thi), [st] "=&r"(st), KRSEQ__A64_AOUT_##SEQ     \
		  KRSEQ__A64_OPS_##SEQ                                        \
		: KRSEQ__A64_AIN_##SEQ [olo] "r"((uint64_t)o),                \
		  [ohi] "r"((uint64_t)(o >> 64)), [nlo] "r"((uint64_t)n),     \
		  [nhi] "r"((uint64_t)(n >> 64)), KRSEQ__A64_PCPU             \
		: "memory", "cc");                                            \
	return (unsigned __int128)hi << 64 | lo;                              \
}

#define KRSEQ__A64_SIZE(N, W, S, EXT)                                         \
	KRSEQ__A64_DIRECT(plain, N, W, S, EXT)                                \
	KRSEQ__A64_DIRECT(rs, N, W, S, EXT)                                   \
	KRSEQ__A64_ATOMIC(atomic, N, W, S, EXT)                               \
	KRSEQ__A64_ATOMIC(sched, N, W, S, EXT)                                \
	KRSEQ__A64_ATOMIC(fixup, N, W, S, EXT)

KRSEQ__A64_SIZE(1, "w", "b", ", uxtb")
KRSEQ__A64_SIZE(2, "w", "h", ", uxth")
KRSEQ__A64_SIZE(4, "w", "", "")
KRSEQ__A64_SIZE(8, "x", "", "")
KRSEQ__A64_DIRECT16(plain)
KRSEQ__A64_DIRECT16(rs)
KRSEQ__A64_ATOMIC16(atomic)
KRSEQ__A64_ATOMIC16(sched)
KRSEQ__A64_ATOMIC16(fixup)
/* clang-format on */

#define KRSEQ_ARCH_HAS_plain_1 1
#define KRSEQ_ARCH_HAS_plain_2 1
#define KRSEQ_ARCH_HAS_plain_4 1
#define KRSEQ_ARCH_HAS_plain_8 1
#define KRSEQ_ARCH_HAS_plain_16 1
#define KRSEQ_ARCH_HAS_rs_1 1
#define KRSEQ_ARCH_HAS_rs_2 1
#define KRSEQ_ARCH_HAS_rs_4 1
#define KRSEQ_ARCH_HAS_rs_8 1
#define KRSEQ_ARCH_HAS_rs_16 1
#define KRSEQ_ARCH_HAS_atomic_1 1
#define KRSEQ_ARCH_HAS_atomic_2 1
#define KRSEQ_ARCH_HAS_atomic_4 1
#define KRSEQ_ARCH_HAS_atomic_8 1
#define KRSEQ_ARCH_HAS_atomic_16 1
#define KRSEQ_ARCH_HAS_sched_1 1
#define KRSEQ_ARCH_HAS_sched_2 1
#define KRSEQ_ARCH_HAS_sched_4 1
#define KRSEQ_ARCH_HAS_sched_8 1
#define KRSEQ_ARCH_HAS_sched_16 1
#define KRSEQ_ARCH_HAS_fixup_1 1
#define KRSEQ_ARCH_HAS_fixup_2 1
#define KRSEQ_ARCH_HAS_fixup_4 1
#define KRSEQ_ARCH_HAS_fixup_8 1
#define KRSEQ_ARCH_HAS_fixup_16 1

#endif /* KRSEQ_ARCH_AARCH64_H */
