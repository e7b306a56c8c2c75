/* SPDX-License-Identifier: MIT */
/*
 * x86_64 per-CPU ops: instructions only. What each sequence must do is
 * specified, and done in C, by <krseq/arch/generic.h>, which is included
 * after this header and supplies whatever is not defined here.
 *
 * The running CPU's offset is in the GS base, so plain, rs and seg reach
 * the copy as %gs:var(%rip) once inlined, as the kernel does. atomic,
 * sched and fixup need the copy's address in a register instead: a lock
 * prefix works on any address, and FIXUP needs a register to rewrite, so
 * they add krseq_ta.percpu_offset (%fs-relative TLS) to the template.
 *
 * Armed sequences (rs, sched, fixup) share one layout:
 *
 *	1:	leaq	9f(%rip), %tmp		descriptor address (PIC)
 *		movq	%tmp, sched_rseq	the one arming store
 *	2:	...				start: the window
 *	3:					commit: just after the commit
 *	(.text.unlikely)
 *	4:	jmp	1b			restart, outside the window
 *	(krseq_cs)
 *	9:	descriptor {2b, 3b, 4b}
 *
 * The restart goes back to the leaq, not to the store, because %tmp is
 * reused inside the window. It is cold code, kept out of line as the
 * kernel keeps its fixups (and librseq its __rseq_failure): the fast path
 * stays straight-line and the function holds only that path.
 * Nothing disarms: the exit path ignores a descriptor whose window does
 * not hold the PC, and a later arming store overwrites it.
 */
#ifndef KRSEQ_ARCH_X86_64_H
#define KRSEQ_ARCH_X86_64_H

#include <stdint.h>
#include <krseq/thread.h>
#include <krseq/rseq.h>

/*
 * The address register of every FIXUP sequence: %rsi (ModRM 6). Not one
 * of %rax/%rbx/%rcx/%rdx, which cmpxchg and cmpxchg16b take implicitly.
 */
#define KRSEQ_ARCH_FIXUP_REG 6
#define KRSEQ__X86_FIXUP_REGNAME "rsi"

/* Assembler text is laid out by hand. */
/* clang-format off */

/* Size traits: type, suffix, operand modifier, zero-extending load, imm. */
#define KRSEQ__X86_T_1 uint8_t
#define KRSEQ__X86_T_2 uint16_t
#define KRSEQ__X86_T_4 uint32_t
#define KRSEQ__X86_T_8 uint64_t
#define KRSEQ__X86_S_1 "b"
#define KRSEQ__X86_S_2 "w"
#define KRSEQ__X86_S_4 "l"
#define KRSEQ__X86_S_8 "q"
#define KRSEQ__X86_R_1 "b"
#define KRSEQ__X86_R_2 "w"
#define KRSEQ__X86_R_4 "k"
#define KRSEQ__X86_R_8 "q"
/* Writing a 32-bit register clears bits 63:32, so results come back clean. */
#define KRSEQ__X86_LD_1 "movzbl %%gs:%[var], %k"
#define KRSEQ__X86_LD_2 "movzwl %%gs:%[var], %k"
#define KRSEQ__X86_LD_4 "movl %%gs:%[var], %k"
#define KRSEQ__X86_LD_8 "movq %%gs:%[var], %q"
#define KRSEQ__X86_LDA_1 "movzbl (%q[a]), %k"
#define KRSEQ__X86_LDA_2 "movzwl (%q[a]), %k"
#define KRSEQ__X86_LDA_4 "movl (%q[a]), %k"
#define KRSEQ__X86_LDA_8 "movq (%q[a]), %q"
/* 64-bit ops take only sign-extended 32-bit immediates. */
#define KRSEQ__X86_I_1 "ir"
#define KRSEQ__X86_I_2 "ir"
#define KRSEQ__X86_I_4 "ir"
#define KRSEQ__X86_I_8 "er"

#define KRSEQ__X86_T(N) KRSEQ__X86_T_##N
#define KRSEQ__X86_S(N) KRSEQ__X86_S_##N
#define KRSEQ__X86_I(N) KRSEQ__X86_I_##N
/* The copy, as %gs:var: an operand on the template, whose address it is. */
#define KRSEQ__X86_VAR(N, c) [var] c(*(KRSEQ__X86_T(N) *)tpl)
/* "%b[name]" and friends: name's register at size N. */
#define KRSEQ__X86_REG(N, name) "%" KRSEQ__X86_R_##N "[" name "]"
/* Zero-extending load of the copy into register operand name. */
#define KRSEQ__X86_LOAD(N, name) KRSEQ__X86_LD_##N "[" name "]\n\t"
#define KRSEQ__X86_LOADA(N, name) KRSEQ__X86_LDA_##N "[" name "]\n\t"
/* insn{N} %v, %gs:var */
#define KRSEQ__X86_TOGS(N, insn, name)                                         \
	insn KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, name) ", %%gs:%[var]\n\t"
/* insn{N} %v, (%a) */
#define KRSEQ__X86_TOA(N, insn, name)                                          \
	insn KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, name) ", (%q[a])\n\t"

/* Expanded once more, so that flags and register reach # as literals. */
#define KRSEQ__X86_CS(flags, reg) KRSEQ_CS_ASM(9, flags, 2b, 3b, 4b, reg)
#define KRSEQ__X86_CS_FIXUP(flags, reg) KRSEQ_CS_ASM(9, flags, 2b, 3b, 0, reg)

#define KRSEQ__X86_ARM(tmp)                                                    \
	"1:\tleaq 9f(%%rip), %q[" tmp "]\n\t"                                  \
	"movq %q[" tmp "], %[rseq]\n"                                          \
	"2:\t"
#define KRSEQ__X86_RESTART(flags)                                              \
	"3:\n\t"                                                               \
	".pushsection .text.unlikely, \"ax\", @progbits\n"                     \
	"4:\tjmp 1b\n\t"                                                       \
	".popsection\n\t"                                                      \
	KRSEQ__X86_CS(flags, 0)
#define KRSEQ__X86_FIXUP_END                                                   \
	"3:\n\t" KRSEQ__X86_CS_FIXUP(KRSEQ_CS_FIXUP, KRSEQ_ARCH_FIXUP_REG)

#define KRSEQ__X86_RSEQ [rseq] "=m"(krseq_ta.sched_rseq)
/* Operand lists travel through nested macros in parentheses. */
#define KRSEQ__X86_U(...) __VA_ARGS__
#define KRSEQ__X86_OFF [off] "m"(krseq_ta.percpu_offset)

/*
 * plain and rs: load, op, store through %gs. PRE/POST are empty for plain;
 * for rs they arm and close the window, and XO adds the arming store as
 * an output. The arming scratch is always an output the window writes
 * before it reads it, so a restart may clobber it.
 */
#define KRSEQ__X86_GS(SEQ, N, PRE, POST, XO)                                   \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                  \
{                                                                              \
	uint64_t r;                                                            \
	__asm__ __volatile__(PRE("r") KRSEQ__X86_LOAD(N, "r") POST             \
			     : [r] "=&r"(r) KRSEQ__X86_U XO                    \
			     : KRSEQ__X86_VAR(N, "m")                          \
			     : "memory");                                      \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)         \
{                                                                              \
	uint64_t t;                                                            \
	__asm__ __volatile__(PRE("t")                                          \
			     "mov" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "v")  \
			     ", %%gs:%[var]\n\t" POST                          \
			     : [t] "=&r"(t),                                   \
			       KRSEQ__X86_VAR(N, "=m") KRSEQ__X86_U XO         \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory");                                      \
	(void)t;                                                               \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl,             \
							uint64_t v)            \
{                                                                              \
	uint64_t o, t;                                                         \
	__asm__ __volatile__(PRE("t") KRSEQ__X86_LOAD(N, "o")                  \
			     "leaq (%q[o], %q[v]), %q[t]\n\t"                  \
			     KRSEQ__X86_TOGS(N, "mov", "t") POST               \
			     : [o] "=&r"(o), [t] "=&r"(t),                     \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__X86_U XO         \
			     : [v] "r"(v)                                      \
			     : "memory");                                      \
	return o;                                                              \
}                                                                              \
KRSEQ__X86_GS_RMW(SEQ, N, add, "add", PRE, POST, XO)                           \
KRSEQ__X86_GS_RMW(SEQ, N, and, "and", PRE, POST, XO)                           \
KRSEQ__X86_GS_RMW(SEQ, N, or, "or", PRE, POST, XO)                             \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)      \
{                                                                              \
	uint64_t o;                                                            \
	__asm__ __volatile__(PRE("o") KRSEQ__X86_LOAD(N, "o")                  \
			     "mov" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "v")  \
			     ", %%gs:%[var]\n\t" POST                          \
			     : [o] "=&r"(o),                                   \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__X86_U XO         \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory");                                      \
	return o;                                                              \
}                                                                              \
/* The miss jumps to 3:, the commit: it leaves the window unstored. */         \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,   \
						      uint64_t n)              \
{                                                                              \
	uint64_t c;                                                            \
	__asm__ __volatile__(PRE("c") KRSEQ__X86_LOAD(N, "c")                  \
			     "cmp" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "o")  \
			     ", " KRSEQ__X86_REG(N, "c") "\n\t"                \
			     "jne 3f\n\t"                                      \
			     "mov" KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "n")  \
			     ", %%gs:%[var]\n\t" POST                          \
			     : [c] "=&r"(c),                                   \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__X86_U XO         \
			     : [o] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))o),        \
			       [n] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))n)         \
			     : "memory", "cc");                                \
	return c;                                                              \
}

/* op{N} on a loaded copy: the result's upper bytes are never stored. */
#define KRSEQ__X86_GS_RMW(SEQ, N, OP, INSN, PRE, POST, XO)                     \
static inline void krseq_arch_##SEQ##_##OP##_##N(void *tpl, uint64_t v)        \
{                                                                              \
	uint64_t t;                                                            \
	__asm__ __volatile__(PRE("t") KRSEQ__X86_LOAD(N, "t")                  \
			     INSN KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, "v")   \
			     ", " KRSEQ__X86_REG(N, "t") "\n\t"                \
			     KRSEQ__X86_TOGS(N, "mov", "t") POST               \
			     : [t] "=&r"(t),                                   \
			       KRSEQ__X86_VAR(N, "+m") KRSEQ__X86_U XO         \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v)         \
			     : "memory", "cc");                                \
}

#define KRSEQ__X86_NOPRE(tmp) ""
#define KRSEQ__X86_PLAIN_END "3:\n\t"
#define KRSEQ__X86_RS_PRE(tmp) KRSEQ__X86_ARM(tmp)
#define KRSEQ__X86_RS_END KRSEQ__X86_RESTART(KRSEQ_CS_FLAVOUR_IRQ)

/*
 * atomic, sched and fixup: the address in %[a], then one instruction that
 * interrupts cannot split, lock-prefixed where it reads and writes.
 *
 * atomic starts from a = tpl (loaded before) and adds the offset with one
 * instruction, as s390's ag. fixup and sched read the offset into %[a] and
 * add the template from a register the window never writes: sched's window
 * must be re-runnable (%[a] also carries the descriptor address before
 * it), and fixup needs a plain instruction inside its window, since an
 * asynchronous interrupt is taken after a locked instruction, not on it:
 * on the read nothing has been read yet; after it %[a] holds the offset,
 * then the address, either of which the fix-up corrects.
 */
#define KRSEQ__X86_ATOMIC_ADDR "addq %[off], %q[a]\n\t"
#define KRSEQ__X86_SCHED_ADDR "movq %[off], %q[a]\n\taddq %q[tpl], %q[a]\n\t"

/*
 * AREG declares a (AOUT its operand); XO and XI are the extra outputs and
 * inputs, in parentheses; TMP names the arming scratch.
 */
#define KRSEQ__X86_ADDR(SEQ, N, PRE, ADDR, POST, AREG, AOUT, XO, XI, TMP)      \
static inline uint64_t krseq_arch_##SEQ##_read_##N(void *tpl)                  \
{                                                                              \
	AREG; uint64_t r;                                                      \
	__asm__ __volatile__(PRE(TMP) ADDR KRSEQ__X86_LOADA(N, "r") POST       \
			     : [r] "=&r"(r), AOUT KRSEQ__X86_U XO              \
			     : KRSEQ__X86_OFF KRSEQ__X86_U XI                  \
			     : "memory", "cc");                                \
	return r;                                                              \
}                                                                              \
static inline void krseq_arch_##SEQ##_write_##N(void *tpl, uint64_t v)         \
{                                                                              \
	AREG;                                                                  \
	__asm__ __volatile__(PRE(TMP) ADDR                                     \
			     KRSEQ__X86_TOA(N, "mov", "v") POST                \
			     : AOUT KRSEQ__X86_U XO                            \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v),        \
			       KRSEQ__X86_OFF KRSEQ__X86_U XI                  \
			     : "memory", "cc");                                \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *tpl,             \
							uint64_t v)            \
{                                                                              \
	AREG;                                                                  \
	__asm__ __volatile__(PRE(TMP) ADDR                                     \
			     KRSEQ__X86_TOA(N, "lock xadd", "v") POST          \
			     : [v] "+r"(v), AOUT KRSEQ__X86_U XO               \
			     : KRSEQ__X86_OFF KRSEQ__X86_U XI                  \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))v;                                             \
}                                                                              \
KRSEQ__X86_ADDR_RMW(SEQ, N, add, "lock add", PRE, ADDR, POST, AREG, AOUT,      \
		    XO, XI, TMP)                                               \
KRSEQ__X86_ADDR_RMW(SEQ, N, and, "lock and", PRE, ADDR, POST, AREG, AOUT,      \
		    XO, XI, TMP)                                               \
KRSEQ__X86_ADDR_RMW(SEQ, N, or, "lock or", PRE, ADDR, POST, AREG, AOUT,        \
		    XO, XI, TMP)                                               \
/* xchg with memory is locked without the prefix. */                           \
static inline uint64_t krseq_arch_##SEQ##_xchg_##N(void *tpl, uint64_t v)      \
{                                                                              \
	AREG;                                                                  \
	__asm__ __volatile__(PRE(TMP) ADDR                                     \
			     KRSEQ__X86_TOA(N, "xchg", "v") POST               \
			     : [v] "+r"(v), AOUT KRSEQ__X86_U XO               \
			     : KRSEQ__X86_OFF KRSEQ__X86_U XI                  \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))v;                                             \
}                                                                              \
static inline uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *tpl, uint64_t o,   \
						      uint64_t n)              \
{                                                                              \
	AREG;                                                                  \
	__asm__ __volatile__(PRE(TMP) ADDR                                     \
			     KRSEQ__X86_TOA(N, "lock cmpxchg", "n") POST       \
			     : "+a"(o), AOUT KRSEQ__X86_U XO                   \
			     : [n] "r"(n), KRSEQ__X86_OFF KRSEQ__X86_U XI      \
			     : "memory", "cc");                                \
	return (KRSEQ__X86_T(N))o;                                             \
}

#define KRSEQ__X86_ADDR_RMW(SEQ, N, OP, INSN, PRE, ADDR, POST, AREG, AOUT,     \
			    XO, XI, TMP)                                       \
static inline void krseq_arch_##SEQ##_##OP##_##N(void *tpl, uint64_t v)        \
{                                                                              \
	AREG;                                                                  \
	__asm__ __volatile__(PRE(TMP) ADDR KRSEQ__X86_TOA(N, INSN, "v") POST   \
			     : AOUT KRSEQ__X86_U XO                            \
			     : [v] KRSEQ__X86_I(N)((KRSEQ__X86_T(N))v),        \
			       KRSEQ__X86_OFF KRSEQ__X86_U XI                  \
			     : "memory", "cc");                                \
}

/* atomic: a = tpl in any register; nothing armed. */
#define KRSEQ__X86_ATOMIC(N)                                                   \
	KRSEQ__X86_ADDR(atomic, N, KRSEQ__X86_NOPRE, KRSEQ__X86_ATOMIC_ADDR,   \
			"", uintptr_t a = (uintptr_t)tpl, [a] "+r"(a),        \
			(), (), "")
/* fixup: a pinned to the fix-up register; t carries the descriptor. */
#define KRSEQ__X86_FIXUP(N)                                                    \
	KRSEQ__X86_ADDR(fixup, N, KRSEQ__X86_ARM, KRSEQ__X86_SCHED_ADDR,       \
			KRSEQ__X86_FIXUP_END,                                  \
			register uintptr_t a __asm__(KRSEQ__X86_FIXUP_REGNAME);\
			uintptr_t t,                                           \
			[a] "=&r"(a), (, [t] "=&r"(t), KRSEQ__X86_RSEQ),       \
			(, [tpl] "r"(tpl)), "t")
/* sched: a is computed in the window; the template stays in %[tpl]. */
#define KRSEQ__X86_SCHED(N)                                                    \
	KRSEQ__X86_ADDR(sched, N, KRSEQ__X86_ARM, KRSEQ__X86_SCHED_ADDR,       \
			KRSEQ__X86_RESTART(KRSEQ_CS_FLAVOUR_SCHED),            \
			uintptr_t a, [a] "=&r"(a), (, KRSEQ__X86_RSEQ),        \
			(, [tpl] "r"(tpl)), "a")

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
			     "1:\t" KRSEQ__X86_TOGS(N, "cmpxchg", "v")         \
			     "jne 1b\n\t"                                      \
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

#define KRSEQ__X86_ALL_SIZES(M) M(1) M(2) M(4) M(8)
#define KRSEQ__X86_PLAIN(N)                                                    \
	KRSEQ__X86_GS(plain, N, KRSEQ__X86_NOPRE, KRSEQ__X86_PLAIN_END, ())
#define KRSEQ__X86_RS(N)                                                       \
	KRSEQ__X86_GS(rs, N, KRSEQ__X86_RS_PRE, KRSEQ__X86_RS_END,             \
		      (, KRSEQ__X86_RSEQ))

KRSEQ__X86_ALL_SIZES(KRSEQ__X86_PLAIN)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_RS)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_ATOMIC)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_SCHED)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_FIXUP)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_SEG)

/*
 * 16 bytes: cmpxchg only. cmpxchg16b takes the expected value in
 * %rdx:%rax, the new one in %rcx:%rbx, leaves the value found in
 * %rdx:%rax, and faults unless the copy is 16-byte aligned (it is: copies
 * are whole pages apart and the template of a 16-byte type is aligned).
 */
#define KRSEQ__X86_LO(x) ((uint64_t)(x))
#define KRSEQ__X86_HI(x) ((uint64_t)((x) >> 64))
#define KRSEQ__X86_U128(lo, hi) ((unsigned __int128)(hi) << 64 | (lo))

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
			     "movq %[nhi], %%gs:%[vhi]\n"
			     "3:\n\t"
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

/*
 * The commit must be one instruction: the new value is packed into %xmm0
 * before the arming store (a restart keeps it: the signal frame restores
 * the vector registers), and one 16-byte SSE store commits it. The two
 * loads and compares may be cut anywhere, since any interrupt restarts.
 */
static inline unsigned __int128
krseq_arch_rs_cmpxchg_16(void *tpl, unsigned __int128 o, unsigned __int128 n)
{
	uint64_t lo, hi;

	__asm__ __volatile__("movq %[nlo], %%xmm0\n\t"
			     "movq %[nhi], %%xmm1\n\t"
			     "punpcklqdq %%xmm1, %%xmm0\n\t"
			     KRSEQ__X86_ARM("lo")
			     "movq %%gs:%[vlo], %[lo]\n\t"
			     "movq %%gs:%[vhi], %[hi]\n\t"
			     "cmpq %[olo], %[lo]\n\t"
			     "jne 3f\n\t"
			     "cmpq %[ohi], %[hi]\n\t"
			     "jne 3f\n\t"
			     "movups %%xmm0, %%gs:%[var]\n\t"
			     KRSEQ__X86_RESTART(KRSEQ_CS_FLAVOUR_IRQ)
			     : [lo] "=&r"(lo), [hi] "=&r"(hi),
			       [var] "+m"(*(unsigned __int128 *)tpl),
			       KRSEQ__X86_RSEQ
			     : [vlo] "m"(((uint64_t *)tpl)[0]),
			       [vhi] "m"(((uint64_t *)tpl)[1]),
			       [olo] "er"(KRSEQ__X86_LO(o)),
			       [ohi] "er"(KRSEQ__X86_HI(o)),
			       [nlo] "r"(KRSEQ__X86_LO(n)),
			       [nhi] "r"(KRSEQ__X86_HI(n))
			     : "memory", "cc", "xmm0", "xmm1");
	return KRSEQ__X86_U128(lo, hi);
}

static inline unsigned __int128
krseq_arch_atomic_cmpxchg_16(void *tpl, unsigned __int128 o,
			     unsigned __int128 n)
{
	uint64_t lo = KRSEQ__X86_LO(o), hi = KRSEQ__X86_HI(o);
	uintptr_t a = (uintptr_t)tpl;

	__asm__ __volatile__(KRSEQ__X86_ATOMIC_ADDR
			     "lock cmpxchg16b (%q[a])\n\t"
			     : "+a"(lo), "+d"(hi), [a] "+r"(a)
			     : "b"(KRSEQ__X86_LO(n)), "c"(KRSEQ__X86_HI(n)),
			       KRSEQ__X86_OFF
			     : "memory", "cc");
	return KRSEQ__X86_U128(lo, hi);
}

static inline unsigned __int128
krseq_arch_sched_cmpxchg_16(void *tpl, unsigned __int128 o, unsigned __int128 n)
{
	uint64_t lo = KRSEQ__X86_LO(o), hi = KRSEQ__X86_HI(o);
	uintptr_t a;

	__asm__ __volatile__(KRSEQ__X86_ARM("a") KRSEQ__X86_SCHED_ADDR
			     "lock cmpxchg16b (%q[a])\n\t"
			     KRSEQ__X86_RESTART(KRSEQ_CS_FLAVOUR_SCHED)
			     : "+a"(lo), "+d"(hi), [a] "=&r"(a), KRSEQ__X86_RSEQ
			     : "b"(KRSEQ__X86_LO(n)), "c"(KRSEQ__X86_HI(n)),
			       [tpl] "r"(tpl), KRSEQ__X86_OFF
			     : "memory", "cc");
	return KRSEQ__X86_U128(lo, hi);
}

static inline unsigned __int128
krseq_arch_fixup_cmpxchg_16(void *tpl, unsigned __int128 o, unsigned __int128 n)
{
	uint64_t lo = KRSEQ__X86_LO(o), hi = KRSEQ__X86_HI(o);
	register uintptr_t a __asm__(KRSEQ__X86_FIXUP_REGNAME);
	uintptr_t t;

	__asm__ __volatile__(KRSEQ__X86_ARM("t") KRSEQ__X86_SCHED_ADDR
			     "lock cmpxchg16b (%q[a])\n\t"
			     KRSEQ__X86_FIXUP_END
			     : "+a"(lo), "+d"(hi), [a] "=&r"(a), [t] "=&r"(t),
			       KRSEQ__X86_RSEQ
			     : "b"(KRSEQ__X86_LO(n)), "c"(KRSEQ__X86_HI(n)),
			       [tpl] "r"(tpl), KRSEQ__X86_OFF
			     : "memory", "cc");
	return KRSEQ__X86_U128(lo, hi);
}

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

/*
 * Every (sequence, size) is native here, so generic.h supplies nothing.
 * KRSEQ_ARCH_HAS_* is what generic.h tests.
 */
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
#define KRSEQ_ARCH_HAS_seg_1 1
#define KRSEQ_ARCH_HAS_seg_2 1
#define KRSEQ_ARCH_HAS_seg_4 1
#define KRSEQ_ARCH_HAS_seg_8 1
#define KRSEQ_ARCH_HAS_seg_16 1

#endif /* KRSEQ_ARCH_X86_64_H */
