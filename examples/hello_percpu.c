// SPDX-License-Identifier: MIT
/*
 * Eight tasks on four simulated CPUs bump a per-CPU counter with
 * preemption disabled while a 200 us tick preempts and migrates them.
 * The per-CPU counts add up to the number of increments.
 */
#include <krseq/krseq.h>

#include <stdio.h>
#include <stdlib.h>

#define NR_TASKS 8
#define LOOPS 200000

static KRSEQ_DEFINE_PER_CPU(long, hits);

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < LOOPS; i++) {
		krseq_preempt_disable();
		(*krseq_this_cpu_ptr(&hits))++;
		krseq_preempt_enable();
	}
	return NULL;
}

int main(void)
{
	struct krseq_config cfg = KRSEQ_CONFIG_DEFAULT;
	struct krseq_task *tasks[NR_TASKS];
	struct krseq_stats st;
	long total = 0;
	int cpu;

	cfg.tick_us = 200;
	cfg.migrate = KRSEQ_MIGRATE_ALWAYS;
	if (krseq_init(&cfg)) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return 1;
	}
	for (int i = 0; i < NR_TASKS; i++)
		tasks[i] = krseq_task_create(worker, NULL);
	for (int i = 0; i < NR_TASKS; i++)
		krseq_task_join(tasks[i]);
	krseq_for_each_possible_cpu(cpu) {
		printf("cpu%d: %ld\n", cpu, krseq_per_cpu(hits, cpu));
		total += krseq_per_cpu(hits, cpu);
	}
	krseq_stats_get(&st);
	printf("total %ld of %d; ticks %lu, preemptions %lu, migrations %lu\n",
	       total, NR_TASKS * LOOPS, (unsigned long)st.irqs[KRSEQ_IRQ_TICK],
	       (unsigned long)st.preemptions, (unsigned long)st.migrations);
	krseq_exit();
	return total == (long)NR_TASKS * LOOPS ? 0 : 1;
}
