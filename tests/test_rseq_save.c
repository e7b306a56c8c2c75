// SPDX-License-Identifier: MIT
/*
 * sched_rseq is saved on interrupt entry and restored on exit, for the
 * per-task slot and for the per-CPU (lowcore) slot: across nested
 * interrupts, and across a migration at interrupt exit or at
 * preempt_enable().
 */
#include "util.h"
#include "asm_sections.h"

#include <stdatomic.h>

/* Armed only to be saved: their window is code that never runs. */
#define PARKED_CS                                                              \
	{                                                                      \
		.version = KRSEQ_CS_VERSION, .flags = KRSEQ_CS_FLAVOUR_IRQ,    \
		.start_ip = (uintptr_t)krseq_test_dummy,                       \
		.post_commit_ip = (uintptr_t)krseq_test_dummy + 2,             \
		.abort_ip = (uintptr_t)krseq_test_dummy + 3                    \
	}

static KRSEQ_CS_DEFINE(d_task) = PARKED_CS;
static KRSEQ_CS_DEFINE(d_cpu) = PARKED_CS;
static KRSEQ_CS_DEFINE(d_irq) = PARKED_CS;
static KRSEQ_CS_DEFINE(d_nmi) = PARKED_CS;

static _Atomic int bad_entry, bad_after_nmi, nmis;

static void arm(const struct krseq_rseq_cs *task,
		const struct krseq_rseq_cs *cpu)
{
	krseq_ta.sched_rseq = task;
	krseq_ta.lowcore->sched_rseq = cpu;
}

static bool armed(const struct krseq_rseq_cs *task,
		  const struct krseq_rseq_cs *cpu)
{
	return krseq_ta.sched_rseq == task &&
	       krseq_ta.lowcore->sched_rseq == cpu;
}

static void nmi_handler(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	if (!armed(NULL, NULL))
		atomic_fetch_add(&bad_entry, 1);
	arm(&d_nmi, &d_nmi);
	atomic_fetch_add(&nmis, 1);
}

static void ipi_handler(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	if (!armed(NULL, NULL))
		atomic_fetch_add(&bad_entry, 1);
	arm(&d_irq, &d_irq);
	krseq_raise(KRSEQ_IRQ_NMI);
	if (!armed(&d_irq, &d_irq))
		atomic_fetch_add(&bad_after_nmi, 1);
	arm(NULL, NULL);
}

static int setup(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);

	(void)state;
	test_init(&c);
	bad_entry = bad_after_nmi = nmis = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arm(NULL, NULL);
	krseq_exit();
	return 0;
}

static void test_nested_interrupts_restore(void **state)
{
	(void)state;
	assert_null(krseq_cs_check(&d_task));
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_NMI, nmi_handler, NULL),
			 0);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, ipi_handler, NULL),
			 0);
	arm(&d_task, &d_cpu);
	for (int i = 0; i < 100; i++)
		krseq_raise(KRSEQ_IRQ_IPI);
	assert_true(armed(&d_task, &d_cpu));
	assert_int_equal(atomic_load(&nmis), 100);
	assert_int_equal(atomic_load(&bad_entry), 0);
	assert_int_equal(atomic_load(&bad_after_nmi), 0);
}

struct away {
	struct krseq_lowcore *old_lc;
	const struct krseq_rseq_cs *old_slot, *task_slot;
};

static void look_while_away(void *arg, int old_cpu)
{
	struct away *a = arg;

	(void)old_cpu;
	a->old_slot = a->old_lc->sched_rseq;
	a->task_slot = krseq_ta.sched_rseq;
}

static void test_migration_at_irq_exit_restores(void **state)
{
	struct away a = { .old_slot = &d_irq, .task_slot = &d_irq };
	struct krseq_forced_irq f = { .offcpu = look_while_away,
				      .arg = &a,
				      .preempt = true };
	int cpu = krseq_smp_processor_id();

	(void)state;
	a.old_lc = krseq_ta.lowcore;
	arm(&d_task, &d_cpu);
	assert_int_equal(krseq_trap_arm((void *)krseq_test_site, &f), 0);
	krseq_test_site();
	assert_true(krseq_trap_disarm());
	assert_int_not_equal(krseq_smp_processor_id(), cpu);
	assert_ptr_not_equal(krseq_ta.lowcore, a.old_lc);
	/* The per-CPU slot went with the task to its new CPU ... */
	assert_true(armed(&d_task, &d_cpu));
	/* ... and stayed with neither CPU while the task was away. */
	assert_null(a.old_slot);
	assert_null(a.task_slot);
	assert_null(a.old_lc->sched_rseq);
}

static void test_migration_at_preempt_enable_restores(void **state)
{
	struct krseq_lowcore *old_lc = krseq_ta.lowcore;
	int cpu = krseq_smp_processor_id();

	(void)state;
	arm(&d_task, &d_cpu);
	krseq_preempt_disable();
	krseq_raise(KRSEQ_IRQ_IPI); /* a reschedule request, held back */
	assert_int_equal(krseq_smp_processor_id(), cpu);
	krseq_preempt_enable();
	assert_int_not_equal(krseq_smp_processor_id(), cpu);
	assert_true(armed(&d_task, &d_cpu));
	assert_null(old_lc->sched_rseq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nested_interrupts_restore,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_migration_at_irq_exit_restores, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_migration_at_preempt_enable_restores, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
