/* SPDX-License-Identifier: MIT */
/*
 * The kernel ABI on s390x, for krseq codegen --abi kernel (compile-only,
 * included before everything else): the thread area is the lowcore at
 * absolute address 0, as the CPU's prefixing shows each CPU its own, with
 * the fields at the offsets the thread's listings use:
 *   936 the preempt count, need-resched folded in (its top bit set means
 *       "no resched needed", so the count reads 0 only when both are due)
 *   952 the CPU's per-CPU offset
 *   960 the marker byte of the merged protocol
 * What the kernel keeps per task (and krseq's armed pointer, so kept per
 * CPU, as the series keeps its marker) follows the marker: those offsets
 * are krseq's, not the kernel's.
 * Needs -fno-delete-null-pointer-checks, as the kernel builds with.
 */
#ifndef KRSEQ_CODEGEN_KERNEL_S390X_H
#define KRSEQ_CODEGEN_KERNEL_S390X_H

#define KRSEQ_ABI_KERNEL 1

#include <krseq/thread.h>

struct krseq_thread_area {
	char krseq__below_preempt_count[936];
	volatile unsigned int preempt_count; /* 936 */
	char krseq__below_percpu_offset[12];
	unsigned long percpu_offset; /* 952 */
	volatile unsigned char marker; /* 960 */
	const struct krseq_rseq_cs *volatile sched_rseq;
	KRSEQ_TA_TASK_FIELDS
};
_Static_assert(__builtin_offsetof(struct krseq_thread_area, preempt_count) ==
		       936,
	       "lowcore layout");
_Static_assert(__builtin_offsetof(struct krseq_thread_area, percpu_offset) ==
		       952,
	       "lowcore layout");
_Static_assert(__builtin_offsetof(struct krseq_thread_area, marker) == 960,
	       "lowcore layout");

#define krseq_ta (*(struct krseq_thread_area *)0)

void krseq_preempt_schedule(void);

static inline void krseq_kabi_preempt_disable(void)
{
	__asm__ __volatile__("asi\t%[pc],1"
			     : [pc] "+QS"(krseq_ta.preempt_count)
			     :
			     : "memory", "cc");
}

/*
 * alsi sets condition code 0 or 2 for a zero result: the count and the
 * inverted need-resched bit both reached 0, so the call is due.
 */
static inline void krseq_kabi_preempt_enable(void)
{
	__asm__ goto("alsi\t%[pc],-1\n\t"
		     "jnhe\t%l[out]"
		     :
		     : [pc] "QS"(krseq_ta.preempt_count)
		     : "memory", "cc"
		     : out);
	krseq_preempt_schedule();
out:;
}

#endif /* KRSEQ_CODEGEN_KERNEL_S390X_H */
