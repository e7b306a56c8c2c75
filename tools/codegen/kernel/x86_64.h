/* SPDX-License-Identifier: MIT */
/*
 * The kernel ABI on x86_64, for krseq codegen --abi kernel (compile-only,
 * included before everything else): the thread area is per-CPU data
 * reached through %gs, as the kernel reaches this_cpu_off and
 * __preempt_count: one per-CPU object whose fields are those two and
 * what the kernel keeps per task (and krseq's armed pointer, so kept per
 * CPU). The preempt count has need-resched folded in (its top bit set
 * means "no resched needed"), so preempt_enable() is one decl and a
 * branch on zero. Built as the kernel is: -mcmodel=kernel, no PIC.
 */
#ifndef KRSEQ_CODEGEN_KERNEL_X86_64_H
#define KRSEQ_CODEGEN_KERNEL_X86_64_H

#define KRSEQ_ABI_KERNEL 1

#include <stdbool.h>
#include <stdint.h>
#include <krseq/thread.h>

struct krseq_thread_area {
	unsigned long percpu_offset; /* this_cpu_off */
	volatile unsigned int preempt_count; /* __preempt_count */
	const struct krseq_rseq_cs *volatile sched_rseq;
	KRSEQ_TA_TASK_FIELDS
};

/* The per-CPU template; %gs adds the running CPU's offset. */
extern struct krseq_thread_area krseq_kpcpu;
#define krseq_ta (*(struct krseq_thread_area __seg_gs *)(uintptr_t)&krseq_kpcpu)

void krseq_preempt_schedule(void);

static inline void krseq_kabi_preempt_disable(void)
{
	__asm__ __volatile__("incl %[pc]"
			     : [pc] "+m"(krseq_ta.preempt_count)
			     :
			     : "memory", "cc");
}

static inline void krseq_kabi_preempt_enable(void)
{
	bool zero;

	__asm__ __volatile__("decl %[pc]"
			     : [pc] "+m"(krseq_ta.preempt_count), "=@ccz"(zero)
			     :
			     : "memory");
	if (__builtin_expect(zero, 0))
		krseq_preempt_schedule();
}

#endif /* KRSEQ_CODEGEN_KERNEL_X86_64_H */
