/* SPDX-License-Identifier: MIT */
/*
 * The shape of an armed sequence, written once for every arch. An arch's
 * bits header (src/arch/<arch>/include/krseq/arch/<arch>/bits.h) gives
 * the few instructions this shape needs; its sequences files write every
 * op with the helpers below, which have the same names on every arch.
 *
 *   KRSEQ_ASM_ARM(cs)          1: form the descriptor's address in cs,
 *                                 store it in krseq_ta.sched_rseq
 *                              2: (window start)
 *     compute the copy's address, load, op
 *     commit                      (the one store or atomic that publishes)
 *   KRSEQ_ASM_COMMIT           3: (post-commit)
 *   KRSEQ_ASM_DEFINE_ABORT     9: out of line, jump back to 1 and re-arm
 *   KRSEQ_ASM_CS(flags, 9b, 0) 8: the descriptor {2b, 3b, 9b} in krseq_cs
 *
 * KRSEQ_ASM_RESTART(flags) is the last two lines of a restarting sequence.
 * A FIXUP sequence has no abort: KRSEQ_ASM_CS_FIXUP names the register
 * that holds the copy's address instead. KRSEQ_ASM_ARM_ONCE forms the
 * descriptor's address once and re-runs only the store (and whatever must
 * be redone on a restart), for a sequence that keeps cs intact inside the
 * window. Local labels, the same on every arch:
 *   1 re-arm (the restart's target)    2 window start    3 post-commit
 *   4 head of a retry loop             5 a cmpxchg miss's exit
 *   8 the descriptor                   9 the restart stub
 * Nothing disarms (but KSEQ, below): the exit path ignores a descriptor
 * whose window does not hold the PC, as userspace rseq does.
 *
 * Each arch's sequences are one file per scheme next to its bits header:
 * plain.h (UNSAFE, and IRQ's body), atomic.h (ATOMIC, and PREEMPT's body),
 * restart.h (RESTART and RESTART_SCHED: the two flavours' descriptor
 * flags), kseq.h (KSEQ and KSEQ_SCHED), fixup.h (FIXUP), and segment.h on
 * x86_64. Each defines the
 * krseq_arch_<seq>_* functions of <krseq/arch/generic.h> (plain.h and
 * atomic.h also the KRSEQ_ARCH_HAS_<seq>_<size> that keep generic.h's C
 * fallback out); ops.h holds the op bodies that
 * several schemes of that arch share, parameterised by a sequence's pieces
 * (KRSEQ__ARM_<seq>, KRSEQ__END_<seq>, KRSEQ__OUT_<seq>).
 *
 * Adding a scheme:
 *   1. its kernel side (entry and exit hooks), in src/;
 *   2. one sequences file per arch, src/arch/<arch>/include/krseq/arch/
 *      <arch>/<scheme>.h, arming with these helpers and its own descriptor
 *      flags, included from that arch's <arch>.h (an arch without it
 *      leaves the cells out: generic.h turns a call into a compile error);
 *   3. one line in the registry, <krseq/schemes.h>, naming the sequence.
 */
#ifndef KRSEQ_ARCH_TEMPLATE_H
#define KRSEQ_ARCH_TEMPLATE_H

#include <krseq/thread.h>
#include <krseq/rseq.h>

/* Assembler text is laid out by hand. */
/* clang-format off */

/* Re-arm on every restart: cs is reused inside the window. */
#define KRSEQ_ASM_ARM(cs)                                                      \
	"1:\t" KRSEQ_ASM_LOAD_CS(cs) KRSEQ_ASM_STORE_RSEQ_CS(cs) "2:\t"

/* cs survives the window: a restart redoes rearm and the store only. */
#define KRSEQ_ASM_ARM_ONCE(cs, rearm)                                          \
	KRSEQ_ASM_LOAD_CS(cs) "1:\t" rearm KRSEQ_ASM_STORE_RSEQ_CS(cs) "2:\t"

#define KRSEQ_ASM_COMMIT "3:\n\t"

/*
 * Cold code, kept out of line as the kernel keeps its fixups: the fast
 * path stays straight-line and the function holds only that path. It is
 * reached only by the exit path rewriting the PC.
 */
#define KRSEQ_ASM_DEFINE_ABORT                                                 \
	".pushsection .text.unlikely.krseq_restart, \"ax\", "                  \
	KRSEQ_ASM_PROGBITS "\n"                                                \
	"9:\t" KRSEQ_ASM_JUMP("1b") "\n\t"                                     \
	".popsection\n\t"

/* One more expansion, so that flags and reg reach KRSEQ_CS_ASM's #. */
#define KRSEQ_ASM_CS(flags, abort, reg)                                        \
	KRSEQ_CS_ASM(8, flags, 2b, 3b, abort, reg)

/* What follows the commit label of a restarting sequence. */
#define KRSEQ_ASM_RESTART(flags)                                               \
	KRSEQ_ASM_DEFINE_ABORT KRSEQ_ASM_CS(flags, 9b, 0)
#define KRSEQ_ASM_CS_FIXUP                                                     \
	KRSEQ_ASM_CS(KRSEQ_CS_FIXUP, 0, KRSEQ_ARCH_FIXUP_REG)

/*
 * KSEQ, Peter Zijlstra's shape: an explicit disarm store of NULL after
 * the commit label, and a descriptor whose restart label is its start, so
 * no stub. start is 1b where the arming store is inside the window
 * (KRSEQ_ASM_ARM, the irq flavour: its pointer is not put back across an
 * interrupt, so a restart must arm again), 2b where the window begins
 * after it (KRSEQ_ASM_ARM_BEFORE, the sched flavour: saved and restored).
 * redo is what the window must form again on a restart (s390x's template
 * address, which its ag consumes).
 */
#define KRSEQ_ASM_ARM_BEFORE(cs, redo)                                         \
	KRSEQ_ASM_LOAD_CS(cs) KRSEQ_ASM_STORE_RSEQ_CS(cs) "2:\t" redo
#define KRSEQ_ASM_KSEQ(flags, start)                                           \
	KRSEQ_ASM_STORE_RSEQ_NULL KRSEQ_CS_ASM(8, flags, start, 3b, start, 0)

/* The arming store's operand. */
#define KRSEQ_ASM_RSEQ_OUT [rseq] "=m"(krseq_ta.sched_rseq)

/* clang-format on */

#endif /* KRSEQ_ARCH_TEMPLATE_H */
