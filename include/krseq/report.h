/* SPDX-License-Identifier: MIT */
/*
 * The kernel's reports on the simulated machine: printk, WARN, BUG and
 * lockdep's checks. A warning is printed to stderr with the task and CPU,
 * and counted (krseq_stats.warnings, .lockdep_failures), so that a test can
 * assert that none fired; BUG stops the process, as an oops stops the task.
 */
#ifndef KRSEQ_REPORT_H
#define KRSEQ_REPORT_H

#include <stdbool.h>
#include <krseq/preempt.h>

struct krseq_task;

/* Written whole with one write(2): callable from interrupt handlers. */
void krseq_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A warning that fired at file:line: printed and counted. */
void krseq_warn(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "once": *done is the call site's flag; true for the first caller only. */
static inline bool krseq_warn_first(bool *done)
{
	return !__atomic_exchange_n(done, true, __ATOMIC_RELAXED);
}

__attribute__((noreturn)) void krseq_bug(const char *file, int line,
					 const char *cond);

/*
 * A failed lockdep check: counted every time, printed once per call site
 * (*done), as the kernel's WARN_ON_ONCE() inside them.
 */
void krseq_lockdep_failed(const char *file, int line, bool *done,
			  const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define krseq__lockdep_check(ok, name)                                         \
	do {                                                                   \
		static bool krseq__done;                                       \
		if (!(ok))                                                     \
			krseq_lockdep_failed(__FILE__, __LINE__, &krseq__done, \
					     "%s", name);                      \
	} while (0)

/* The kernel's conditions, with preempt_count's irq bits as irq_depth. */
#define krseq_lockdep_assert_irqs_disabled()                                   \
	krseq__lockdep_check(krseq_irqs_disabled(),                            \
			     "lockdep_assert_irqs_disabled()")
#define krseq_lockdep_assert_irqs_enabled()                                    \
	krseq__lockdep_check(!krseq_irqs_disabled(),                           \
			     "lockdep_assert_irqs_enabled()")
#define krseq_lockdep_assert_preemption_disabled()                             \
	krseq__lockdep_check(!krseq_preemptible(),                             \
			     "lockdep_assert_preemption_disabled()")
#define krseq_lockdep_assert_preemption_enabled()                              \
	krseq__lockdep_check(krseq_preemptible(),                              \
			     "lockdep_assert_preemption_enabled()")

/*
 * local_lock_t without PREEMPT_RT: preemption (or interrupts) off, and
 * the owner checked as CONFIG_DEBUG_LOCK_ALLOC does.
 */
typedef struct {
	struct krseq_task *owner;
} krseq_local_lock_t;

#define KRSEQ_LOCAL_LOCK_INIT                                                  \
	{                                                                      \
		.owner = NULL                                                  \
	}

void krseq_local_lock_acquire(krseq_local_lock_t *l, const char *file,
			      int line);
void krseq_local_lock_release(krseq_local_lock_t *l, const char *file,
			      int line);

#endif /* KRSEQ_REPORT_H */
