// SPDX-License-Identifier: MIT
/*
 * The exclusivity invariant under load: 16 tasks on 4 CPUs, a 50 us tick,
 * every preemption a migration. Checked at every tick (by the runtime and
 * by a handler) and in every task loop; and the checker itself is shown to
 * catch a task whose view of its CPU is wrong. That ticks, preemptions and
 * migrations happen is not left to the timer: the test's own task takes
 * ticks forced at a known instruction, each of which preempts it there.
 */
#include "util.h"
#include "asm_sections.h"

#include <stdatomic.h>

#define NR_TASKS 16
#define RUN_MS 400
#define FORCED_TICKS 20

static KRSEQ_DEFINE_PER_CPU(long, work);
static _Atomic long loop_failures, tick_failures, increments;
static uint64_t end_ms;

static void tick_check(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	if (!krseq_check_exclusive())
		atomic_fetch_add(&tick_failures, 1);
}

static void *worker(void *arg)
{
	long n = 0;

	(void)arg;
	while (test_now_ms() < end_ms) {
		if (!krseq_check_exclusive())
			atomic_fetch_add(&loop_failures, 1);
		krseq_preempt_disable();
		(*krseq_this_cpu_ptr(&work))++;
		krseq_preempt_enable();
		n++;
		test_spin(200);
	}
	atomic_fetch_add(&increments, n);
	return NULL;
}

/* Runs while the preempted task is off its CPU. */
static void off_cpu(void *arg, int old_cpu)
{
	(void)old_cpu;
	(*(int *)arg)++;
}

static uint64_t my_migrations(void)
{
	struct krseq_task_stats ts;

	krseq_task_stats(krseq_current(), &ts);
	return ts.migrations;
}

/*
 * Forced ticks that preempt where they land; returns how many switched the
 * task out there. Under "always" each switch is a migration; a timer's tick
 * may move the task again at once, so the count of its migrations is the
 * witness, not the CPU it is seen on.
 */
static int forced_switches(uint64_t *migrations)
{
	int switched = 0;
	uint64_t m0 = my_migrations();
	struct krseq_forced_irq f = { .offcpu = off_cpu,
				      .arg = &switched,
				      .preempt = true,
				      .tick = true };

	for (int i = 0; i < FORCED_TICKS; i++) {
		assert_int_equal(krseq_trap_arm((void *)krseq_test_site, &f),
				 0);
		krseq_test_site();
		assert_true(krseq_trap_disarm());
		if (!krseq_check_exclusive())
			atomic_fetch_add(&loop_failures, 1);
	}
	*migrations = my_migrations() - m0;
	return switched;
}

static void test_exclusive_under_load(void **state)
{
	uint64_t moved;
	int switched;
	struct krseq_config c =
		test_config(4, 50, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);
	struct krseq_task *tasks[NR_TASKS];
	struct krseq_stats st;

	(void)state;
	test_init(&c);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_TICK, tick_check, NULL),
			 0);
	end_ms = test_now_ms() + RUN_MS;
	for (int i = 0; i < NR_TASKS; i++)
		assert_non_null(tasks[i] = krseq_task_create(worker, NULL));
	switched = forced_switches(&moved);
	for (int i = 0; i < NR_TASKS; i++)
		krseq_task_join(tasks[i]);
	krseq_stats_get(&st);
	print_message("ticks %lu, preemptions %lu, migrations %lu, "
		      "unsafe-deferred %lu, increments %ld; %d of %d forced "
		      "ticks switched the test's task, which migrated %lu "
		      "times meanwhile\n",
		      (unsigned long)st.irqs[KRSEQ_IRQ_TICK],
		      (unsigned long)st.preemptions,
		      (unsigned long)st.migrations,
		      (unsigned long)st.deferred_unsafe,
		      atomic_load(&increments), switched, FORCED_TICKS,
		      (unsigned long)moved);
	assert_int_equal(atomic_load(&loop_failures), 0);
	assert_int_equal(atomic_load(&tick_failures), 0);
	assert_int_equal(st.exclusivity_violations, 0);
	/* Each forced tick preempted the task, and so moved it. */
	assert_int_equal(switched, FORCED_TICKS);
	assert_true(moved >= FORCED_TICKS);
	assert_true(st.irqs[KRSEQ_IRQ_TICK] >= FORCED_TICKS);
	assert_true(st.preemptions >= FORCED_TICKS);
	assert_true(st.migrations >= FORCED_TICKS);
	assert_int_equal(test_sum(&work), atomic_load(&increments));
	krseq_exit();
}

/* The checker can fail: a thread area pointing at another CPU is caught. */
static void test_checker_catches_wrong_cpu(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	struct krseq_lowcore *mine;
	unsigned long off;
	struct krseq_stats st;
	bool ok_before, ok_broken, ok_after;

	(void)state;
	test_init(&c);
	ok_before = krseq_check_exclusive();
	krseq_preempt_disable();
	mine = krseq_ta.lowcore;
	off = krseq_ta.percpu_offset;
	krseq_ta.percpu_offset = krseq_cpu_offset(1 - krseq_smp_processor_id());
	ok_broken = krseq_check_exclusive();
	krseq_ta.percpu_offset = off;
	krseq_ta.lowcore = mine;
	krseq_preempt_enable();
	ok_after = krseq_check_exclusive();
	krseq_stats_get(&st);
	krseq_exit();
	assert_true(ok_before);
	assert_false(ok_broken);
	assert_true(ok_after);
	assert_int_equal(st.exclusivity_violations, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclusive_under_load),
		cmocka_unit_test(test_checker_catches_wrong_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
