/* SPDX-License-Identifier: MIT */
/*
 * The kernel ABI on aarch64, for krseq codegen --abi kernel (compile-only,
 * included before everything else): the thread area is the running task,
 * `current`, whose address the kernel keeps in SP_EL0; the per-CPU offset
 * is TPIDR_EL1, read by the sequences with mrs (bits.h). The preempt count
 * is the low half of a 64-bit word at offset 8 whose high half is
 * need-resched, inverted: the word reads 0 only when both are due, so
 * preempt_enable() stores the decremented count and tests the whole word.
 * Fields past the count (krseq's armed pointer among them) are krseq's.
 */
#ifndef KRSEQ_CODEGEN_KERNEL_AARCH64_H
#define KRSEQ_CODEGEN_KERNEL_AARCH64_H

#define KRSEQ_ABI_KERNEL 1

#include <krseq/thread.h>

struct krseq_thread_area {
	unsigned long flags;
	union {
		volatile unsigned long preempt_word;
		struct {
			volatile unsigned int preempt_count;
			volatile unsigned int resched_inverted;
		};
	};
	/* Only C fallbacks read it; every 8-byte sequence reads TPIDR_EL1. */
	unsigned long percpu_offset;
	const struct krseq_rseq_cs *volatile sched_rseq;
	KRSEQ_TA_TASK_FIELDS
};
_Static_assert(__builtin_offsetof(struct krseq_thread_area, preempt_count) == 8,
	       "thread_info layout");

/* Not volatile: current does not change under the task, so it is CSEd. */
static inline struct krseq_thread_area *krseq_kabi_current(void)
{
	unsigned long sp_el0;

	__asm__("mrs %0, sp_el0" : "=r"(sp_el0));
	return (struct krseq_thread_area *)sp_el0;
}
#define krseq_ta (*krseq_kabi_current())

void krseq_preempt_schedule(void);

static inline void krseq_kabi_preempt_disable(void)
{
	krseq_ta.preempt_count = krseq_ta.preempt_count + 1;
	krseq_barrier();
}

static inline void krseq_kabi_preempt_enable(void)
{
	unsigned long word;

	krseq_barrier();
	word = krseq_ta.preempt_word - 1;
	krseq_ta.preempt_count = (unsigned int)word;
	/* An interrupt between the two may have set need-resched: re-read. */
	if (__builtin_expect(!word || !krseq_ta.preempt_word, 0))
		krseq_preempt_schedule();
}

#endif /* KRSEQ_CODEGEN_KERNEL_AARCH64_H */
