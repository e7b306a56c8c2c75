// SPDX-License-Identifier: MIT
/*
 * krseq bench: what every per-CPU op costs under every strategy, as a
 * ratio to UNSAFE measured in the same run (these machines are noisy:
 * absolute nanoseconds are not stable, ratios are), on the fast path and
 * on a machine with ticks, preemption and migration; and what one
 * interrupt costs through krseq's entry/exit, as a ratio to a bare signal.
 *
 * Strategies are interleaved within every repetition, so a slow moment of
 * the host lands on all of them alike.
 */
#include "bench.h"
#include "cli.h"

#include <krseq/percpu.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CMD "bench"

/* The registry's ops under --ops, wrapped before column 80. */
static void usage_ops(FILE *f)
{
	size_t col = 80;

	for (int op = 0; op < BENCH_NR_OPS; op++) {
		size_t w = strlen(bench_op_names[op]);

		if (col + 1 + w < 80) {
			fprintf(f, " %s", bench_op_names[op]);
			col += 1 + w;
		} else {
			fprintf(f, "%s%20s%s", op ? "\n" : "", "",
				bench_op_names[op]);
			col = 20 + w;
		}
	}
	fputc('\n', f);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: krseq bench [OPTIONS]\n\n"
		"Times every per-CPU op under every strategy of this arch, "
		"each a chain of\n"
		"dependent ops with the op inlined, and reports the median "
		"ns/op over the\n"
		"repetitions, its spread (min-max) and its ratio to UNSAFE "
		"(same op, size\n"
		"and run). Scenarios:\n"
		"  fast       one task on one CPU, no tick: the fast path\n"
		"  tick       --tasks tasks on --cpus CPUs, FULL preemption, "
		"the --tick-us tick\n"
		"             and the --migrate policy; ns/op is machine time: "
		"wall time x busy\n"
		"             CPUs / ops done\n"
		"  roundtrip  one interrupt through krseq's entry/exit with "
		"nothing to do\n"
		"             (1 CPU, 1 task, NONE), as a ratio to a bare "
		"signal delivery to\n"
		"             an empty handler (tgkill to self)\n\n"
		"  --ops LIST        comma-separated ops, or all (default):\n");
	usage_ops(f);
	fprintf(f,
		"  --strategy LIST   comma-separated strategies, or all "
		"(default); %s is\n"
		"                    always measured, as the reference\n"
		"  --size LIST       1, 2, 4, 8 (default) or all\n"
		"  --scenario LIST   fast, tick, roundtrip, or all (default)\n"
		"  --iterations N    ops per timed loop (default 1000000)\n"
		"  --reps N          repetitions (default 7)\n"
		"  --tick-us N       tick period of the tick scenario, 0 for "
		"none (default 1000)\n"
		"  --migrate POLICY  never, random (default) or always\n"
		"  --tasks N         tasks of the tick scenario (default 1)\n"
		"  --cpus N          CPUs of the tick scenario (default: "
		"--tasks, at most the\n"
		"                    host's, at least 2 with --migrate always)\n"
		"  --csv FILE        one row per measurement: strategy, op, "
		"size, scenario,\n"
		"                    median_ns, min_ns, max_ns, ratio\n"
		"  --plot FILE.svg   the ratios drawn by gnuplot\n"
		"  --json            one JSON object on stdout instead of the "
		"tables\n"
		"  --quiet           no progress line\n",
		cli_strategy_name(KRSEQ_PCP_UNSAFE));
}

static void progress(const struct bench_opts *o, const char *what,
		     unsigned long rep)
{
	if (o->quiet || o->json || !cli_on_terminal())
		return;
	fprintf(stderr, "\rbench: %-40s rep %lu/%lu", what, rep + 1, o->reps);
}

static void progress_done(const struct bench_opts *o)
{
	if (!o->quiet && !o->json && cli_on_terminal())
		fprintf(stderr, "\r%70s\r", "");
}

struct job {
	bench_loop_fn fn;
	unsigned long n;
	uint64_t t0, t1;
};

/* Times its own loop: creating and joining tasks is not the op's cost. */
static void *task_run(void *arg)
{
	struct job *j = arg;

	j->t0 = cli_now_ns();
	bench_sink += j->fn(j->n);
	j->t1 = cli_now_ns();
	return NULL;
}

static void stats_add(struct krseq_stats *acc, const struct krseq_stats *a,
		      const struct krseq_stats *b)
{
	for (int i = 0; i < KRSEQ_NR_IRQS; i++)
		acc->irqs[i] += b->irqs[i] - a->irqs[i];
	acc->preemptions += b->preemptions - a->preemptions;
	acc->migrations += b->migrations - a->migrations;
	acc->restarts += b->restarts - a->restarts;
	acc->fixups += b->fixups - a->fixups;
	acc->deferred_unsafe += b->deferred_unsafe - a->deferred_unsafe;
}

/*
 * One timed loop, in ns per op of machine time: on the tick scenario, from
 * the first task's start to the last one's end, times the CPUs kept busy,
 * over every op done.
 */
static double measure(struct bench_results *r, int sc, bench_loop_fn fn,
		      struct krseq_stats *acc)
{
	const struct bench_opts *o = r->o;
	unsigned long tasks = sc == BENCH_FAST ? 1 : o->tasks;
	unsigned long busy = tasks < r->cpus ? tasks : r->cpus;
	struct krseq_task *t[KRSEQ_MAX_TASKS];
	struct job j[KRSEQ_MAX_TASKS];
	struct krseq_stats a, b;
	uint64_t t0 = UINT64_MAX, t1 = 0;

	for (unsigned long i = 0; i < tasks; i++)
		j[i] = (struct job){ fn, o->iterations, 0, 0 };
	if (sc == BENCH_FAST) {
		task_run(&j[0]);
		return (double)(j[0].t1 - j[0].t0) / (double)o->iterations;
	}
	krseq_stats_get(&a);
	for (unsigned long i = 0; i < tasks; i++)
		t[i] = krseq_task_create(task_run, &j[i]);
	for (unsigned long i = 0; i < tasks; i++)
		if (t[i])
			krseq_task_join(t[i]);
	krseq_stats_get(&b);
	stats_add(acc, &a, &b);
	for (unsigned long i = 0; i < tasks; i++) {
		if (!t[i])
			return -1;
		t0 = j[i].t0 < t0 ? j[i].t0 : t0;
		t1 = j[i].t1 > t1 ? j[i].t1 : t1;
	}
	return (double)(t1 - t0) * (double)busy /
	       ((double)o->iterations * (double)tasks);
}

static int run_scenario(struct bench_results *r, int sc)
{
	const struct bench_opts *o = r->o;
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;

	if (sc == BENCH_FAST) {
		c.nr_cpus = 1;
		c.migrate = KRSEQ_MIGRATE_NEVER;
	} else {
		c.nr_cpus = (int)r->cpus;
		c.tick_us = (unsigned int)o->tick_us;
		c.migrate = o->migrate;
	}
	if (krseq_init(&c)) {
		fprintf(stderr, "krseq bench: %s\n", krseq_last_error());
		return 1;
	}
	/* Fault everything in before the clock starts. */
	for (int z = 0; z < BENCH_NR_SIZES; z++)
		for (int op = 0; op < BENCH_NR_OPS; op++)
			for (int s = 1; s < krseq_scheme_count(); s++)
				if (bench_measured(r, sc, z, s, op))
					bench_sink += bench_loop(s, op, z)(
						o->iterations < 10000 ?
							o->iterations :
							10000);
	for (unsigned long rep = 0; rep < o->reps; rep++)
		for (int z = 0; z < BENCH_NR_SIZES; z++)
			for (int op = 0; op < BENCH_NR_OPS; op++) {
				char what[64];

				if (!bench_measured(r, sc, z, KRSEQ_PCP_UNSAFE,
						    op))
					continue;
				snprintf(what, sizeof(what), "%s, %s size %d",
					 bench_scenario_names[sc],
					 bench_op_names[op], bench_sizes[z]);
				progress(o, what, rep);
				for (int i = 0; i < bench_nr_strategy_order;
				     i++) {
					int s = bench_strategy_order[i];
					double ns;

					if (!bench_measured(r, sc, z, s, op))
						continue;
					ns = measure(r, sc,
						     bench_loop(s, op, z),
						     &r->st[sc][s]);
					if (ns < 0) {
						progress_done(o);
						fprintf(stderr,
							"krseq bench: %s\n",
							krseq_last_error());
						krseq_exit();
						return 1;
					}
					bench_samples(r, sc, z, s, op)[rep] =
						ns;
				}
			}
	progress_done(o);
	krseq_exit();
	return 0;
}

static int run_roundtrip(struct bench_results *r)
{
	const struct bench_opts *o = r->o;
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;
	struct cli_bare_signal bare;
	struct krseq_stats a, b;
	pid_t pid = getpid();
	pid_t tid = (pid_t)syscall(SYS_gettid);
	int sig_ipi = SIGUSR1;

	/* Nothing to do at exit: no other task, no CPU to move to, and a
	 * model that never preempts at interrupt exit. */
	c.nr_cpus = 1;
	c.model = KRSEQ_PREEMPT_NONE;
	c.migrate = KRSEQ_MIGRATE_NEVER;
	c.sig_ipi = sig_ipi;
	if (krseq_init(&c)) {
		fprintf(stderr, "krseq bench: %s\n", krseq_last_error());
		return 1;
	}
	if (cli_bare_signal_open(&bare)) {
		fprintf(stderr, "krseq bench: no spare real-time signal for "
				"the bare delivery\n");
		krseq_exit();
		return 1;
	}
	r->rt_sig = bare.sig;

	krseq_stats_get(&a);
	for (unsigned long rep = 0; rep < o->reps; rep++) {
		progress(o, "interrupt round trip", rep);
		r->rt[RT_BARE * o->reps + rep] =
			cli_bare_signal_ns(&bare, r->rt_n);
		for (int k = RT_BARE + 1; k < BENCH_NR_RT; k++) {
			uint64_t t0 = cli_now_ns(), t1;

			for (unsigned long i = 0; i < r->rt_n; i++) {
				switch (k) {
				case RT_ENTRY_EXIT:
					syscall(SYS_tgkill, pid, tid, sig_ipi);
					break;
				default:
					krseq_raise(KRSEQ_IRQ_IPI);
					break;
				}
			}
			t1 = cli_now_ns();
			r->rt[k * o->reps + rep] =
				(double)(t1 - t0) / (double)r->rt_n;
		}
	}
	krseq_stats_get(&b);
	progress_done(o);
	r->rt_ok = b.irqs[KRSEQ_IRQ_IPI] - a.irqs[KRSEQ_IRQ_IPI] ==
			   2 * r->rt_n * o->reps &&
		   b.preemptions == a.preemptions;
	cli_bare_signal_close(&bare);
	krseq_exit();
	return 0;
}

static int host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > KRSEQ_MAX_CPUS ? KRSEQ_MAX_CPUS : (int)n;
}

int cli_bench(int argc, char **argv)
{
	static const struct cli_names op_names = { bench_op_names, BENCH_NR_OPS,
						   0 };
	static const struct cli_names migrate_names = { bench_migrate_names, 3,
							0 };
	char sizes[BENCH_NR_SIZES][4];
	const char *size_names[BENCH_NR_SIZES];
	const char *scenario_names[BENCH_NR_SCENARIOS + 1];
	const struct cli_names sizes_n = { size_names, BENCH_NR_SIZES, 0 },
			       scenarios_n = { scenario_names,
					       BENCH_NR_SCENARIOS + 1, 0 };
	struct bench_opts o = {
		.iterations = 1000000,
		.reps = 7,
		.tick_us = 1000,
		.tasks = 1,
	};
	unsigned int scenarios = 0;
	int migrate = KRSEQ_MIGRATE_RANDOM;
	const struct cli_opt opts[] = {
		CLI_OPT_LIST("--ops", &o.ops, &op_names),
		CLI_OPT_LIST("--strategy", &o.strategies, &cli_strategies_here),
		CLI_OPT_LIST("--size", &o.sizes, &sizes_n),
		CLI_OPT_LIST("--scenario", &scenarios, &scenarios_n),
		CLI_OPT_NUMBER("--iterations", &o.iterations, 1,
			       1000000000000ul),
		CLI_OPT_NUMBER("--reps", &o.reps, 1, 1000),
		CLI_OPT_NUMBER("--tick-us", &o.tick_us, 0, 10000000),
		CLI_OPT_CHOICE("--migrate", &migrate, &migrate_names),
		CLI_OPT_NUMBER("--tasks", &o.tasks, 1, KRSEQ_MAX_TASKS / 2),
		CLI_OPT_NUMBER("--cpus", &o.cpus, 1, KRSEQ_MAX_CPUS),
		CLI_OPT_OUTPUT("--csv", &o.csv),
		CLI_OPT_OUTPUT("--plot", &o.plot),
		CLI_OPT_FLAG("--json", &o.json),
		CLI_OPT_FLAG("--quiet", &o.quiet),
		CLI_OPT_END,
	};
	struct bench_results r = { .o = &o };
	int err;

	for (int z = 0; z < BENCH_NR_SIZES; z++) {
		snprintf(sizes[z], sizeof(sizes[z]), "%d", bench_sizes[z]);
		size_names[z] = sizes[z];
	}
	for (int sc = 0; sc < BENCH_NR_SCENARIOS; sc++)
		scenario_names[sc] = bench_scenario_names[sc];
	scenario_names[BENCH_NR_SCENARIOS] = "roundtrip";
	bench_order_strategies();
	err = cli_parse(CMD, argc, argv, opts, usage);
	if (err >= 0)
		return err;
	o.migrate = (enum krseq_migrate)migrate;
	if (!o.ops)
		o.ops = cli_names_all(&op_names);
	if (!o.strategies)
		o.strategies = cli_names_all(&cli_strategies_here);
	if (!o.sizes)
		o.sizes = 1u << 3; /* 8 bytes */
	if (!scenarios)
		scenarios = cli_names_all(&scenarios_n);
	o.roundtrip = scenarios & (1u << BENCH_NR_SCENARIOS);
	o.scenarios = scenarios & ((1u << BENCH_NR_SCENARIOS) - 1);
	if (o.migrate == KRSEQ_MIGRATE_ALWAYS && o.cpus == 1)
		return cli_usage_error(CMD, "--migrate always needs at least "
					    "2 CPUs (--cpus)");
	if (o.plot.path &&
	    (!o.scenarios || !(o.strategies & ~(1u << KRSEQ_PCP_UNSAFE))))
		return cli_usage_error(CMD,
				       "--plot: nothing to draw (no strategy "
				       "but %s, or no fast/tick scenario)",
				       cli_strategy_name(KRSEQ_PCP_UNSAFE));
	if (o.plot.path && !bench_have_gnuplot()) {
		fprintf(stderr,
			"krseq bench: --plot needs gnuplot, which is not "
			"installed (scripts/setup.sh installs gnuplot-nox)\n");
		return 1;
	}
	/* The reference is always measured. */
	o.strategies |= 1u << KRSEQ_PCP_UNSAFE;
	r.cpus = o.cpus;
	if (!r.cpus) {
		r.cpus = o.tasks < (unsigned long)host_cpus() ?
				 o.tasks :
				 (unsigned long)host_cpus();
		if (o.migrate == KRSEQ_MIGRATE_ALWAYS && r.cpus < 2)
			r.cpus = 2;
	}
	r.ns = calloc((size_t)BENCH_NR_SCENARIOS * BENCH_NR_SIZES *
			      KRSEQ_MAX_SCHEMES * BENCH_NR_OPS * o.reps,
		      sizeof(double));
	r.rt_n = o.iterations / 50;
	r.rt_n = r.rt_n < 100 ? 100 : r.rt_n > 100000 ? 100000 : r.rt_n;
	r.rt = calloc((size_t)BENCH_NR_RT * o.reps, sizeof(double));
	if (!r.ns || !r.rt) {
		fprintf(stderr, "krseq bench: out of memory\n");
		free(r.ns);
		free(r.rt);
		return 1;
	}
	/* Before the work: a file that cannot be written fails at once. */
	err = cli_open_outputs(CMD, opts);
	if (err >= 0)
		goto out;
	err = 0;

	for (int sc = 0; sc < BENCH_NR_SCENARIOS && !err; sc++)
		if (o.scenarios & (1u << sc))
			err = run_scenario(&r, sc);
	if (!err && o.roundtrip)
		err = run_roundtrip(&r);
	if (!err) {
		if (o.json)
			bench_print_json(&r);
		else
			bench_print_table(&r);
		if (o.csv.f && bench_write_csv(&r, o.csv.f))
			err = 1;
		if (o.plot.f && bench_write_plot(&r, &o.plot))
			err = 1;
	}
	if (!cli_close_output(CMD, &o.csv))
		err = 1;
	if (!cli_close_output(CMD, &o.plot))
		err = 1;
out:
	free(r.ns);
	free(r.rt);
	return err;
}
