// SPDX-License-Identifier: MIT
/*
 * The scheme API's contract: what krseq_scheme_register() refuses, and
 * why, by name; what a registered scheme and a variant look like; and the
 * kernel side of a registered scheme really running at interrupt entry
 * and exit, in the order the header promises.
 */
#include "util.h"

#include <krseq/scheme.h>

#include <errno.h>
#include <string.h>

static uint64_t my_add(void *pcp, uint64_t a1, uint64_t a2)
{
	(void)a2;
	krseq_pcp_add(KRSEQ_PCP_IRQ, *(uint64_t *)pcp, a1);
	return 0;
}

static void expect_refused(const struct krseq_scheme *s, int err,
			   const char *why)
{
	int before = krseq_scheme_count();

	assert_int_equal(krseq_scheme_register(s), -err);
	if (!strstr(krseq_last_error(), why))
		fail_msg("'%s' does not say '%s'", krseq_last_error(), why);
	assert_int_equal(krseq_scheme_count(), before);
}

static void test_register_refuses(void **state)
{
	struct krseq_scheme s = { .name = "t_ok" };

	(void)state;
	expect_refused(NULL, EINVAL, "no scheme");
	expect_refused(&(struct krseq_scheme){ .name = "" }, EINVAL,
		       "a name of 1 to 31 characters");
	expect_refused(&(struct krseq_scheme){ .name = "Bad-Name" }, EINVAL,
		       "\"Bad-Name\": a scheme needs a name of [a-z0-9_] only");
	expect_refused(&s, EINVAL, "t_ok has no sequence for any op");
	s.seq[3][KRSEQ_OP_ADD] = my_add;
	s.flags = 0x4000;
	expect_refused(&s, EINVAL, "t_ok: unknown flags 0x4000");
	s.flags = 0;
	expect_refused(&(struct krseq_scheme){ .name = "restart",
					       .seq[3][KRSEQ_OP_ADD] = my_add },
		       EEXIST, "the name restart is taken");
	expect_refused(&(struct krseq_scheme){ .name = "t_var",
					       .variant_of = "nosuch" },
		       ENOENT,
		       "t_var is a variant of nosuch, which is no "
		       "scheme");
	expect_refused(&(struct krseq_scheme){ .name = "t_var",
					       .variant_of = "restart",
					       .seq[3][KRSEQ_OP_ADD] = my_add },
		       EINVAL, "a variant runs restart's sequences");
	assert_int_equal(krseq_scheme_find("nosuch"), -ENOENT);
	assert_null(krseq_scheme_get(0));
	assert_null(krseq_scheme_get(krseq_scheme_count()));
}

static int entries, exits, order_ok;

static void side_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	/* The built-in sides ran first: RESTART's slot is already empty. */
	order_ok += krseq_frame_task(f)->sched_rseq == NULL;
	save[0] = 0x5a;
	entries++;
}

static void side_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	assert_int_equal(save[0], 0x5a);
	assert_int_equal(krseq_frame_entry_cpu(f), krseq_frame_cpu(f));
	assert_false(krseq_frame_preempted(f));
	assert_int_equal(krseq_frame_offset_delta(f), 0);
	assert_null(krseq_frame_reg(f, 64));
	exits++;
}

static const struct krseq_kernel_side side = {
	.name = "t_side",
	.entry = side_entry,
	.exit = side_exit,
};

static KRSEQ_DEFINE_PER_CPU(uint64_t, v);

static void test_registered_runs(void **state)
{
	struct krseq_scheme s = { .name = "t_mine", .kernel = &side };
	const struct krseq_scheme *got;
	struct krseq_config cfg = KRSEQ_CONFIG_DEFAULT;
	const struct krseq_rseq_cs *armed;
	int id, var;

	(void)state;
	s.seq[3][KRSEQ_OP_ADD] = my_add;
	id = krseq_scheme_register(&s);
	assert_true(id >= KRSEQ_NR_SCHEMES);
	got = krseq_scheme_get(id);
	assert_string_equal(got->name, "t_mine");
	assert_int_equal(got->id, id);
	assert_int_equal(got->base, id);
	assert_int_equal(got->sizes[KRSEQ_ARCH_HERE], 1u << 3);
	assert_ptr_equal(krseq_scheme_seq(id, KRSEQ_OP_ADD, 8), my_add);
	assert_null(krseq_scheme_seq(id, KRSEQ_OP_ADD, 4));
	assert_int_equal(krseq_scheme_find("t_mine"), id);

	var = krseq_scheme_register(
		&(struct krseq_scheme){ .name = "t_restart_var",
					.variant_of = "restart" });
	assert_true(var > id);
	got = krseq_scheme_get(var);
	assert_int_equal(got->base, KRSEQ_PCP_RESTART);
	assert_ptr_equal(krseq_scheme_seq(var, KRSEQ_OP_INC, 4),
			 krseq_scheme_seq(KRSEQ_PCP_RESTART, KRSEQ_OP_INC, 4));

	cfg.nr_cpus = 1;
	assert_int_equal(krseq_init(&cfg), 0);
	assert_int_equal(krseq_scheme_register(&(struct krseq_scheme){
				 .name = "t_late",
				 .seq[3][KRSEQ_OP_ADD] = my_add }),
			 -EBUSY);
	assert_non_null(strstr(krseq_last_error(), "before krseq_init()"));
	/* An interrupt runs the side's entry, then its exit, after the
	 * built-in ones took RESTART's descriptor (left armed: no section
	 * disarms) out of its slot, and before they put it back. */
	krseq_scheme_get(id)->seq[3][KRSEQ_OP_ADD](&v, 2, 0);
	krseq_pcp_inc(KRSEQ_PCP_RESTART, v);
	armed = krseq_ta.sched_rseq;
	assert_non_null(armed);
	krseq_raise(KRSEQ_IRQ_IPI);
	assert_ptr_equal(krseq_ta.sched_rseq, armed);
	assert_int_equal(entries, 1);
	assert_int_equal(exits, 1);
	assert_int_equal(order_ok, 1);
	assert_int_equal(*krseq_this_cpu_ptr(&v), 3);
	assert_int_equal(krseq_exit(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_refuses),
		cmocka_unit_test(test_registered_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
