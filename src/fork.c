// SPDX-License-Identifier: MIT
/*
 * fork() from a task: the child holds only the forking thread, so it gets
 * a machine of its own with that one task, still on its CPU. The other
 * tasks do not exist there: their CPUs are free, their places in the run
 * queue gone, and joining one returns at once. POSIX timers and threads
 * are not inherited, so the task's tick starts again, and the watchdog
 * with the child's first new task.
 */
#include "internal.h"

#include <unistd.h>

static sigset_t fork_mask;

/* No switch or table change may be half done when the address space is
 * copied: hold the scheduler's lock across fork(). */
static void before_fork(void)
{
	if (!krseq_m.up)
		return;
	krseq_sigs_block(&fork_mask);
	lock_take(&krseq_m.lock);
}

static void parent_after_fork(void)
{
	if (!krseq_m.up)
		return;
	lock_drop(&krseq_m.lock);
	krseq_sigs_restore(&fork_mask);
}

static void child_after_fork(void)
{
	struct krseq_task *self = krseq_ta.task;

	if (!krseq_m.up)
		return;
	atomic_store(&krseq_m.lock.word, 0);
	krseq_m.pid = getpid();
	for (int i = 0; i < KRSEQ_MAX_TASKS; i++) {
		struct krseq_task *t = krseq_m.tasks[i];

		if (!t || t == self)
			continue;
		t->gone = true;
		atomic_store(&t->state, TASK_DEAD);
		krseq_m.tasks[i] = NULL;
	}
	atomic_store(&krseq_m.nr_idle, krseq_m.nr_cpus);
	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++) {
		struct krseq_cpu *c = &krseq_m.cpus[cpu];
		bool mine = self && atomic_load(&c->curr) == self;

		atomic_store(&c->curr, mine ? self : NULL);
		atomic_store(&c->curr_tid, mine ? gettid() : 0);
		atomic_store(&c->occupancy, mine ? 1 : 0);
		if (mine)
			atomic_fetch_sub(&krseq_m.nr_idle, 1);
	}
	krseq_m.waitq_head = krseq_m.waitq_tail = NULL;
	atomic_store(&krseq_m.nr_waiting, 0);
	krseq_m.adopted = self;
	if (self) {
		self->adopted = true;
		self->thread = pthread_self();
		self->tid = gettid();
		self->has_timer = false;
		krseq_timer_start(self);
	}
	/* qemu-user 7.2 aborts a forked child that creates a thread; a
	 * child's machine with one task on its CPU cannot wait for a CPU, so
	 * its watchdog starts with its first new task, not here. */
	krseq_m.watchdog_deferred = true;
	krseq_sigs_restore(&fork_mask);
}

static void register_once(void)
{
	pthread_atfork(before_fork, parent_after_fork, child_after_fork);
}

void krseq_fork_setup(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, register_once);
}
