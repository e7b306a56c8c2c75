// SPDX-License-Identifier: MIT
/* Runs the seed's foo() from many tasks on the simulated machine. */
#include <krseq/linux.h>

#include <stdio.h>

DECLARE_PER_CPU(long, bar);
long foo(long val);

#define NR_TASKS 8
#define LOOPS 100000

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < LOOPS; i++)
		foo(1);
	return NULL;
}

int main(void)
{
	struct krseq_config cfg = KRSEQ_CONFIG_DEFAULT;
	struct krseq_task *t[NR_TASKS];
	long sum = 0;
	int cpu;

	cfg.tick_us = 100;
	cfg.migrate = KRSEQ_MIGRATE_ALWAYS;
	if (krseq_init(&cfg)) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return 1;
	}
	for (int i = 0; i < NR_TASKS; i++)
		t[i] = krseq_task_create(worker, NULL);
	for (int i = 0; i < NR_TASKS; i++)
		krseq_task_join(t[i]);
	for_each_possible_cpu(cpu)
	{
		printf("cpu%d: bar = %ld\n", cpu, per_cpu(bar, cpu));
		sum += per_cpu(bar, cpu);
	}
	printf("sum %ld, expected %d: %s\n", sum, NR_TASKS * LOOPS,
	       sum == NR_TASKS * LOOPS ? "ok" : "LOST UPDATES");
	krseq_exit();
	return sum == NR_TASKS * LOOPS ? 0 : 1;
}
