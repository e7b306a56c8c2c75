// SPDX-License-Identifier: MIT
/*
 * The explorer holds text writable for a whole exploration (a run costs
 * no mprotect), so every way out of it must make text read-only again:
 * after a clean exploration, and after one that fails half-way, here
 * because a scheme's sequence arms a trap of its own, which the
 * explorer's next trap finds in its way.
 */
#include "util.h"

#include <krseq/explore.h>
#include <krseq/percpu.h>
#include <krseq/scheme.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

static int armer_id;

/* Never called: the armer's trap lands here. */
static __attribute__((noinline)) void trap_target(void)
{
	__asm__ volatile("" ::: "memory");
}

static uint64_t armer_add(void *pcp, uint64_t a1, uint64_t a2)
{
	static const struct krseq_forced_irq f;

	(void)a2;
	krseq_pcp_add(KRSEQ_PCP_IRQ, *(uint64_t *)pcp, a1);
	/* Misuse: a sequence is no place to arm a trap. */
	krseq_trap_arm((void *)(uintptr_t)trap_target, &f);
	return 0;
}

/* The permissions /proc/self/maps shows for the mapping holding p. */
static void perms_of(const void *p, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	assert_non_null(f);
	strcpy(perms, "none");
	while (fgets(line, sizeof(line), f)) {
		uintptr_t lo, hi;
		char m[5];

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &lo, &hi,
			   m) == 3 &&
		    (uintptr_t)p >= lo && (uintptr_t)p < hi) {
			memcpy(perms, m, 5);
			break;
		}
	}
	fclose(f);
}

static void expect_read_only(const void *p, const char *what)
{
	char perms[5];

	perms_of(p, perms);
	if (perms[0] != 'r' || perms[1] != '-' || perms[2] != 'x')
		fail_msg("%s at %p is %s after the exploration, not r-x", what,
			 p, perms);
}

static void expect_text_read_only(void)
{
	expect_read_only((const void *)(uintptr_t)krseq_scheme_seq(
				 KRSEQ_PCP_RESTART, KRSEQ_OP_ADD, 8),
			 "restart add 8");
	expect_read_only((const void *)(uintptr_t)armer_add, "armer add 8");
	expect_read_only((const void *)(uintptr_t)trap_target, "the trap");
}

static void test_clean_exploration(void **state)
{
	struct krseq_explore_totals t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(krseq_explore_schemes(1u << KRSEQ_PCP_RESTART,
					       1u << KRSEQ_ADV_IRQ, &t, NULL,
					       NULL, NULL),
			 0);
	assert_true(t.runs > 0);
	expect_text_read_only();
}

static void test_failed_exploration(void **state)
{
	struct krseq_explore_totals t;
	int err;

	(void)state;
	memset(&t, 0, sizeof(t));
	err = krseq_explore_schemes((1u << KRSEQ_PCP_RESTART) |
					    (1u << armer_id),
				    1u << KRSEQ_ADV_IRQ, &t, NULL, NULL, NULL);
	assert_true(err < 0);
	if (!strstr(krseq_last_error(), "a trap is already armed"))
		fail_msg("the failure says '%s'", krseq_last_error());
	/* It failed after restart's runs: text had been written. */
	assert_true(t.strategy[KRSEQ_PCP_RESTART].runs > 0);
	expect_text_read_only();
	/* The armer's trap is still there; take it away. */
	assert_false(krseq_trap_disarm());
	expect_text_read_only();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_exploration),
		cmocka_unit_test(test_failed_exploration),
	};
	struct krseq_scheme s = {
		.name = "t_armer",
		.seq[3][KRSEQ_OP_ADD] = armer_add,
	};

	armer_id = krseq_scheme_register(&s);
	if (armer_id < 0) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
