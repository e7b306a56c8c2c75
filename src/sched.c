// SPDX-License-Identifier: MIT
/*
 * Handing simulated CPUs to tasks. One lock guards ownership and the wait
 * queue; every caller has the runtime's signals blocked, so no interrupt
 * enters it twice on one thread.
 */
#include "internal.h"
#include "arch/arch.h"

static uint64_t rng_next(void)
{
	/* xorshift64*: seeded, so the choice of CPU repeats with the seed. */
	uint64_t x = krseq_m.rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	krseq_m.rng = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static bool cpu_allowed(const struct krseq_task *t, int cpu)
{
	/* migrate_disable(): back to the CPU it left, whatever the policy. */
	if (t->ta->migration_disabled && t->prev_cpu >= 0)
		return cpu == t->prev_cpu;
	switch (krseq_m.cfg.migrate) {
	case KRSEQ_MIGRATE_NEVER:
		return t->home_cpu == cpu;
	case KRSEQ_MIGRATE_ALWAYS:
		return t->prev_cpu != cpu;
	default:
		return true;
	}
}

static void take_cpu(struct krseq_task *t, int cpu)
{
	struct krseq_cpu *c = &krseq_m.cpus[cpu];

	if (atomic_fetch_add(&c->occupancy, 1) != 0 || c->curr)
		stat_inc(exclusivity_violations);
	atomic_store(&c->curr, t);
	atomic_store(&c->curr_tid, t->tid);
	atomic_fetch_sub(&krseq_m.nr_idle, 1);
	t->cpu = cpu;
}

static int pick_idle_cpu(const struct krseq_task *t)
{
	int candidates[KRSEQ_MAX_CPUS], n = 0;

	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++)
		if (!atomic_load(&krseq_m.cpus[cpu].curr) &&
		    cpu_allowed(t, cpu))
			candidates[n++] = cpu;
	if (!n)
		return -1;
	if (t->adopted && t->prev_cpu < 0 &&
	    !atomic_load(&krseq_m.cpus[0].curr))
		return 0; /* krseq_init() promises CPU 0 */
	return candidates[rng_next() % (unsigned int)n];
}

/*
 * The armed slots where a task gives its CPU up and where it takes one.
 * Per task, the thread area keeps them and only the lowcore's own slot
 * travels with the task. Per CPU, the thread area's slots are the running
 * CPU's (the prefixed view of its lowcore, one instruction away, as on
 * s390): leaving moves them into the lowcore, arriving moves the new
 * CPU's out of it, so a slot never shows twice. Nothing else carries an
 * armed descriptor or an open marker across a migration: only a kernel
 * side that saves at entry and restores at exit.
 */
static void slots_out(struct krseq_task *t, struct krseq_lowcore *lc)
{
	struct krseq_thread_area *ta = t->ta;

	if (krseq_m.cfg.placement == KRSEQ_PLACE_CPU) {
		lc->sched_rseq = ta->sched_rseq;
		lc->marker = ta->marker;
		ta->sched_rseq = NULL;
		ta->marker = 0;
	} else {
		t->cpu_rseq_save = lc->sched_rseq;
		lc->sched_rseq = NULL;
	}
}

static void slots_in(struct krseq_task *t, struct krseq_lowcore *lc)
{
	struct krseq_thread_area *ta = t->ta;

	if (krseq_m.cfg.placement == KRSEQ_PLACE_CPU) {
		ta->sched_rseq = lc->sched_rseq;
		ta->marker = lc->marker;
		lc->sched_rseq = NULL;
		lc->marker = 0;
	} else {
		lc->sched_rseq = t->cpu_rseq_save;
		t->cpu_rseq_save = NULL;
	}
}

static void install_cpu(struct krseq_task *t)
{
	struct krseq_lowcore *lc = &krseq_m.cpus[t->cpu].lc;

	t->ta->lowcore = lc;
	t->ta->percpu_offset = lc->percpu_offset;
	krseq_arch_set_cpu_offset(lc->percpu_offset);
	slots_in(t, lc);
	t->slice_start_ns = krseq_now_ns();
	if (t->prev_cpu >= 0 && t->prev_cpu != t->cpu) {
		stat_inc(migrations);
		atomic_fetch_add(&t->nr_migrations, 1);
	}
	atomic_store(&t->state, TASK_RUNNING);
}

void krseq_sched_acquire(struct krseq_task *t)
{
	int cpu;

	lock_take(&krseq_m.lock);
	cpu = pick_idle_cpu(t);
	if (cpu >= 0) {
		take_cpu(t, cpu);
		lock_drop(&krseq_m.lock);
		install_cpu(t);
		return;
	}
	atomic_store(&t->grant, -1);
	atomic_store(&t->wait_since_ns, krseq_now_ns());
	atomic_store(&t->state, TASK_WAITING);
	t->next_wait = NULL;
	if (krseq_m.waitq_tail)
		krseq_m.waitq_tail->next_wait = t;
	else
		krseq_m.waitq_head = t;
	krseq_m.waitq_tail = t;
	atomic_fetch_add(&krseq_m.nr_waiting, 1);
	lock_drop(&krseq_m.lock);

	while (atomic_load(&t->grant) < 0)
		krseq_futex_wait(&t->grant, -1);
	install_cpu(t);
}

void krseq_sched_release(struct krseq_task *t)
{
	struct krseq_cpu *c = &krseq_m.cpus[t->cpu];
	struct krseq_task *w, *prev = NULL;
	int cpu = t->cpu;

	slots_out(t, &c->lc);

	lock_take(&krseq_m.lock);
	if (atomic_load(&c->curr) != t)
		stat_inc(exclusivity_violations);
	atomic_store(&c->curr_tid, 0);
	atomic_store(&c->curr, NULL);
	atomic_fetch_sub(&c->occupancy, 1);
	atomic_fetch_add(&krseq_m.nr_idle, 1);
	t->prev_cpu = cpu;
	t->cpu = -1;
	for (w = krseq_m.waitq_head; w; prev = w, w = w->next_wait)
		if (cpu_allowed(w, cpu))
			break;
	if (w) {
		if (prev)
			prev->next_wait = w->next_wait;
		else
			krseq_m.waitq_head = w->next_wait;
		if (krseq_m.waitq_tail == w)
			krseq_m.waitq_tail = prev;
		atomic_fetch_sub(&krseq_m.nr_waiting, 1);
		take_cpu(w, cpu);
		atomic_store(&w->grant, cpu);
		krseq_futex_wake(&w->grant, 1);
	}
	lock_drop(&krseq_m.lock);
}

void krseq_sigs_block(sigset_t *old)
{
	pthread_sigmask(SIG_BLOCK, &krseq_m.irq_sigs, old);
}

void krseq_sigs_restore(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

void krseq_switch(struct krseq_task *t, bool preempt, struct krseq_irq_frame *f,
		  void (*offcpu)(void *, int), void *arg)
{
	struct krseq_thread_area *ta = t->ta;
	int old_cpu = t->cpu;
	sigset_t old;

	krseq_sigs_block(&old);
	ta->in_sched = 1;
	ta->need_resched = 0;
	ta->need_resched_lazy = 0;
	if (preempt) {
		stat_inc(preemptions);
		atomic_fetch_add(&t->nr_preempt, 1);
	} else {
		stat_inc(voluntary);
		atomic_fetch_add(&t->nr_voluntary, 1);
	}
	if (f)
		krseq_sides_switch_out(f);
	krseq_sched_release(t);
	if (offcpu)
		offcpu(arg, old_cpu);
	krseq_sched_acquire(t);
	ta->in_sched = 0;
	krseq_sigs_restore(&old);
}

/* Called from task context, not from an interrupt. */
static void task_resched(bool preempt)
{
	struct krseq_task *t = krseq_ta.task;

	if (!t || krseq_ta.irq_depth || krseq_ta.irqs_disabled)
		return;
	krseq_switch(t, preempt, NULL, NULL, NULL);
}

void krseq_preempt_schedule(void)
{
	enum krseq_preempt_model m = krseq_m.cfg.model;

	if ((m == KRSEQ_PREEMPT_FULL || m == KRSEQ_PREEMPT_LAZY) &&
	    !krseq_ta.preempt_count && krseq_ta.need_resched)
		task_resched(true);
}

void krseq_cond_resched(void)
{
	enum krseq_preempt_model m = krseq_m.cfg.model;

	if ((m == KRSEQ_PREEMPT_NONE || m == KRSEQ_PREEMPT_VOLUNTARY) &&
	    !krseq_ta.preempt_count &&
	    (krseq_ta.need_resched || krseq_ta.need_resched_lazy))
		task_resched(false);
}

void krseq_might_resched(void)
{
	if (krseq_m.cfg.model == KRSEQ_PREEMPT_VOLUNTARY)
		krseq_cond_resched();
}

void krseq_yield(void)
{
	task_resched(false);
}

void krseq_resched_curr(bool lazy)
{
	if (lazy && krseq_m.cfg.model == KRSEQ_PREEMPT_LAZY)
		krseq_ta.need_resched_lazy = 1;
	else
		krseq_ta.need_resched = 1;
}

int krseq_smp_processor_id(void)
{
	struct krseq_task *t = krseq_ta.task;

	return t ? t->cpu : -1;
}

/*
 * The invariant seen from one task: the CPU it holds names it as its only
 * occupant, and its thread area points at that CPU.
 */
bool krseq_check_exclusive(void)
{
	struct krseq_task *t = krseq_ta.task;
	bool ok;
	int cpu;

	if (!t)
		return false;
	krseq_preempt_disable();
	cpu = t->cpu;
	ok = cpu >= 0 && cpu < krseq_m.nr_cpus &&
	     atomic_load(&krseq_m.cpus[cpu].curr) == t &&
	     atomic_load(&krseq_m.cpus[cpu].occupancy) == 1 &&
	     krseq_ta.lowcore == &krseq_m.cpus[cpu].lc &&
	     krseq_ta.percpu_offset == krseq_m.cpus[cpu].lc.percpu_offset;
	krseq_preempt_enable();
	if (!ok)
		stat_inc(exclusivity_violations);
	return ok;
}
