// SPDX-License-Identifier: MIT
/*
 * A stuck machine becomes a report: a task that has waited for a CPU far
 * longer than any schedule should take means a CPU is held by a task that
 * will never give it up (spinning with preemption off, blocked outside
 * krseq, deadlocked). The report names every CPU and task.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *state_name(int s)
{
	static const char *const names[] = { "new", "running", "waiting",
					     "blocked", "dead" };

	return s >= 0 && s <= TASK_DEAD ? names[s] : "?";
}

void krseq_report(char *buf, size_t len, const char *why)
{
	static const char *const models[] = { "none", "voluntary", "full",
					      "lazy" };
	static const char *const policies[] = { "never", "random", "always" };
	uint64_t now = krseq_now_ns();
	size_t n = 0;

#define out(...)                                                               \
	do {                                                                   \
		if (n < len)                                                   \
			n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__);  \
	} while (0)

	out("krseq watchdog: %s\n", why);
	out("machine: %d CPUs, preempt=%s, migrate=%s, tick=%uus\n",
	    krseq_m.nr_cpus, models[krseq_m.cfg.model],
	    policies[krseq_m.cfg.migrate], krseq_m.cfg.tick_us);
	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++) {
		struct krseq_task *t = atomic_load(&krseq_m.cpus[cpu].curr);

		if (t)
			out("  cpu%-2d task %d (tid %d)\n", cpu, t->id, t->tid);
		else
			out("  cpu%-2d idle\n", cpu);
	}
	out("  task tid      state    cpu prev preempt irqs_off need_resched "
	    "lazy depth pending waited_ms ticks preempt voluntary migr\n");
	for (int i = 0; i < KRSEQ_MAX_TASKS; i++) {
		struct krseq_task *t = krseq_m.tasks[i];
		struct krseq_thread_area *ta;
		int st;
		uint64_t waited = 0;

		if (!t || !t->ta)
			continue;
		ta = t->ta;
		st = atomic_load(&t->state);
		if (st == TASK_WAITING)
			waited = (now - atomic_load(&t->wait_since_ns)) /
				 1000000u;
		out("  %-4d %-8d %-8s %3d %4d %7u %8u %12u %4u %5u %7x %9lu "
		    "%5lu %7lu %9lu %4lu\n",
		    t->id, t->tid, state_name(st), t->cpu, t->prev_cpu,
		    ta->preempt_count, ta->irqs_disabled, ta->need_resched,
		    ta->need_resched_lazy, ta->irq_depth, ta->irq_pending,
		    (unsigned long)waited,
		    (unsigned long)atomic_load(&t->nr_ticks),
		    (unsigned long)atomic_load(&t->nr_preempt),
		    (unsigned long)atomic_load(&t->nr_voluntary),
		    (unsigned long)atomic_load(&t->nr_migrations));
	}
	/* What every CPU holder was doing, from its NMI backtrace. */
	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++) {
		struct krseq_task *t = atomic_load(&krseq_m.cpus[cpu].curr);

		if (t && atomic_load(&t->dump_state) == 2)
			out("cpu%d, task %d:\n%s", cpu, t->id, t->dump);
	}
#undef out
}

/* Ask every CPU holder for its backtrace with an NMI; wait a little. */
static void request_dumps(void)
{
	struct timespec nap = { 0, 1000000 };

	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++) {
		struct krseq_task *t = atomic_load(&krseq_m.cpus[cpu].curr);

		if (t) {
			atomic_store(&t->dump_state, 1);
			krseq_send_nmi(cpu);
		}
	}
	/* Up to 2 s: a report is not urgent, and under qemu on a loaded host
	 * a holder's thread may not run for a good part of a second. */
	for (int i = 0; i < 2000; i++) {
		bool pending = false;

		for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++) {
			struct krseq_task *t =
				atomic_load(&krseq_m.cpus[cpu].curr);

			if (t && atomic_load(&t->dump_state) == 1)
				pending = true;
		}
		if (!pending)
			break;
		nanosleep(&nap, NULL);
	}
}

/* Waited for a CPU longer than the limit: a CPU is never given up. */
static bool waited_too_long(struct krseq_task *t, uint64_t now, uint64_t limit,
			    char *why, size_t len)
{
	uint64_t since;

	if (atomic_load(&t->state) != TASK_WAITING)
		return false;
	since = atomic_load(&t->wait_since_ns);
	if (now < since || now - since < limit || t->stuck_reported_ns == since)
		return false;
	t->stuck_reported_ns = since;
	snprintf(why, len, "task %d has waited %lu ms for a CPU (limit %u ms)",
		 t->id, (unsigned long)((now - since) / 1000000u),
		 krseq_m.cfg.watchdog_ms);
	return true;
}

/*
 * Holds its CPU but runs none of its own code: every interrupt since the
 * watchdog last saw it move lands on the one PC (an interrupt storm, a
 * handler that re-raises itself). Nobody need wait for a CPU for this.
 */
static bool no_progress(struct krseq_task *t, uint64_t now, uint64_t limit,
			char *why, size_t len)
{
	uint64_t changes = atomic_load(&t->nr_pc_changes);
	uint64_t irqs = atomic_load(&t->nr_irqs);

	if (atomic_load(&t->state) != TASK_RUNNING ||
	    changes != t->wd_pc_changes || !t->wd_since_ns) {
		t->wd_pc_changes = changes;
		t->wd_irqs = irqs;
		t->wd_since_ns = now;
		return false;
	}
	if (now - t->wd_since_ns < limit || irqs - t->wd_irqs < 2 ||
	    t->wd_reported_ns == t->wd_since_ns)
		return false;
	t->wd_reported_ns = t->wd_since_ns;
	snprintf(why, len,
		 "task %d has run none of its own code for %lu ms: its last "
		 "%lu interrupts all landed at pc %#lx (limit %u ms)",
		 t->id, (unsigned long)((now - t->wd_since_ns) / 1000000u),
		 (unsigned long)(irqs - t->wd_irqs),
		 (unsigned long)t->last_irq_pc, krseq_m.cfg.watchdog_ms);
	return true;
}

static void *watchdog_main(void *arg)
{
	uint64_t limit = (uint64_t)krseq_m.cfg.watchdog_ms * 1000000u;
	struct timespec nap = { 0, 20 * 1000000 };
	static char report[16384];

	(void)arg;
	while (!atomic_load(&krseq_m.watchdog_stop)) {
		uint64_t now;

		nanosleep(&nap, NULL);
		now = krseq_now_ns();
		for (int i = 0; i < KRSEQ_MAX_TASKS; i++) {
			struct krseq_task *t = krseq_m.tasks[i];
			char why[192];

			if (!t ||
			    (!waited_too_long(t, now, limit, why,
					      sizeof(why)) &&
			     !no_progress(t, now, limit, why, sizeof(why))))
				continue;
			request_dumps();
			krseq_report(report, sizeof(report), why);
			if (krseq_m.cfg.on_stuck) {
				krseq_m.cfg.on_stuck(report,
						     krseq_m.cfg.on_stuck_arg);
			} else {
				krseq_write_str(2, report);
				abort();
			}
		}
	}
	return NULL;
}

int krseq_watchdog_start(void)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	atomic_store(&krseq_m.watchdog_stop, false);
	err = pthread_create(&krseq_m.watchdog, NULL, watchdog_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}

void krseq_watchdog_stop(void)
{
	if (krseq_m.watchdog_deferred) {
		krseq_m.watchdog_deferred = false;
		return;
	}
	atomic_store(&krseq_m.watchdog_stop, true);
	pthread_join(krseq_m.watchdog, NULL);
}
