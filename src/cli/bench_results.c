// SPDX-License-Identifier: MIT
/*
 * What krseq bench measured and under which names: the layout of the
 * results that the driver (bench.c) fills and the reports (bench_report.c)
 * read.
 */
#include "bench.h"

const char *const bench_scenario_names[BENCH_NR_SCENARIOS] = { "fast", "tick" };
/* Indexed by enum krseq_migrate. */
const char *const bench_migrate_names[3] = { "never", "random", "always" };
const char *const bench_rt_names[BENCH_NR_RT] = { "bare_signal", "entry_exit",
						  "krseq_raise" };
const int bench_sizes[BENCH_NR_SIZES] = { 1, 2, 4, 8 };
#define BENCH_OP_NAME(op, OP) #op,
const char *const bench_op_names[BENCH_NR_OPS] = { KRSEQ_FOR_EACH_OP(
	BENCH_OP_NAME) };
/* The columns: the negative control first (the ratios' base), then the
 * registry's order; schemes this arch cannot run at all are left out. */
int bench_strategy_order[KRSEQ_MAX_SCHEMES];
int bench_nr_strategy_order;

void bench_order_strategies(void)
{
	int n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (int s = 1; s < krseq_scheme_count(); s++)
			if (krseq_scheme_on(s, KRSEQ_ARCH_HERE) &&
			    ((krseq_scheme_get(s)->flags &
			      KRSEQ_SCHEME_CONTROL) != 0) == (pass == 0))
				bench_strategy_order[n++] = s;
	bench_nr_strategy_order = n;
}

double *bench_samples(const struct bench_results *r, int sc, int z, int s,
		      int op)
{
	size_t i =
		(((size_t)sc * BENCH_NR_SIZES + (size_t)z) * KRSEQ_MAX_SCHEMES +
		 (size_t)s) *
			BENCH_NR_OPS +
		(size_t)op;

	return r->ns + i * r->o->reps;
}

bool bench_measured(const struct bench_results *r, int sc, int z, int s, int op)
{
	const struct bench_opts *o = r->o;

	return (o->scenarios & (1u << sc)) && (o->sizes & (1u << z)) &&
	       (o->strategies & (1u << s)) && (o->ops & (1u << op)) &&
	       bench_loop(s, (enum bench_op)op, z);
}
