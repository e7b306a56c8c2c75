/* SPDX-License-Identifier: MIT */
/*
 * preempt_count and the soft interrupt mask. Both are per-task and touched
 * only by the task and its own interrupt handlers, which restore what they
 * change, so plain read-modify-write with compiler barriers is enough, as
 * on arm64 and s390 where the count is not updated atomically either.
 */
#ifndef KRSEQ_PREEMPT_H
#define KRSEQ_PREEMPT_H

#include <stdbool.h>
#include <krseq/thread.h>

/* Slow paths, out of line. */
void krseq_preempt_schedule(void);
void krseq_irq_replay(void);
void krseq_cond_resched(void);
void krseq_might_resched(void);

static inline unsigned int krseq_preempt_count(void)
{
	return krseq_ta.preempt_count;
}

/*
 * Under the kernel ABI (compile-only) the count and its test are the
 * arch's, with need-resched folded into the count: krseq_kabi_preempt_*()
 * of tools/codegen/kernel/<arch>.h.
 */
static inline void krseq_preempt_disable_notrace(void)
{
#ifdef KRSEQ_ABI_KERNEL
	krseq_kabi_preempt_disable();
#else
	krseq_ta.preempt_count++;
	krseq_barrier();
#endif
}

static inline void krseq_preempt_enable_no_resched_notrace(void)
{
	krseq_barrier();
	krseq_ta.preempt_count--;
}

static inline void krseq_preempt_enable_notrace(void)
{
#ifdef KRSEQ_ABI_KERNEL
	krseq_kabi_preempt_enable();
#else
	krseq_barrier();
	if (--krseq_ta.preempt_count == 0 && krseq_ta.need_resched)
		krseq_preempt_schedule();
#endif
}

/* No tracer here: the traced and notrace forms differ only in name. */
#define krseq_preempt_disable() krseq_preempt_disable_notrace()
#define krseq_preempt_enable() krseq_preempt_enable_notrace()
#define krseq_preempt_enable_no_resched()                                      \
	krseq_preempt_enable_no_resched_notrace()

static inline bool krseq_irqs_disabled(void)
{
	return krseq_ta.irqs_disabled;
}

/*
 * No softirqs here: in_interrupt() is in_hardirq(), and an NMI counts as
 * hard irq too, as the kernel's nmi_enter() adds HARDIRQ_OFFSET.
 */
static inline bool krseq_in_interrupt(void)
{
	return krseq_ta.irq_depth != 0;
}

static inline bool krseq_in_hardirq(void)
{
	return krseq_ta.irq_depth != 0;
}

static inline bool krseq_in_nmi(void)
{
	return krseq_ta.nmi_depth != 0;
}

static inline bool krseq_in_task(void)
{
	return krseq_ta.irq_depth == 0;
}

/*
 * migrate_disable(): the task keeps its CPU (the scheduler gives it back
 * the one it left) but stays preemptible; preempt_count is untouched.
 */
static inline void krseq_migrate_disable(void)
{
	krseq_ta.migration_disabled++;
	krseq_barrier();
}

static inline void krseq_migrate_enable(void)
{
	krseq_barrier();
	krseq_ta.migration_disabled--;
}

static inline bool krseq_preemptible(void)
{
	return !krseq_ta.preempt_count && !krseq_ta.irqs_disabled &&
	       !krseq_ta.irq_depth;
}

static inline unsigned long krseq_local_irq_save(void)
{
	unsigned long flags = krseq_ta.irqs_disabled;

	krseq_ta.irqs_disabled = 1;
	krseq_barrier();
	return flags;
}

static inline void krseq_local_irq_restore(unsigned long flags)
{
	krseq_barrier();
	krseq_ta.irqs_disabled = (unsigned char)flags;
	krseq_barrier();
	if (!flags && krseq_ta.irq_pending)
		krseq_irq_replay();
}

static inline void krseq_local_irq_disable(void)
{
	(void)krseq_local_irq_save();
}

static inline void krseq_local_irq_enable(void)
{
	krseq_local_irq_restore(0);
}

#endif /* KRSEQ_PREEMPT_H */
