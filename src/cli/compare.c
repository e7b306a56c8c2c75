// SPDX-License-Identifier: MIT
/*
 * krseq compare: the seed of the LKML thread, foo() { return
 * this_cpu_add_return(bar, val); }, under every strategy side by side:
 * correct or not (the explorer's verdict on this arch), its cost as a ratio
 * to UNSAFE measured in this run, and its code on the three arches.
 */
#include "cli.h"
#include "bench.h"

#include <krseq/explore.h>
#include <krseq/percpu.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The seed's op, a chain of dependent this_cpu_add_return on a long: the
 * loop krseq bench times for add_return at 8 bytes (NULL where the arch
 * has no such strategy).
 */
#define SEED_LOOP(s) bench_loop(s, BOP_add_return, 3)

#define MAX_REPS 99

/*
 * ns per call, median over reps; the strategies take turns within each
 * repetition so that a noisy moment hits them all alike.
 */
static int measure(unsigned long reps, unsigned long iterations,
		   double ns[KRSEQ_MAX_SCHEMES])
{
	static double samples[KRSEQ_MAX_SCHEMES][MAX_REPS];
	struct krseq_config cfg = KRSEQ_CONFIG_DEFAULT;
	volatile uint64_t sink = 0;

	cfg.nr_cpus = 1;
	cfg.migrate = KRSEQ_MIGRATE_NEVER;
	if (krseq_init(&cfg))
		return -1;
	for (unsigned long r = 0; r < reps; r++) {
		for (int s = 1; s < krseq_scheme_count(); s++) {
			uint64_t t0;

			if (!SEED_LOOP(s))
				continue;
			t0 = cli_now_ns();
			sink += SEED_LOOP(s)(iterations);
			samples[s][r] = (double)(cli_now_ns() - t0) /
					(double)iterations;
		}
	}
	(void)sink;
	for (int s = 1; s < krseq_scheme_count(); s++) {
		if (!SEED_LOOP(s))
			continue;
		ns[s] = cli_stat_of(samples[s], reps).median;
	}
	krseq_exit();
	return 0;
}

/* foo() is an 8-byte add_return: does the scheme have it on arch. */
static bool seed_on(int s, int arch)
{
	return krseq_scheme_has(s, (enum krseq_arch)arch, 8);
}

/* Why a scheme has no code column on arch. */
static const char *code_na(int s, int arch)
{
	if (s < KRSEQ_NR_SCHEMES || !seed_on(s, arch))
		return arch == KRSEQ_ARCH_HERE || s < KRSEQ_NR_SCHEMES ?
			       krseq_scheme_get(s)->why :
			       "registered at run time, on this arch only";
	return "registered at run time: codegen compiles the registry's "
	       "rows only";
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: krseq compare [--json] [--reps N] [--iterations N] "
		"[--quiet]\n\n"
		"The seed's foo() (this_cpu_add_return on DEFINE_PER_CPU(long, "
		"bar)) under every\nstrategy: the explorer's verdict on this "
		"arch, the cost per call as a ratio\nto UNSAFE measured in this "
		"run, and instructions and bytes of foo() on x86_64,\naarch64 "
		"and s390x from the cross compilers.\n\n"
		"  --json          one JSON object on stdout\n"
		"  --reps N        timed repetitions, median taken (default 7)\n"
		"  --iterations N  calls per repetition (default 2000000)\n"
		"  --quiet         no progress line\n");
}

static void progress(unsigned long done, unsigned long total, void *arg)
{
	if (*(bool *)arg || !cli_on_terminal())
		return;
	fprintf(stderr, "\rexploring: %lu/%lu sequences", done, total);
	if (done == total)
		fprintf(stderr, "\n");
}

int cli_compare(int argc, char **argv)
{
	unsigned long reps = 7, iterations = 2000000;
	bool json = false, quiet = false;
	const struct cli_opt opts[] = {
		CLI_OPT_FLAG("--json", &json),
		CLI_OPT_NUMBER("--reps", &reps, 1, MAX_REPS),
		CLI_OPT_NUMBER("--iterations", &iterations, 1, 1000000000),
		CLI_OPT_FLAG("--quiet", &quiet),
		CLI_OPT_END,
	};
	struct cli_codegen code[KRSEQ_MAX_SCHEMES][KRSEQ_NR_ARCHES] = { 0 };
	struct krseq_explore_totals t;
	struct json j;
	double ns[KRSEQ_MAX_SCHEMES] = { 0 };
	int err = cli_parse("compare", argc, argv, opts, help);

	if (err >= 0)
		return err;
	err = cli_codegen_check("compare");
	if (err >= 0)
		return err;

	memset(&t, 0, sizeof(t));
	if (krseq_explore_schemes(cli_names_all(&cli_strategies), KRSEQ_ADV_ALL,
				  &t, NULL, &quiet, progress) ||
	    measure(reps, iterations, ns)) {
		fprintf(stderr, "krseq compare: %s\n", krseq_last_error());
		return 1;
	}
	for (int s = 1; s < krseq_scheme_count(); s++)
		for (int a = 0; a < KRSEQ_NR_ARCHES; a++)
			if (s < KRSEQ_NR_SCHEMES && seed_on(s, a))
				cli_codegen_count(krseq_arch_names[a],
						  CLI_ABI_USER, s, "foo",
						  &code[s][a]);

	json_init(&j, stdout);
	if (json) {
		json_open(&j, '{');
		json_key(&j, "arch");
		json_string(&j, CLI_ARCH);
		json_key(&j, "reps");
		json_ulong(&j, reps);
		json_key(&j, "iterations");
		json_ulong(&j, iterations);
		json_key(&j, "strategies");
		json_open(&j, '[');
	} else {
		printf("foo() = this_cpu_add_return(bar, val) on %s; cost: "
		       "median of %lu x %lu calls\n\n"
		       "%-14s %-9s %10s %7s %8s   %-10s %-10s %-10s\n",
		       CLI_ARCH, reps, iterations, "strategy", "correct",
		       "violations", "ns", "ratio", "x86_64", "aarch64",
		       "s390x");
	}
	for (int s = 1; s < krseq_scheme_count(); s++) {
		unsigned long v = t.strategy[s].violations;
		double ratio = ns[KRSEQ_PCP_UNSAFE] > 0 ?
				       ns[s] / ns[KRSEQ_PCP_UNSAFE] :
				       0;

		if (!krseq_scheme_on(s, KRSEQ_ARCH_HERE))
			continue;
		if (json) {
			json_open(&j, '{');
			json_key(&j, "name");
			json_string(&j, cli_strategy_name(s));
			json_key(&j, "correct");
			json_bool(&j, !v);
			json_key(&j, "violations");
			json_ulong(&j, v);
			json_key(&j, "runs");
			json_ulong(&j, t.strategy[s].runs);
			json_key(&j, "ns");
			json_double(&j, ns[s], 3);
			json_key(&j, "ratio");
			json_double(&j, ratio, 3);
			json_key(&j, "registered");
			json_bool(&j, s >= KRSEQ_NR_SCHEMES);
			for (int k = 0; k < 2; k++) {
				json_key(&j, k ? "bytes" : "insns");
				json_open(&j, '{');
				for (int a = 0; a < KRSEQ_NR_ARCHES; a++) {
					if (!code[s][a].ok)
						continue;
					json_key(&j, krseq_arch_names[a]);
					json_int(&j, k ? code[s][a].bytes :
							 code[s][a].insns);
				}
				json_close(&j, '}');
			}
			json_key(&j, "na");
			json_open(&j, '{');
			for (int a = 0; a < KRSEQ_NR_ARCHES; a++) {
				if (code[s][a].ok ||
				    (s < KRSEQ_NR_SCHEMES && seed_on(s, a)))
					continue;
				json_key(&j, krseq_arch_names[a]);
				json_string(&j, code_na(s, a));
			}
			json_close(&j, '}');
			json_key(&j, "na_cells");
			json_ulong(&j, t.strategy[s].na);
			json_close(&j, '}');
			continue;
		}
		if (SEED_LOOP(s))
			printf("%-14s %-9s %10lu %7.2f %8.2f  ",
			       cli_strategy_name(s), v ? "no" : "yes", v, ns[s],
			       ratio);
		else
			printf("%-14s %-9s %10lu %7s %8s  ",
			       cli_strategy_name(s), v ? "no" : "yes", v, "n/a",
			       "n/a");
		for (int a = 0; a < KRSEQ_NR_ARCHES; a++) {
			char cell[32];

			if (code[s][a].ok)
				snprintf(cell, sizeof(cell), "%d/%dB",
					 code[s][a].insns, code[s][a].bytes);
			else
				snprintf(cell, sizeof(cell), "n/a");
			printf(" %-10s", cell);
		}
		printf("\n");
	}
	if (json) {
		json_close(&j, ']');
		json_close(&j, '}');
		return 0;
	}
	printf("\ncorrect: the explorer interrupted every boundary of every "
	       "op of the strategy\n(%lu boundaries, %lu runs on %s); code: "
	       "instructions/bytes of foo() at -O2.\n",
	       t.boundaries, t.runs, CLI_ARCH);
	for (int a = 0; a < KRSEQ_NR_ARCHES; a++)
		if (!code[KRSEQ_PCP_UNSAFE][a].ok)
			printf("%s: %s\n", krseq_arch_names[a],
			       code[KRSEQ_PCP_UNSAFE][a].error);
	/* What the registry says is missing, and why: never relabelled. */
	for (int s = 1; s < krseq_scheme_count(); s++) {
		if (!krseq_scheme_on(s, KRSEQ_ARCH_HERE))
			continue;
		if (!SEED_LOOP(s))
			printf("n/a: %s cost: no add_return at 8 bytes: %s\n",
			       cli_strategy_name(s), krseq_scheme_get(s)->why);
		for (int a = 0; a < KRSEQ_NR_ARCHES; a++)
			if (!code[s][a].ok &&
			    !(s < KRSEQ_NR_SCHEMES && seed_on(s, a)))
				printf("n/a: %s on %s: %s\n",
				       cli_strategy_name(s),
				       krseq_arch_names[a], code_na(s, a));
		if (t.strategy[s].na)
			printf("n/a: %s, %lu op x size cells on %s (not "
			       "explored): %s\n",
			       cli_strategy_name(s), t.strategy[s].na, CLI_ARCH,
			       krseq_scheme_get(s)->why);
	}
	return 0;
}
