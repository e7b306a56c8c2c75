// SPDX-License-Identifier: MIT
/*
 * A hand-written per-CPU section, interrupted deterministically at each of
 * its instruction boundaries by a trap written there. The interrupt updates
 * the same per-CPU variable (RESTART), or the task is migrated while the
 * trap holds it (FIXUP).
 */
#include "util.h"
#include "asm_sections.h"

static KRSEQ_DEFINE_PER_CPU(long, counter);

static void bump_this_cpu(void *arg)
{
	(void)arg;
	(*krseq_this_cpu_ptr(&counter))++;
}

/* Run seq once with an interrupt forced at pc; the per-CPU sum after. */
static long run_with_irq_at(const struct asm_seq *s, void *pc)
{
	struct krseq_forced_irq f = { .irq = bump_this_cpu };

	test_zero(&counter);
	assert_int_equal(krseq_trap_arm(pc, &f), 0);
	s->fn(&krseq_ta, &counter);
	if (!krseq_trap_disarm())
		fail_msg("%s: trap at %p was not reached", s->name, pc);
	return test_sum(&counter);
}

static int setup_one_cpu(void **state)
{
	struct krseq_config c =
		test_config(1, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);

	(void)state;
	test_init(&c);
	return 0;
}

static int setup_two_cpus(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);

	(void)state;
	test_init(&c);
	return 0;
}

static void test_restart_never_loses(void **state)
{
	struct asm_seq s = { "restart", krseq_test_rs_inc,
			     krseq_test_rs_inc_pcs, NULL };
	struct krseq_stats st;
	int n = 0;

	(void)state;
	krseq_stats_reset();
	for (void *const *pc = s.pcs; *pc; pc++, n++) {
		long sum = run_with_irq_at(&s, *pc);

		if (sum != 2)
			fail_msg("restart: interrupt at boundary %d (%p): "
				 "per-CPU sum %ld, expected 2",
				 n, *pc, sum);
	}
	krseq_stats_get(&st);
	assert_int_equal(st.traps, n);
	/* Every boundary strictly inside the window restarted. */
	assert_true(st.restarts >= 3);
	assert_null(krseq_ta.sched_rseq);
	print_message("restart: %d boundaries, %lu restarts, no update lost\n",
		      n, (unsigned long)st.restarts);
}

static void test_unarmed_loses(void **state)
{
	struct asm_seq s = { "plain", krseq_test_plain_inc,
			     krseq_test_plain_inc_pcs, NULL };
	int n = 0, lost = 0;

	(void)state;
	for (void *const *pc = s.pcs; *pc; pc++, n++) {
		long sum = run_with_irq_at(&s, *pc);

		assert_true(sum == 1 || sum == 2);
		lost += sum == 1;
	}
	print_message("unarmed: %d boundaries, %d lost updates\n", n, lost);
	assert_true(lost >= 1);
}

struct migration {
	int old_cpu;
	bool offcpu_ran;
};

static void note_offcpu(void *arg, int old_cpu)
{
	struct migration *m = arg;

	m->old_cpu = old_cpu;
	m->offcpu_ran = true;
}

/*
 * Migrate at each boundary. Returns, per boundary, whether the increment
 * landed on the copy of the CPU the task ran on when it executed the
 * update (the new CPU before commit, the old one after).
 */
static int run_migrations(const struct asm_seq *s, int *wrong_cpu)
{
	int n = 0;

	*wrong_cpu = 0;
	for (void *const *pc = s->pcs; *pc; pc++, n++) {
		struct migration m = { -1, false };
		struct krseq_forced_irq f = { .offcpu = note_offcpu,
					      .arg = &m,
					      .preempt = true };
		int new_cpu, want;

		test_zero(&counter);
		assert_int_equal(krseq_trap_arm(*pc, &f), 0);
		s->fn(&krseq_ta, &counter);
		assert_true(krseq_trap_disarm());
		assert_true(m.offcpu_ran);
		new_cpu = krseq_smp_processor_id();
		assert_int_not_equal(new_cpu, m.old_cpu);
		assert_int_equal(test_sum(&counter), 1);
		want = (uintptr_t)*pc < (uintptr_t)s->commit ? new_cpu :
							       m.old_cpu;
		if (krseq_per_cpu(counter, want) != 1)
			(*wrong_cpu)++;
	}
	return n;
}

static void test_fixup_follows_migration(void **state)
{
	struct asm_seq s = test_fixup_seq();
	struct krseq_stats st;
	int wrong, n;

	(void)state;
	krseq_stats_reset();
	n = run_migrations(&s, &wrong);
	krseq_stats_get(&st);
	print_message("%s: %d boundaries, %lu migrations, %lu fix-ups, "
		      "%d updates on the wrong CPU\n",
		      s.name, n, (unsigned long)st.migrations,
		      (unsigned long)st.fixups, wrong);
	assert_int_equal(wrong, 0);
	assert_int_equal(st.migrations, n);
	/* Between the offset read and the commit, at least one fix-up. */
	assert_true(st.fixups >= 1);
	assert_int_equal(st.restarts, 0);
}

static void test_atomic_misses_migration(void **state)
{
	struct asm_seq s = test_atomic_seq();
	int wrong, n;

	(void)state;
	n = run_migrations(&s, &wrong);
	print_message("%s: %d boundaries, %d updates on the old CPU's copy\n",
		      s.name, n, wrong);
	assert_true(wrong >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_restart_never_loses,
						setup_one_cpu, test_teardown),
		cmocka_unit_test_setup_teardown(test_unarmed_loses,
						setup_one_cpu, test_teardown),
		cmocka_unit_test_setup_teardown(test_fixup_follows_migration,
						setup_two_cpus, test_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_misses_migration,
						setup_two_cpus, test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
