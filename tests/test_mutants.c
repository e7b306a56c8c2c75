// SPDX-License-Identifier: MIT
/*
 * Mutants that must die: every built-in scheme's mutants this arch runs,
 * explored by krseq_explore_mutants(); each must be killed, at depth 1,
 * but for the named list below, which one interrupt cannot kill and two
 * must.
 */
#include "util.h"

#include <krseq/explore.h>

#include <errno.h>
#include <string.h>

/*
 * Each leaves the window's state wrong after an interrupt that did no harm
 * by itself: only a second interrupt in the same op sees it (the s390
 * series' v3 restored its marker only after a fix-up).
 */
static const char *const need_depth2[] = {
	"marker_no_restore",
	"marker_restore_if_acted",
	"kseq_sched_no_restore",
	"kseq_sched_restore_if_acted",
	NULL,
};

static bool listed(const char *const *list, const char *name)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

struct tally {
	int total, killed, bad;
};

static void check(const struct krseq_mutant_result *r, void *arg)
{
	struct tally *t = arg;
	char name[64];
	bool d2;

	snprintf(name, sizeof(name), "%s_%s", r->scheme, r->mutant->name);
	d2 = listed(need_depth2, name);
	t->total++;
	t->killed += r->killed;
	if (!r->killed) {
		fprintf(stderr, "%s survives (%s)\n", name, r->mutant->bug);
		t->bad++;
	} else if (r->depth != (d2 ? 2 : 1)) {
		fprintf(stderr, "%s killed at depth %d, not %d\n", name,
			r->depth, d2 ? 2 : 1);
		t->bad++;
	}
	if (r->killed &&
	    (!r->kill.insn_len || !r->kill.function[0] || !r->kill.what))
		fail_msg("%s: a kill without its boundary", name);
}

static void test_every_mutant_killed(void **state)
{
	struct krseq_explore_opts o = { 0 };
	struct tally t = { 0 };
	int survivors;

	(void)state;
	survivors = krseq_explore_mutants(&o, check, &t);
	if (survivors < 0)
		fail_msg("%s", krseq_last_error());
	printf("mutation score %d/%d\n", t.killed, t.total);
	assert_true(t.total > 0);
	assert_int_equal(t.total - t.killed, survivors);
	assert_int_equal(t.bad, 0);
}

/* The machine must be down: mutants are registered schemes. */
static void test_refused_while_up(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	struct krseq_explore_opts o = { 0 };

	(void)state;
	assert_int_equal(krseq_init(&c), 0);
	assert_int_equal(krseq_explore_mutants(&o, NULL, NULL), -EBUSY);
	assert_non_null(strstr(krseq_last_error(), "before krseq_init()"));
	krseq_exit();
	o.schemes = 1ull << 63;
	assert_int_equal(krseq_explore_mutants(&o, NULL, NULL), -EINVAL);
	assert_non_null(strstr(krseq_last_error(), "no scheme 63"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_mutant_killed),
		cmocka_unit_test(test_refused_while_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
