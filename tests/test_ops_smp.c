// SPDX-License-Identifier: MIT
/*
 * The smoke test of every strategy on a busy machine: 4 tasks per CPU, a
 * 50 us tick, reschedule IPIs, every preemption a migration, and interrupt
 * handlers that update the same per-CPU counter with the same strategy.
 * Every strategy but UNSAFE conserves the sum (ATOMIC too: under FULL it
 * may hit another CPU's copy, which a sum cannot see; the explorer does).
 *
 * What is judged does not wait for a timer to land in a window: meanwhile
 * the test's own task runs one op on a counter of its own with a tick
 * forced at each of the op's instruction boundaries in turn, whose handler
 * updates that counter with the same strategy: first with preemption off,
 * where UNSAFE must lose an update, then preempted there, which migrates
 * it. (Under qemu the storm runs with QEMU_SINGLESTEP=1, which CMake sets
 * for this test: qemu takes signals only between translation blocks.)
 */
#include "util.h"

#include <krseq/explore.h>
#include <krseq/percpu.h>
#include <stdatomic.h>
#include <stdlib.h>

#define NR_CPUS 4
#define NR_TASKS (4 * NR_CPUS)

static KRSEQ_DEFINE_PER_CPU(unsigned long, counter);
static _Atomic unsigned long task_adds, irq_adds;
static uint64_t end_ms;

/* Only the test's own task and its forced ticks touch this one. */
static KRSEQ_DEFINE_PER_CPU(unsigned long, forced_counter);
static unsigned long forced_irq_adds;

struct strategy {
	void *(*task)(void *);
	krseq_irq_handler_t irq;
	void (*once)(void);
	void (*forced_irq)(void *arg);
};

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
	}                                                                      \
	static void forced_irq_##name(void *arg)                               \
	{                                                                      \
		(void)arg;                                                     \
		krseq_pcp_add(S, forced_counter, 1);                           \
		forced_irq_adds++;                                             \
	}                                                                      \
	static __attribute__((noinline)) void once_##name(void)                \
	{                                                                      \
		krseq_pcp_inc(S, forced_counter);                              \
	}                                                                      \
	static const struct strategy name = { task_##name, irq_##name,         \
					      once_##name,                     \
					      forced_irq_##name };

/* One op per boundary, each with a tick forced there. */
struct pass {
	unsigned long expected, got;
	int hits;
};

struct outcome {
	unsigned long expected, got;
	struct krseq_stats st;
	struct pass plain, preempted;
	uint64_t forced_migrations;
};

#define MAX_PCS 256

static void forced_zero(void)
{
	int cpu;

	krseq_for_each_possible_cpu(cpu)
		krseq_per_cpu(forced_counter, cpu) = 0;
	forced_irq_adds = 0;
}

static struct pass forced_pass(const struct strategy *s, const uintptr_t *pcs,
			       int n, bool preempt)
{
	struct krseq_forced_irq f = { .irq = s->forced_irq,
				      .preempt = preempt,
				      .tick = true };
	struct pass p = { 0 };
	int cpu;

	forced_zero();
	/* Without preemption the op stays on its CPU, where UNSAFE loses. */
	if (!preempt)
		krseq_preempt_disable();
	for (int i = 0; i < n; i++) {
		assert_int_equal(krseq_trap_arm((void *)pcs[i], &f), 0);
		s->once();
		p.hits += krseq_trap_disarm();
	}
	if (!preempt)
		krseq_preempt_enable();
	krseq_for_each_possible_cpu(cpu)
		p.got += krseq_per_cpu(forced_counter, cpu);
	p.expected = (unsigned long)n + forced_irq_adds;
	return p;
}

static uint64_t my_migrations(void)
{
	struct krseq_task_stats ts;

	krseq_task_stats(krseq_current(), &ts);
	return ts.migrations;
}

static struct outcome run(const struct strategy *s, unsigned int ms)
{
	struct krseq_config c = test_config(NR_CPUS, 50, KRSEQ_PREEMPT_FULL,
					    KRSEQ_MIGRATE_ALWAYS);
	struct krseq_task *t[NR_TASKS];
	uintptr_t pcs[MAX_PCS];
	struct outcome o;
	unsigned long flags;
	uint64_t m0;
	int cpu, n;

	test_init(&c);
	atomic_store(&task_adds, 0);
	atomic_store(&irq_adds, 0);
	krseq_for_each_possible_cpu(cpu)
		krseq_per_cpu(counter, cpu) = 0;
	/* x86_64 single-steps the op once: no tick restarts it meanwhile. */
	flags = krseq_local_irq_save();
	n = krseq_fn_boundaries((uintptr_t)s->once, s->once, pcs, MAX_PCS);
	krseq_local_irq_restore(flags);
	if (n <= 0)
		fail_msg("krseq_fn_boundaries: %d: %s", n, krseq_last_error());
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_TICK, s->irq, NULL), 0);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, s->irq, NULL), 0);
	end_ms = test_now_ms() + ms;
	for (int i = 0; i < NR_TASKS; i++)
		assert_non_null(t[i] = krseq_task_create(s->task, NULL));
	o.plain = forced_pass(s, pcs, n, false);
	m0 = my_migrations();
	o.preempted = forced_pass(s, pcs, n, true);
	o.forced_migrations = my_migrations() - m0;
	for (int i = 0; i < NR_TASKS; i++)
		krseq_task_join(t[i]);
	krseq_free_irq(KRSEQ_IRQ_TICK, s->irq, NULL);
	krseq_free_irq(KRSEQ_IRQ_IPI, s->irq, NULL);
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
		      "migrations %lu, restarts %lu, fix-ups %lu; forced: "
		      "%d hits, %lu of %lu, preempted %d hits, %lu of %lu, "
		      "%lu migrations\n",
		      name, o->got, o->expected, (long)(o->got - o->expected),
		      (unsigned long)o->st.irqs[KRSEQ_IRQ_TICK],
		      (unsigned long)o->st.irqs[KRSEQ_IRQ_IPI],
		      (unsigned long)o->st.migrations,
		      (unsigned long)o->st.restarts,
		      (unsigned long)o->st.fixups, o->plain.hits, o->plain.got,
		      o->plain.expected, o->preempted.hits, o->preempted.got,
		      o->preempted.expected,
		      (unsigned long)o->forced_migrations);
}

/* What every strategy shows, whatever the storm did. */
static void forced_happened(const struct outcome *o)
{
	assert_true(o->plain.hits > 0);
	assert_true(o->preempted.hits > 0);
	assert_true(o->forced_migrations > 0);
	assert_true(o->st.migrations >= o->forced_migrations);
	assert_true(o->st.irqs[KRSEQ_IRQ_TICK] >=
		    (uint64_t)(o->plain.hits + o->preempted.hits));
}

#define CONSERVES(S, name)                                                     \
	STRATEGY_BODIES(S, name)                                               \
	static void test_##name##_conserves(void **state)                      \
	{                                                                      \
		struct outcome o = run(&name, 300);                            \
		(void)state;                                                   \
		report(#name, &o);                                             \
		forced_happened(&o);                                           \
		assert_int_equal(o.plain.got, o.plain.expected);               \
		assert_int_equal(o.preempted.got, o.preempted.expected);       \
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
CONSERVES(KRSEQ_PCP_MARKER, marker)

STRATEGY_BODIES(KRSEQ_PCP_ATOMIC, atomic)
static void test_atomic_reported(void **state)
{
	struct outcome o = run(&atomic, 300);

	(void)state;
	report("atomic", &o);
	forced_happened(&o);
	/* Interrupts alone: one atomic instruction loses nothing. */
	assert_int_equal(o.plain.got, o.plain.expected);
}

/*
 * The negative control: an interrupt forced between UNSAFE's load and
 * store updates the counter, and the store overwrites it. The storm's
 * sum is only reported: whether a timer landed there is luck.
 */
STRATEGY_BODIES(KRSEQ_PCP_UNSAFE, unsafe)
static void test_unsafe_loses(void **state)
{
	struct outcome o = run(&unsafe, 300);

	(void)state;
	report("unsafe", &o);
	forced_happened(&o);
	assert_true(o.plain.got < o.plain.expected);
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
		cmocka_unit_test(test_marker_conserves),
		cmocka_unit_test(test_atomic_reported),
		cmocka_unit_test(test_unsafe_loses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
