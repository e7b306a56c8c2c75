// SPDX-License-Identifier: MIT
/*
 * The smoke test of every strategy on a busy machine: 4 tasks per CPU, a
 * 50 us tick, reschedule IPIs, every preemption a migration, and interrupt
 * handlers that update the same per-CPU counter with the same strategy.
 * Every strategy but UNSAFE conserves the sum (ATOMIC too: under FULL it
 * may hit another CPU's copy, which a sum cannot see; the explorer does).
 * UNSAFE is shown losing updates. (Under qemu this needs QEMU_SINGLESTEP=1,
 * which CMake sets for this test: qemu takes signals only between
 * translation blocks.)
 */
#include "util.h"

#include <krseq/percpu.h>
#include <stdatomic.h>
#include <stdlib.h>

#define NR_CPUS 4
#define NR_TASKS (4 * NR_CPUS)

static KRSEQ_DEFINE_PER_CPU(unsigned long, counter);
static _Atomic unsigned long task_adds, irq_adds;
static uint64_t end_ms;

/* Per strategy: what a task loop and an interrupt handler do. */
#define STRATEGY_BODIES(S, name)                                               \
	static void irq_##name(enum krseq_irq src, void *arg)                  \
	{                                                                      \
		(void)src;                                                     \
		(void)arg;                                                     \
		krseq_pcp_add(S, counter, 1);                                  \
		atomic_fetch_add(&irq_adds, 1);                                \
	}                                                                      \
	static void *task_##name(void *arg)                                    \
	{                                                                      \
		unsigned long n = 0;                                           \
		(void)arg;                                                     \
		while (test_now_ms() < end_ms) {                               \
			for (int i = 0; i < 64; i++) {                         \
				krseq_pcp_inc(S, counter);                     \
				(void)krseq_pcp_add_return(S, counter, 2);     \
				krseq_pcp_sub(S, counter, 1);                  \
				n += 2;                                        \
			}                                                      \
			if ((n & 1023) == 0)                                   \
				krseq_send_ipi((int)(n >> 10) % NR_CPUS);      \
		}                                                              \
		atomic_fetch_add(&task_adds, n);                               \
		return NULL;                                                   \
	}

struct outcome {
	unsigned long expected, got;
	struct krseq_stats st;
};

static struct outcome run(void *(*task)(void *), krseq_irq_handler_t irq,
			  unsigned int ms)
{
	struct krseq_config c = test_config(NR_CPUS, 50, KRSEQ_PREEMPT_FULL,
					    KRSEQ_MIGRATE_ALWAYS);
	struct krseq_task *t[NR_TASKS];
	struct outcome o;
	int cpu;

	test_init(&c);
	atomic_store(&task_adds, 0);
	atomic_store(&irq_adds, 0);
	krseq_for_each_possible_cpu(cpu)
		krseq_per_cpu(counter, cpu) = 0;
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_TICK, irq, NULL), 0);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, irq, NULL), 0);
	end_ms = test_now_ms() + ms;
	for (int i = 0; i < NR_TASKS; i++)
		assert_non_null(t[i] = krseq_task_create(task, NULL));
	for (int i = 0; i < NR_TASKS; i++)
		krseq_task_join(t[i]);
	krseq_free_irq(KRSEQ_IRQ_TICK, irq, NULL);
	krseq_free_irq(KRSEQ_IRQ_IPI, irq, NULL);
	krseq_stats_get(&o.st);
	o.got = 0;
	krseq_for_each_possible_cpu(cpu)
		o.got += krseq_per_cpu(counter, cpu);
	o.expected = atomic_load(&task_adds) + atomic_load(&irq_adds);
	krseq_exit();
	return o;
}

static void report(const char *name, const struct outcome *o)
{
	print_message("%-13s sum %lu of %lu (%+ld); ticks %lu, IPIs %lu, "
		      "migrations %lu, restarts %lu, fix-ups %lu\n",
		      name, o->got, o->expected, (long)(o->got - o->expected),
		      (unsigned long)o->st.irqs[KRSEQ_IRQ_TICK],
		      (unsigned long)o->st.irqs[KRSEQ_IRQ_IPI],
		      (unsigned long)o->st.migrations,
		      (unsigned long)o->st.restarts,
		      (unsigned long)o->st.fixups);
}

#define CONSERVES(S, name)                                                     \
	STRATEGY_BODIES(S, name)                                               \
	static void test_##name##_conserves(void **state)                      \
	{                                                                      \
		struct outcome o = run(task_##name, irq_##name, 300);          \
		(void)state;                                                   \
		report(#name, &o);                                             \
		assert_true(o.st.migrations > 0);                              \
		assert_true(o.st.irqs[KRSEQ_IRQ_TICK] > 0);                    \
		assert_int_equal(o.got, o.expected);                           \
	}

#ifdef __x86_64__
CONSERVES(KRSEQ_PCP_SEGMENT, segment)
#endif
CONSERVES(KRSEQ_PCP_PREEMPT, preempt)
CONSERVES(KRSEQ_PCP_IRQ, irq)
CONSERVES(KRSEQ_PCP_RESTART, restart)
CONSERVES(KRSEQ_PCP_RESTART_SCHED, restart_sched)
CONSERVES(KRSEQ_PCP_FIXUP, fixup)

STRATEGY_BODIES(KRSEQ_PCP_ATOMIC, atomic)
static void test_atomic_reported(void **state)
{
	struct outcome o = run(task_atomic, irq_atomic, 300);

	(void)state;
	report("atomic", &o);
	assert_true(o.st.migrations > 0);
}

/* The negative control: a few runs until UNSAFE is caught losing. */
STRATEGY_BODIES(KRSEQ_PCP_UNSAFE, unsafe)
static void test_unsafe_loses(void **state)
{
	struct outcome o;
	int tries = 0;

	(void)state;
	do {
		o = run(task_unsafe, irq_unsafe, 400);
		report("unsafe", &o);
	} while (o.got == o.expected && ++tries < 5);
	assert_true(o.got != o.expected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef __x86_64__
		cmocka_unit_test(test_segment_conserves),
#endif
		cmocka_unit_test(test_preempt_conserves),
		cmocka_unit_test(test_irq_conserves),
		cmocka_unit_test(test_restart_conserves),
		cmocka_unit_test(test_restart_sched_conserves),
		cmocka_unit_test(test_fixup_conserves),
		cmocka_unit_test(test_atomic_reported),
		cmocka_unit_test(test_unsafe_loses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
