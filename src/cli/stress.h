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

/* What one task runs and what the tick and IPI handlers do. */
struct stress_impl {
	void *(*task)(void *arg);
	krseq_irq_handler_t irq;
};

struct stress_task_arg {
	unsigned long token; /* unique, non-zero: a spinlock owner */
	uint64_t rng;
};

/* The state of the run in progress; one run at a time. */
struct stress_run {
	uint64_t end_ns;
	int nr_cpus;
	_Atomic unsigned long task_ops, irq_ops;
	_Atomic unsigned long violations; /* seen by the workload itself */
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

#endif
