/* SPDX-License-Identifier: MIT */
#ifndef KRSEQ_TEST_UTIL_H
#define KRSEQ_TEST_UTIL_H

#include <krseq/krseq.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <cmocka.h>

static inline uint64_t test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Busy work that stays in the program's own text: a safe point. */
static inline void test_spin(unsigned int n)
{
	for (volatile unsigned int i = 0; i < n; i++)
		;
}

static inline struct krseq_config test_config(int cpus, unsigned int tick_us,
					      enum krseq_preempt_model model,
					      enum krseq_migrate migrate)
{
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;

	c.nr_cpus = cpus;
	c.tick_us = tick_us;
	c.model = model;
	c.migrate = migrate;
	c.seed = 42;
	return c;
}

static inline void test_init(const struct krseq_config *c)
{
	int err = krseq_init(c);

	if (err)
		fail_msg("krseq_init: %d: %s", err, krseq_last_error());
}

/* The teardown of every group whose setup called test_init(). */
static inline int test_teardown(void **state)
{
	(void)state;
	krseq_exit();
	return 0;
}

static inline long test_sum(long *var)
{
	long sum = 0;
	int cpu;

	krseq_for_each_possible_cpu(cpu)
		sum += *krseq_per_cpu_ptr(var, cpu);
	return sum;
}

static inline void test_zero(long *var)
{
	int cpu;

	krseq_for_each_possible_cpu(cpu)
		*krseq_per_cpu_ptr(var, cpu) = 0;
}

#endif
