// SPDX-License-Identifier: MIT
/*
 * What depth 2 finds that depth 1 cannot: a kernel side, written with the
 * public scheme API as a variant of KSEQ_SCHED, that puts the descriptor
 * back in its slot only after a restart and empties the slot otherwise
 * ("the window commits anyway"). One interrupt never shows it: the op's
 * own disarm store leaves the slot empty in the end, as the built-in's
 * does. Two do: an interrupt that does not switch the task out empties the
 * slot, and a migration later in the same window finds nothing to
 * restart. Also: two identical explorations give identical totals.
 */
#include "util.h"

#include <krseq/explore.h>
#include <krseq/scheme.h>

#include <errno.h>
#include <string.h>

static int mutant_id;

static const struct krseq_kernel_side *base_side(void)
{
	return krseq_scheme_get(KRSEQ_PCP_KSEQ_SCHED)->kernel;
}

static void mutant_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	save[2] = 0;
	base_side()->entry(f, save);
}

/* save[2]: where the switch-out restart sent the PC, if it did. */
static void mutant_switch_out(struct krseq_irq_frame *f, unsigned long *save)
{
	uintptr_t pc = krseq_frame_pc(f);

	base_side()->switch_out(f, save);
	save[2] = krseq_frame_pc(f) != pc;
}

/* Wrong: without a restart the slot is left empty. */
static void mutant_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	if (!save[2])
		save[0] = save[1] = 0;
	base_side()->exit(f, save);
}

static const struct krseq_kernel_side mutant = {
	.name = "t_kseq_sched_restore_on_restart",
	.entry = mutant_entry,
	.exit = mutant_exit,
	.switch_out = mutant_switch_out,
};

static void explore(int id, int depth, struct krseq_explore_totals *t)
{
	struct krseq_explore_opts o = {
		.schemes = 1ull << id,
		.depth = depth,
		.ops = 1u << KRSEQ_OP_ADD,
		.sizes = 1u << 3,
	};

	memset(t, 0, sizeof(*t));
	if (krseq_explore(&o, t, NULL, NULL, NULL))
		fail_msg("explore %s at depth %d: %s",
			 krseq_scheme_get(id)->name, depth, krseq_last_error());
	assert_true(t->strategy[id].runs > 0);
}

static void test_builtin_survives_depth2(void **state)
{
	struct krseq_explore_totals t;

	(void)state;
	explore(KRSEQ_PCP_KSEQ_SCHED, 2, &t);
	assert_true(t.runs_at[1] > 0);
	assert_int_equal(t.violations, 0);
}

/* Also: the same exploration twice gives the same counts, to the run. */
static void test_mutant_survives_depth1_dies_at_depth2(void **state)
{
	struct krseq_explore_totals t, again;

	(void)state;
	explore(mutant_id, 1, &t);
	if (t.violations)
		fail_msg("%lu violations at depth 1: the mutant must need two "
			 "interrupts",
			 t.violations);
	explore(mutant_id, 2, &t);
	assert_int_equal(t.violations_at[0], 0);
	if (!t.violations_at[1])
		fail_msg("the mutant survives depth 2 (%lu runs)",
			 t.runs_at[1]);
	explore(mutant_id, 2, &again);
	/* Every count, to the run; the setup's time is a clock's. */
	t.setup_ns = again.setup_ns = 0;
	assert_memory_equal(&t, &again, sizeof(t));
}

static void test_bad_depth(void **state)
{
	struct krseq_explore_totals t;
	struct krseq_explore_opts o = { .depth = 3 };

	(void)state;
	assert_int_equal(krseq_explore(&o, &t, NULL, NULL, NULL), -EINVAL);
	assert_non_null(strstr(krseq_last_error(), "depth 3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_survives_depth2),
		cmocka_unit_test(test_mutant_survives_depth1_dies_at_depth2),
		cmocka_unit_test(test_bad_depth),
	};

	mutant_id = krseq_scheme_register(&(struct krseq_scheme){
		.name = "t_kseq_sched_restore_on_restart",
		.variant_of = "kseq_sched",
		.kernel = &mutant,
	});
	if (mutant_id < 0) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
