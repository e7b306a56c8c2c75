/* SPDX-License-Identifier: MIT */
/*
 * The registry of protection schemes ("strategies"), and of the per-CPU
 * ops: the one place each is named. The per-CPU ops of <krseq/percpu.h>,
 * the explorer, the krseq command (names, help, stress, bench, compare,
 * codegen), the tests and the build's test lists are all derived from the
 * rows below; nothing else spells a scheme's name.
 *
 * A row is KRSEQ_PCP_<NAME> (its number, never reused) and the tuple
 * KRSEQ__SCHEME_<number>:
 *
 *   ("name", sequence, kernel, enter, exit, flags, x86_64, aarch64, s390x,
 *    "why")
 *
 *   name      - what the command, the reports and the JSON call it;
 *   sequence  - the arch functions that do the work (krseq_arch_<seq>_*,
 *               see <krseq/arch/generic.h>);
 *   kernel    - its kernel side, krseq_kernel_<kernel> (src/schemes/): the
 *               entry and exit hooks of <krseq/scheme.h>, or none;
 *   enter/exit - statements around the sequence (PREEMPT, IRQ);
 *   flags     - KRSEQ_SCHEME_*;
 *   x86_64... - the sizes that arch has a real sequence for, every op of
 *               the size (16 bytes: cmpxchg only): a KRSEQ_SIZES_* mask;
 *   why       - why a missing cell is missing ("" when none is).
 *
 * A missing cell is never filled with another scheme's code: an explicit
 * krseq_pcp_*() call on it does not compile (the message says why), and
 * every table and JSON reports it as "n/a" with the reason. The kernel
 * names this_cpu_*() must work at every size, so where the default scheme
 * has no cell they use KRSEQ_PCP_DEFAULT_FALLBACK (PREEMPT), as the
 * kernel's s390 keeps its 1- and 2-byte ops preempt-protected.
 */
#ifndef KRSEQ_SCHEMES_H
#define KRSEQ_SCHEMES_H

#include <stdbool.h>

/* Flags of a scheme. */
#define KRSEQ_SCHEME_ARMED 0x01 /* arms a descriptor in sched_rseq */
#define KRSEQ_SCHEME_RESTARTS 0x02 /* a hit window restarts */
#define KRSEQ_SCHEME_FIXES_UP 0x04 /* a hit window fixes a register up */
#define KRSEQ_SCHEME_NO_IRQ_RESTART 0x08 /* a plain interrupt never restarts */
#define KRSEQ_SCHEME_CONTROL 0x10 /* a negative control: must lose updates */
/* The explorer must catch it with these adversaries (DESIGN.md section 4). */
#define KRSEQ_SCHEME_CAUGHT_IRQ 0x20
#define KRSEQ_SCHEME_CAUGHT_MIGRATE 0x40

/*
 * The size masks, bit 0 for 1 byte ... bit 4 for 16 bytes. Enumerators,
 * not macros, so that the preprocessor can select code by cell
 * (KRSEQ_IF_CELL) as well as C test it.
 */
#define KRSEQ__CELLS_KRSEQ_SIZES_ALL(X) X(1) X(1) X(1) X(1) X(1)
#define KRSEQ__CELLS_KRSEQ_SIZES_NONE(X) X(0) X(0) X(0) X(0) X(0)
#define KRSEQ__CELLS_KRSEQ_SIZES_NO_1_2(X) X(0) X(0) X(1) X(1) X(1)
enum krseq_sizes {
	KRSEQ_SIZES_ALL = 0x1f,
	KRSEQ_SIZES_NONE = 0,
	KRSEQ_SIZES_NO_1_2 = 0x1c,
};

/* The schemes: KRSEQ_PCP_<NAME> and its row. */
#define KRSEQ_PCP_SEGMENT 1
#define KRSEQ__ID_1 segment
#define KRSEQ__SCHEME_1                                                        \
	("segment", seg, none, (void)0, (void)0, 0, KRSEQ_SIZES_ALL,           \
	 KRSEQ_SIZES_NONE, KRSEQ_SIZES_NONE,                                   \
	 "only x86_64 reaches per-CPU data through a segment register (%gs)")
#define KRSEQ_PCP_ATOMIC 2
#define KRSEQ__ID_2 atomic
#define KRSEQ__SCHEME_2                                                        \
	("atomic", atomic, none, (void)0, (void)0,                             \
	 KRSEQ_SCHEME_CAUGHT_MIGRATE, KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL,        \
	 KRSEQ_SIZES_ALL, "")
#define KRSEQ_PCP_PREEMPT 3
#define KRSEQ__ID_3 preempt
#define KRSEQ__SCHEME_3                                                        \
	("preempt", atomic, none, krseq_preempt_disable(),                     \
	 krseq_preempt_enable(), 0, KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL,          \
	 KRSEQ_SIZES_ALL, "")
#define KRSEQ_PCP_IRQ 4
#define KRSEQ__ID_4 irq
#define KRSEQ__SCHEME_4                                                        \
	("irq", plain, none,                                                   \
	 unsigned long krseq__irqf = krseq_local_irq_save(),                   \
	 krseq_local_irq_restore(krseq__irqf), 0, KRSEQ_SIZES_ALL,             \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, "")
#define KRSEQ_PCP_RESTART 5
#define KRSEQ__ID_5 restart
#define KRSEQ__SCHEME_5                                                        \
	("restart", rs, restart, (void)0, (void)0,                             \
	 KRSEQ_SCHEME_ARMED | KRSEQ_SCHEME_RESTARTS, KRSEQ_SIZES_ALL,          \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, "")
#define KRSEQ_PCP_RESTART_SCHED 6
#define KRSEQ__ID_6 restart_sched
#define KRSEQ__SCHEME_6                                                        \
	("restart_sched", sched, restart, (void)0, (void)0,                    \
	 KRSEQ_SCHEME_ARMED | KRSEQ_SCHEME_RESTARTS |                          \
		 KRSEQ_SCHEME_NO_IRQ_RESTART,                                  \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, KRSEQ_SIZES_NO_1_2,                 \
	 "s390x commits with an interlocked-access instruction, which has "    \
	 "no 1- or 2-byte form")
#define KRSEQ_PCP_FIXUP 7
#define KRSEQ__ID_7 fixup
#define KRSEQ__SCHEME_7                                                        \
	("fixup", fixup, fixup, (void)0, (void)0,                              \
	 KRSEQ_SCHEME_ARMED | KRSEQ_SCHEME_FIXES_UP |                          \
		 KRSEQ_SCHEME_NO_IRQ_RESTART,                                  \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, KRSEQ_SIZES_NO_1_2,                 \
	 "s390x does the op with an interlocked-access instruction, which "    \
	 "has no 1- or 2-byte form")
#define KRSEQ_PCP_UNSAFE 8
#define KRSEQ__ID_8 unsafe
#define KRSEQ__SCHEME_8                                                        \
	("unsafe", plain, none, (void)0, (void)0,                              \
	 KRSEQ_SCHEME_CONTROL | KRSEQ_SCHEME_CAUGHT_IRQ |                      \
		 KRSEQ_SCHEME_CAUGHT_MIGRATE,                                  \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, "")

#define KRSEQ_PCP_MARKER 9
#define KRSEQ__ID_9 marker
#define KRSEQ__SCHEME_9                                                        \
	("marker", marker, marker, (void)0, (void)0,                           \
	 KRSEQ_SCHEME_FIXES_UP | KRSEQ_SCHEME_NO_IRQ_RESTART, KRSEQ_SIZES_ALL, \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_NO_1_2,                                  \
	 "s390x has no 1- or 2-byte interlocked-access instruction: the "      \
	 "kernel keeps those ops preempt-protected loops")

#define KRSEQ_PCP_KSEQ 10
#define KRSEQ__ID_10 kseq
#define KRSEQ__SCHEME_10                                                       \
	("kseq", kseq, kseq, (void)0, (void)0,                                 \
	 KRSEQ_SCHEME_ARMED | KRSEQ_SCHEME_RESTARTS, KRSEQ_SIZES_ALL,          \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, "")
#define KRSEQ_PCP_KSEQ_SCHED 11
#define KRSEQ__ID_11 kseq_sched
#define KRSEQ__SCHEME_11                                                       \
	("kseq_sched", kseq_sched, kseq_sched, (void)0, (void)0,               \
	 KRSEQ_SCHEME_ARMED | KRSEQ_SCHEME_RESTARTS |                          \
		 KRSEQ_SCHEME_NO_IRQ_RESTART,                                  \
	 KRSEQ_SIZES_ALL, KRSEQ_SIZES_ALL, KRSEQ_SIZES_NO_1_2,                 \
	 "s390x commits with an interlocked-access instruction, which has "    \
	 "no 1- or 2-byte form")

/* KRSEQ_PCP_* run 1 .. KRSEQ_NR_SCHEMES - 1; 0 stands for a user target. */
#define KRSEQ_NR_SCHEMES 12
/*
 * X(n, "name", seq, kernel, enter, exit, flags, x86_64, aarch64, s390x, "why",
 *   ARGS...) for each scheme; ARGS are passed through.
 */
/* clang-format off */
#define KRSEQ_FOR_EACH_SCHEME(X, ...)                                          \
	KRSEQ__ROW(X, 1, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 2, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 3, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 4, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 5, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 6, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 7, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 8, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 9, ##__VA_ARGS__)                                        \
	KRSEQ__ROW(X, 10, ##__VA_ARGS__)                                       \
	KRSEQ__ROW(X, 11, ##__VA_ARGS__)
/* clang-format on */
#define KRSEQ__ROW(X, n, ...)                                                  \
	KRSEQ__ROW_(X, n, KRSEQ__SCHEME_##n, ##__VA_ARGS__)
#define KRSEQ__ROW_(X, n, t, ...)                                              \
	KRSEQ__ROW__(X, n, KRSEQ__UNPACK t, ##__VA_ARGS__)
#define KRSEQ__ROW__(X, ...) X(__VA_ARGS__)
#define KRSEQ__UNPACK(...) __VA_ARGS__

/* A field of scheme S's row; S is a KRSEQ_PCP_* constant. */
#define KRSEQ__ROW_OF(S) KRSEQ__CAT(KRSEQ__SCHEME_, S)
#define KRSEQ__CAT_(a, b) a##b
#define KRSEQ__CAT(a, b) KRSEQ__CAT_(a, b)
#define KRSEQ__F(F, S) KRSEQ__F_(F, KRSEQ__ROW_OF(S))
#define KRSEQ__F_(F, t) F t
#define KRSEQ__NAME(n, q, k, e, x, f, a, b, c, w) n
#define KRSEQ__SEQ(n, q, k, e, x, f, a, b, c, w) q
#define KRSEQ__ENTER(n, q, k, e, x, f, a, b, c, w) e
#define KRSEQ__EXIT(n, q, k, e, x, f, a, b, c, w) x
#define KRSEQ__FLAGS(n, q, k, e, x, f, a, b, c, w) f
#define KRSEQ__KERNEL(n, q, k, e, x, f, a, b, c, w) k
#define KRSEQ__WHY(n, q, k, e, x, f, a, b, c, w) w
#if defined(__x86_64__)
#define KRSEQ__HERE(n, q, k, e, x, f, a, b, c, w) a
#elif defined(__aarch64__)
#define KRSEQ__HERE(n, q, k, e, x, f, a, b, c, w) b
#else
#define KRSEQ__HERE(n, q, k, e, x, f, a, b, c, w) c
#endif

/* Scheme S's name, and its sizes on the arch being compiled for. */
#define KRSEQ_SCHEME_NAME(S) KRSEQ__F(KRSEQ__NAME, S)
/* The name as an identifier, for the symbols made per scheme (probes,
 * stress copies): a backtrace or a profile names the scheme, not a number. */
#define KRSEQ_SCHEME_ID(S) KRSEQ__CAT(KRSEQ__ID_, S)
#define KRSEQ_SCHEME_SIZES_HERE(S) KRSEQ__F(KRSEQ__HERE, S)
#define KRSEQ_SCHEME_WHY(S) KRSEQ__F(KRSEQ__WHY, S)
#define KRSEQ_SCHEME_FLAGS(S) (KRSEQ__F(KRSEQ__FLAGS, S))

/* The bit of a size in a mask: 1, 2, 4, 8, 16 bytes -> 0 .. 4. */
#define KRSEQ_SIZE_BIT(size)                                                   \
	((size) == 1 ? 0 :                                                     \
	 (size) == 2 ? 1 :                                                     \
	 (size) == 4 ? 2 :                                                     \
	 (size) == 8 ? 3 :                                                     \
		       4)
/* A C constant: does S have a sequence for size bytes here. */
#define KRSEQ_SCHEME_HAS_HERE(S, size)                                         \
	((KRSEQ_SCHEME_SIZES_HERE(S) >> KRSEQ_SIZE_BIT(size)) & 1)

/*
 * KRSEQ_IF_CELL(S, N)(code): code where S has size N (1, 2, 4, 8, 16)
 * here, nothing where it has not; for tables of every cell, whose missing
 * cells must not be compiled at all.
 */
#define KRSEQ_IF_CELL(S, N)                                                    \
	KRSEQ__CAT(KRSEQ__IF_,                                                 \
		   KRSEQ__CELL_OF(KRSEQ_SCHEME_SIZES_HERE(S), KRSEQ__SZ_##N))
#define KRSEQ__SZ_1 KRSEQ__PICK1
#define KRSEQ__SZ_2 KRSEQ__PICK2
#define KRSEQ__SZ_4 KRSEQ__PICK3
#define KRSEQ__SZ_8 KRSEQ__PICK4
#define KRSEQ__SZ_16 KRSEQ__PICK5
#define KRSEQ__CELL_OF(mask, pick) KRSEQ__CELL_OF1(mask, pick)
#define KRSEQ__CELL_OF1(mask, pick) KRSEQ__CELL_OF_(KRSEQ__CELLS_##mask, pick)
#define KRSEQ__CELL_OF_(cells, pick) KRSEQ__CELL_OF__(pick, cells(KRSEQ__C))
#define KRSEQ__CELL_OF__(pick, ...) pick(__VA_ARGS__)
#define KRSEQ__C(x) x,
#define KRSEQ__PICK1(a, ...) a
#define KRSEQ__PICK2(a, b, ...) b
#define KRSEQ__PICK3(a, b, c, ...) c
#define KRSEQ__PICK4(a, b, c, d, ...) d
#define KRSEQ__PICK5(a, b, c, d, e, ...) e
#define KRSEQ__IF_0(...)
#define KRSEQ__IF_1(...) __VA_ARGS__
/* KRSEQ_IF_NO_CELL(S, N)(code): code where S has no size N here. */
#define KRSEQ_IF_NO_CELL(S, N)                                                 \
	KRSEQ__CAT(KRSEQ__IFNOT_,                                              \
		   KRSEQ__CELL_OF(KRSEQ_SCHEME_SIZES_HERE(S), KRSEQ__SZ_##N))
#define KRSEQ__IFNOT_0(...) __VA_ARGS__
#define KRSEQ__IFNOT_1(...)
/* KRSEQ_IF_SCHEME(S)(code): code where S has any cell here. */
#define KRSEQ_IF_SCHEME(S)                                                     \
	KRSEQ__CAT(KRSEQ__IF_ANY_, KRSEQ_SCHEME_SIZES_HERE(S))
#define KRSEQ__IF_ANY_KRSEQ_SIZES_ALL(...) __VA_ARGS__
#define KRSEQ__IF_ANY_KRSEQ_SIZES_NO_1_2(...) __VA_ARGS__
#define KRSEQ__IF_ANY_KRSEQ_SIZES_NONE(...)

/*
 * The per-CPU ops: X(op, OP, ARGS...) for each, in the order of enum
 * krseq_op; ARGS are passed through, so that a table can be built per
 * scheme and size.
 */
#define KRSEQ_FOR_EACH_OP(X, ...)                                              \
	X(read, READ, ##__VA_ARGS__)                                           \
	X(write, WRITE, ##__VA_ARGS__)                                         \
	X(add, ADD, ##__VA_ARGS__)                                             \
	X(sub, SUB, ##__VA_ARGS__)                                             \
	X(inc, INC, ##__VA_ARGS__)                                             \
	X(dec, DEC, ##__VA_ARGS__)                                             \
	X(and, AND, ##__VA_ARGS__)                                             \
	X(or, OR, ##__VA_ARGS__)                                               \
	X(xchg, XCHG, ##__VA_ARGS__)                                           \
	X(cmpxchg, CMPXCHG, ##__VA_ARGS__)                                     \
	X(try_cmpxchg, TRY_CMPXCHG, ##__VA_ARGS__)                             \
	X(add_return, ADD_RETURN, ##__VA_ARGS__)                               \
	X(sub_return, SUB_RETURN, ##__VA_ARGS__)                               \
	X(inc_return, INC_RETURN, ##__VA_ARGS__)                               \
	X(dec_return, DEC_RETURN, ##__VA_ARGS__)

#define KRSEQ__OP_ENUM(op, OP) KRSEQ_OP_##OP,
enum krseq_op {
	KRSEQ_FOR_EACH_OP(KRSEQ__OP_ENUM) KRSEQ_NR_OPS
};
#undef KRSEQ__OP_ENUM

/*
 * The arches: X(arch, ARCH, ARGS...) for each, in the order of the
 * registry's columns.
 */
#define KRSEQ_FOR_EACH_ARCH(X, ...)                                            \
	X(x86_64, X86_64, ##__VA_ARGS__)                                       \
	X(aarch64, AARCH64, ##__VA_ARGS__)                                     \
	X(s390x, S390X, ##__VA_ARGS__)

#define KRSEQ__ARCH_ENUM(arch, ARCH) KRSEQ_ARCH_##ARCH,
enum krseq_arch {
	KRSEQ_FOR_EACH_ARCH(KRSEQ__ARCH_ENUM) KRSEQ_NR_ARCHES
};
#undef KRSEQ__ARCH_ENUM
#if defined(__x86_64__)
#define KRSEQ_ARCH_HERE KRSEQ_ARCH_X86_64
#elif defined(__aarch64__)
#define KRSEQ_ARCH_HERE KRSEQ_ARCH_AARCH64
#else
#define KRSEQ_ARCH_HERE KRSEQ_ARCH_S390X
#endif

/*
 * The registry at run time is <krseq/scheme.h>'s: these rows, and the
 * schemes a program registers, as struct krseq_scheme.
 */
extern const char *const krseq_arch_names[KRSEQ_NR_ARCHES];

const char *krseq_op_name(enum krseq_op op);
/* Scheme s's name (built-in or registered), or "?" for none. */
const char *krseq_scheme_name(int s);
/* Whether scheme s has a sequence for size bytes (and so every op) on arch. */
bool krseq_scheme_has(int s, enum krseq_arch arch, int size);
/* Whether it has any: false for a scheme the arch cannot run at all. */
bool krseq_scheme_on(int s, enum krseq_arch arch);

#endif /* KRSEQ_SCHEMES_H */
