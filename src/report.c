// SPDX-License-Identifier: MIT
/*
 * printk, WARN, BUG and lockdep's checks: each message is formatted into
 * one buffer and written with one write(2), so that handlers may report and
 * concurrent tasks do not interleave their lines.
 */
#include "internal.h"

#include <krseq/report.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MSG_MAX 512

/* "where" the kernel's WARNING line says: the task and its CPU. */
static int who(char *buf, size_t len, const char *file, int line)
{
	struct krseq_task *t = krseq_current();

	return snprintf(buf, len,
			"CPU: %d task %d at %s:%d: ", krseq_smp_processor_id(),
			krseq_task_id(t), file, line);
}

static void emit(char *buf, int n)
{
	if (n >= MSG_MAX - 1)
		n = MSG_MAX - 2;
	if (n > 0 && buf[n - 1] != '\n')
		buf[n++] = '\n';
	buf[n] = '\0';
	krseq_write_str(2, buf);
}

void krseq_printk(const char *fmt, ...)
{
	char buf[MSG_MAX];
	va_list ap;
	int n;

	/* The level (KERN_SOH and one character) says where, not what. */
	if (fmt[0] == '\001' && fmt[1])
		fmt += 2;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		emit(buf, n);
}

static void report(const char *what, const char *file, int line,
		   const char *fmt, va_list ap)
{
	char buf[MSG_MAX];
	int n;

	n = snprintf(buf, sizeof(buf), "krseq: %s: ", what);
	n += who(buf + n, sizeof(buf) - (size_t)n, file, line);
	if (n < MSG_MAX)
		n += vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	emit(buf, n);
}

void krseq_warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	stat_inc(warnings);
	va_start(ap, fmt);
	report("WARNING", file, line, fmt, ap);
	va_end(ap);
}

void krseq_lockdep_failed(const char *file, int line, bool *done,
			  const char *fmt, ...)
{
	va_list ap;

	stat_inc(lockdep_failures);
	if (!krseq_warn_first(done))
		return;
	va_start(ap, fmt);
	report("WARNING: lockdep", file, line, fmt, ap);
	va_end(ap);
}

void krseq_bug(const char *file, int line, const char *cond)
{
	struct krseq_task *t = krseq_current();

	krseq_die(NULL, "kernel BUG at %s:%d: BUG_ON(%s) (CPU %d, task %d)",
		  file, line, cond, krseq_smp_processor_id(), krseq_task_id(t));
}

/* CONFIG_DEBUG_LOCK_ALLOC's owner checks, once per lock's call site. */
void krseq_local_lock_acquire(krseq_local_lock_t *l, const char *file, int line)
{
	static bool done;
	struct krseq_task *owner = l->owner;

	if (owner)
		krseq_lockdep_failed(file, line, &done,
				     "local_lock at %p taken again, held by "
				     "task %d",
				     (void *)l, krseq_task_id(owner));
	l->owner = krseq_current();
}

void krseq_local_lock_release(krseq_local_lock_t *l, const char *file, int line)
{
	static bool done;
	struct krseq_task *owner = l->owner;

	if (owner != krseq_current())
		krseq_lockdep_failed(file, line, &done,
				     "local_lock at %p released by task %d, "
				     "held by %s %d",
				     (void *)l, krseq_task_id(krseq_current()),
				     owner ? "task" : "no task",
				     owner ? krseq_task_id(owner) : -1);
	l->owner = NULL;
}
