// SPDX-License-Identifier: MIT
/*
 * Tasks are threads. A task runs only while it holds a simulated CPU; it
 * blocks (sleep, join, exit) through krseq, which gives the CPU up first.
 */
#include "internal.h"
#include "arch/arch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every thread starts as one that is not a task: see percpu_debug.c. */
__thread struct krseq_thread_area krseq_ta
	__attribute__((tls_model("initial-exec"))) = {
		.percpu_offset = KRSEQ_NONTASK_OFFSET,
		.lowcore = &krseq_nontask_lowcore,
	};

/* The task table shares the scheduler's lock: take it with interrupts off. */
static void table_lock(sigset_t *old)
{
	krseq_sigs_block(old);
	lock_take(&krseq_m.lock);
}

static void table_unlock(const sigset_t *old)
{
	lock_drop(&krseq_m.lock);
	krseq_sigs_restore(old);
}

static struct krseq_task *task_alloc(void)
{
	struct krseq_task *t = calloc(1, sizeof(*t));
	sigset_t old;

	if (!t)
		return NULL;
	t->cpu = t->prev_cpu = -1;
	table_lock(&old);
	for (int i = 0; i < KRSEQ_MAX_TASKS; i++) {
		if (!krseq_m.tasks[i]) {
			krseq_m.tasks[i] = t;
			t->id = i;
			/* Homes for MIGRATE_NEVER, round robin by task id. */
			t->home_cpu = i % krseq_m.nr_cpus;
			table_unlock(&old);
			return t;
		}
	}
	table_unlock(&old);
	free(t);
	return NULL;
}

static void task_free(struct krseq_task *t)
{
	sigset_t old;

	table_lock(&old);
	if (krseq_m.tasks[t->id] == t) /* a fork() child removed it already */
		krseq_m.tasks[t->id] = NULL;
	table_unlock(&old);
	free(t);
}

/*
 * The tick is one-shot, re-armed at the end of each tick's handling, and
 * never sooner than twice as long as that handling took: the return to the
 * task (sigreturn) costs less than the handling, so task code always runs
 * between two ticks. A periodic timer whose period is shorter than one
 * signal delivery keeps a tick always pending, and the task never runs
 * again (a 1 or 2 us tick did that natively). For any tick the host can
 * serve, the period is the configured one.
 */
void krseq_timer_rearm(struct krseq_task *t, uint64_t handling_ns)
{
	uint64_t ns = (uint64_t)krseq_m.cfg.tick_us * 1000u;
	struct itimerspec its;

	if (ns < 2 * handling_ns)
		ns = 2 * handling_ns;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(ns / 1000000000u);
	its.it_value.tv_nsec = (long)(ns % 1000000000u);
	if (t->has_timer)
		timer_settime(t->timer, 0, &its, NULL);
}

int krseq_timer_start(struct krseq_task *t)
{
	struct sigevent sev;

	if (!krseq_m.cfg.tick_us)
		return 0;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = krseq_m.sigs[KRSEQ_IRQ_TICK];
	sev._sigev_un._tid = t->tid; /* sigev_notify_thread_id */
	if (timer_create(CLOCK_MONOTONIC, &sev, &t->timer))
		return -errno;
	t->has_timer = true;
	krseq_timer_rearm(t, 0);
	return 0;
}

void krseq_timer_stop(struct krseq_task *t)
{
	if (t->has_timer)
		timer_delete(t->timer);
	t->has_timer = false;
}

static void task_bind_thread(struct krseq_task *t)
{
	memset(&krseq_ta, 0, sizeof(krseq_ta));
	krseq_ta.task = t;
	t->ta = &krseq_ta;
	t->tid = gettid();
}

static void *task_trampoline(void *arg)
{
	struct krseq_task *t = arg;
	sigset_t old;

	/* Created with the runtime's signals blocked; they stay so until
	 * the task holds a CPU. */
	pthread_sigmask(SIG_SETMASK, NULL, &old);
	sigdelset(&old, krseq_m.sigs[KRSEQ_IRQ_TICK]);
	sigdelset(&old, krseq_m.sigs[KRSEQ_IRQ_IPI]);
	sigdelset(&old, krseq_m.sigs[KRSEQ_IRQ_NMI]);
	task_bind_thread(t);
	krseq_timer_start(t);
	krseq_sched_acquire(t);
	krseq_sigs_restore(&old);

	t->ret = t->fn(t->arg);

	krseq_sigs_block(NULL);
	krseq_timer_stop(t);
	krseq_sched_release(t);
	atomic_store(&t->state, TASK_DEAD);
	krseq_ta_make_nontask();
	return NULL;
}

struct krseq_task *krseq_task_create(void *(*fn)(void *), void *arg)
{
	struct krseq_task *t;
	sigset_t old;
	int err;

	if (!krseq_m.up) {
		krseq_fail(EINVAL,
			   "krseq_task_create: call krseq_init() first");
		return NULL;
	}
	t = task_alloc();
	if (!t) {
		krseq_fail(EAGAIN, "krseq_task_create: more than %d tasks",
			   KRSEQ_MAX_TASKS);
		return NULL;
	}
	t->fn = fn;
	t->arg = arg;
	atomic_store(&t->state, TASK_NEW);
	if (krseq_m.watchdog_deferred) {
		krseq_m.watchdog_deferred = false;
		krseq_watchdog_start();
	}
	krseq_sigs_block(&old);
	err = pthread_create(&t->thread, NULL, task_trampoline, t);
	krseq_sigs_restore(&old);
	if (err) {
		task_free(t);
		krseq_fail(err, "krseq_task_create: pthread_create: %s",
			   strerror(err));
		return NULL;
	}
	return t;
}

/* Run blocking work without a CPU, then take one again. */
static void without_cpu(void (*fn)(void *), void *arg)
{
	struct krseq_task *t = krseq_ta.task;
	sigset_t old;

	if (!t) {
		fn(arg);
		return;
	}
	krseq_sigs_block(&old);
	atomic_fetch_add(&t->nr_voluntary, 1);
	stat_inc(voluntary);
	krseq_sched_release(t);
	atomic_store(&t->state, TASK_BLOCKED);
	fn(arg);
	krseq_sched_acquire(t);
	krseq_sigs_restore(&old);
}

static void join_thread(void *arg)
{
	struct krseq_task *t = arg;

	pthread_join(t->thread, NULL);
}

void *krseq_task_join(struct krseq_task *t)
{
	void *ret;

	if (!t->gone)
		without_cpu(join_thread, t);
	ret = t->ret;
	task_free(t);
	return ret;
}

static void sleep_us(void *arg)
{
	unsigned int us = *(unsigned int *)arg;
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void krseq_usleep(unsigned int us)
{
	without_cpu(sleep_us, &us);
}

int krseq_task_id(const struct krseq_task *t)
{
	return t ? t->id : -1;
}

struct krseq_task *krseq_current(void)
{
	return krseq_ta.task;
}

void krseq_task_stats(const struct krseq_task *t, struct krseq_task_stats *s)
{
	s->ticks = atomic_load(&t->nr_ticks);
	s->preemptions = atomic_load(&t->nr_preempt);
	s->voluntary = atomic_load(&t->nr_voluntary);
	s->migrations = atomic_load(&t->nr_migrations);
}

int krseq_task_adopt(void)
{
	struct krseq_task *t = task_alloc();
	int err;

	if (!t)
		return krseq_fail(ENOMEM, "krseq_init: no memory for task 0");
	t->adopted = true;
	t->thread = pthread_self();
	task_bind_thread(t);
	krseq_m.adopted = t;
	krseq_sched_acquire(t);
	err = krseq_timer_start(t);
	if (err)
		return krseq_fail(-err, "krseq_init: timer_create: %s",
				  strerror(-err));
	return 0;
}

void krseq_task_drop_adopted(void)
{
	struct krseq_task *t = krseq_m.adopted;

	if (!t)
		return;
	krseq_timer_stop(t);
	if (t->cpu >= 0)
		krseq_sched_release(t);
	krseq_ta_make_nontask();
	krseq_m.adopted = NULL;
	task_free(t);
}
