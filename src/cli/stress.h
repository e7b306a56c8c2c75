/* SPDX-License-Identifier: MIT */
/*
 * krseq stress: the workloads (stress_workloads.c, one copy per strategy)
 * and the driver that runs and judges them (stress.c).
 */
#ifndef KRSEQ_CLI_STRESS_H
#define KRSEQ_CLI_STRESS_H

#include "cli.h"

#include <krseq/krseq.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum stress_workload {
	STRESS_COUNTERS,
	STRESS_SPINLOCK,
	STRESS_LIST,
	STRESS_BUFFER,
	STRESS_NR_WORKLOADS
};

/*
 * What one task runs and what the tick and IPI handlers do; and the
 * forced task's private copy of the same loop (the same source expanded
 * again under other symbols), where only that task can reach a trap.
 */
struct stress_impl {
	void *(*task)(void *arg);
	krseq_irq_handler_t irq;
	void *(*forced_task)(void *arg);
	/* One iteration of the copy on stress_forced_arg, for tracing. */
	void (*forced_run)(void);
	/* The copy's functions, whose boundaries take the traps. */
	void (*forced_fns[4])(void);
	/* In the forced interrupt: take what a task on this CPU would take
	 * in the middle of the interrupted op (the workload's same data). */
	void (*adversary)(void *arg);
	/* In the forced task, at its next point: give it back. */
	void (*settle)(void);
};

struct stress_task_arg {
	unsigned long token; /* unique, non-zero: a spinlock owner */
	uint64_t rng;
	unsigned long iter, ops, added;
	bool stop; /* a violation that ends the task's loop */
};

/* The state of the run in progress; one run at a time. */
struct stress_run {
	uint64_t end_ns;
	int nr_cpus;
	_Atomic unsigned long task_ops, irq_ops;
	_Atomic unsigned long violations; /* seen by the workload itself */
	/* The run lasts until end_ns and until the forced task is done. */
	_Atomic bool forced_done;
};
extern struct stress_run stress_run;

/* Strategy KRSEQ_PCP_* x workload; NULL where the arch lacks it. */
const struct stress_impl *stress_impl(int strategy, enum stress_workload w);
const char *stress_workload_name(enum stress_workload w);

/* Fill the per-CPU data before the tasks start (the machine is up). */
int stress_prepare(enum stress_workload w);

struct stress_verdict {
	unsigned long expected, got; /* a sum, or an object count */
	unsigned long errors; /* duplicates, double holds, exclusion lost */
};
/* After the tasks are joined; frees what stress_prepare() took. */
void stress_verify(enum stress_workload w, struct stress_verdict *v);

/*
 * The forced task (stress_forced.c): it arms a trap at every boundary of
 * its copy's functions in turn, in a seeded order, PASSES times over, and
 * each hit is an interrupt on that instruction that runs the adversary and
 * preempts (every switch a migration). The verdict waits for all of them.
 */
extern struct stress_task_arg *stress_forced_arg;
struct stress_forced_report {
	unsigned long hits; /* forced interrupts delivered */
	unsigned long in_window; /* ... with the PC in a descriptor window */
	unsigned long unreached; /* boundaries armed but never reached */
	unsigned long restarted, fixed_up; /* the copy's sections, all causes */
	bool windows; /* the copy has descriptors */
	bool complete; /* every pass was made */
};
/* On task 0, after stress_prepare() and before the tasks start. */
int stress_forced_setup(const struct stress_impl *impl,
			struct stress_task_arg *a, uint64_t seed);
/* The forced copy calls these at the top of each iteration, when it
 * spins, and once when its loop ends. */
void stress_forced_point(void);
void stress_forced_settle(void);
void stress_forced_end(void);
/* After the tasks are joined, before krseq_exit(). */
void stress_forced_report(struct stress_forced_report *r);

#endif
