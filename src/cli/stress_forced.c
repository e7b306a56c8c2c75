// SPDX-License-Identifier: MIT
/*
 * The forced task of a stress run. A timer landing inside a
 * three-instruction window is a coin toss, so the run does not wait for
 * one: one task, chosen from the seed, runs a private copy of its
 * workload and arms a trap at every instruction boundary of that copy in
 * turn, in a seeded order. Only that task executes the copy, so no other
 * task can reach a trap, and no text another task runs is written. Each
 * hit is an interrupt on that exact instruction: the adversary takes the
 * same per-CPU data a task on that CPU would, and the task gives it back
 * at its next point. The first pass returns to the same CPU, where an
 * unprotected op overwrites what the adversary took (x86_64 addresses the
 * running CPU's copy at every instruction, so it must stay there to be
 * caught); the second preempts, and every switch is a migration, which is
 * what makes RESTART_SCHED restart and FIXUP fix up. A preemption costs a
 * wait for a CPU among all the tasks, so the second pass covers the
 * boundaries inside the copy's descriptor windows, where a preemption
 * changes what the exit path does, or, for a copy without descriptors, a
 * seeded sample of PREEMPT_SAMPLE boundaries. The verdict waits for every
 * pass, not for a time.
 */
#include "stress.h"

#include <krseq/explore.h>
#include <krseq/preempt.h>

#include <stdio.h>
#include <string.h>

#define MAX_PCS 2048
/* Second-pass boundaries of a copy that has no descriptor window. */
#define PREEMPT_SAMPLE 32
/* Points an armed boundary may go unreached before the next is armed. */
#define PATIENCE 8

struct stress_task_arg *stress_forced_arg;

static struct {
	const struct stress_impl *impl;
	uintptr_t pcs[MAX_PCS];
	bool in_window[MAX_PCS];
	/* The second pass: indices into pcs, preempted at. */
	int pass2[MAX_PCS], n2;
	int n, next, waited;
	bool running, armed;
	volatile bool hit; /* set by the forced interrupt */
	struct krseq_forced_irq f;
	unsigned long hits, in_window_hits, unreached;
	/* The descriptors whose windows hold a boundary of the copy. */
	unsigned int cs[64], nr_cs;
} fs;

static void forced_irq(void *arg)
{
	fs.hit = true;
	fs.impl->adversary(arg);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Which boundaries lie in a window, and whose: the copy's sections. */
static void find_windows(void)
{
	struct krseq_section_stats s;

	for (unsigned int i = 0; krseq_section_stats(i, &s) == 0; i++) {
		bool mine = false;

		if (!s.cs)
			continue;
		for (int k = 0; k < fs.n; k++)
			if (fs.pcs[k] >= s.cs->start_ip &&
			    fs.pcs[k] < s.cs->post_commit_ip)
				mine = fs.in_window[k] = true;
		if (mine && fs.nr_cs < sizeof(fs.cs) / sizeof(fs.cs[0]))
			fs.cs[fs.nr_cs++] = i;
	}
}

int stress_forced_setup(const struct stress_impl *impl,
			struct stress_task_arg *a, uint64_t seed)
{
	uint64_t r = seed * 0x9E3779B97F4A7C15ull | 1;
	unsigned long flags;
	int got = 0;

	memset(&fs, 0, sizeof(fs));
	fs.impl = impl;
	stress_forced_arg = a;
	/*
	 * x86_64 single-steps the copy, a few microseconds an instruction:
	 * a tick inside a window would restart it over and over. Interrupts
	 * wait until it is done; the copy runs the same instructions.
	 */
	flags = krseq_local_irq_save();
	for (int k = 0; k < 4 && impl->forced_fns[k] && got >= 0; k++) {
		got = krseq_fn_boundaries((uintptr_t)impl->forced_fns[k],
					  impl->forced_run, fs.pcs + fs.n,
					  MAX_PCS - fs.n);
		if (got > 0)
			fs.n += got;
	}
	krseq_local_irq_restore(flags);
	if (got < 0) {
		fprintf(stderr, "krseq stress: %s\n", krseq_last_error());
		return -1;
	}
	if (!fs.n) {
		fprintf(stderr, "krseq stress: no instruction boundary found "
				"in the forced task's copy\n");
		return -1;
	}
	find_windows();
	for (int i = fs.n - 1; i > 0; i--) {
		int j = (int)(rnd(&r) % (uint64_t)(i + 1));
		uintptr_t pc = fs.pcs[i];
		bool w = fs.in_window[i];

		fs.pcs[i] = fs.pcs[j];
		fs.in_window[i] = fs.in_window[j];
		fs.pcs[j] = pc;
		fs.in_window[j] = w;
	}
	for (int k = 0; k < fs.n; k++)
		if (fs.in_window[k])
			fs.pass2[fs.n2++] = k;
	for (int k = 0; !fs.nr_cs && k < fs.n && k < PREEMPT_SAMPLE; k++)
		fs.pass2[fs.n2++] = k;
	fs.f = (struct krseq_forced_irq){ .irq = forced_irq, .preempt = true };
	atomic_store(&stress_run.forced_done, false);
	fs.running = true;
	return 0;
}

/* The index into pcs of the i-th trap of both passes. */
static int boundary(int i)
{
	return i < fs.n ? i : fs.pass2[i - fs.n];
}

/* The armed boundary was hit, or has waited long enough: count it. */
static void retire(void)
{
	/* A hit deferred by the soft mask ran its irq at the replay, which
	 * comes before any point. */
	bool hit = krseq_trap_disarm() || fs.hit;
	int k = boundary(fs.next);

	fs.armed = false;
	fs.next++;
	if (!hit) {
		fs.unreached++;
		return;
	}
	fs.hits++;
	fs.in_window_hits += fs.in_window[k];
}

/*
 * Only here does an armed boundary wait: a spinning task passes the same
 * few instructions over and over, and would give up on the ones it
 * reaches once it has the lock.
 */
void stress_forced_settle(void)
{
	if (fs.running)
		fs.impl->settle();
}

void stress_forced_point(void)
{
	if (!fs.running)
		return;
	fs.impl->settle();
	if (fs.armed) {
		if (!fs.hit && ++fs.waited < PATIENCE)
			return;
		retire();
	}
	if (fs.next >= fs.n + fs.n2) {
		atomic_store(&stress_run.forced_done, true);
		return;
	}
	fs.hit = false;
	fs.waited = 0;
	fs.f.preempt = fs.next >= fs.n;
	if (krseq_trap_arm((void *)fs.pcs[boundary(fs.next)], &fs.f)) {
		fprintf(stderr, "krseq stress: %s\n", krseq_last_error());
		fs.running = false;
		atomic_store(&stress_run.forced_done, true);
		return;
	}
	fs.armed = true;
}

void stress_forced_end(void)
{
	if (fs.armed)
		retire();
	fs.impl->settle();
	fs.running = false;
	/* A task that stopped early must not keep the others running. */
	atomic_store(&stress_run.forced_done, true);
}

void stress_forced_report(struct stress_forced_report *r)
{
	struct krseq_section_stats s;

	memset(r, 0, sizeof(*r));
	r->hits = fs.hits;
	r->in_window = fs.in_window_hits;
	r->unreached = fs.unreached;
	r->windows = fs.nr_cs > 0;
	r->complete = fs.n && fs.next >= fs.n + fs.n2;
	for (unsigned int i = 0; i < fs.nr_cs; i++) {
		if (krseq_section_stats(fs.cs[i], &s))
			continue;
		r->restarted += s.restarted;
		r->fixed_up += s.fixed_up;
	}
}
