// SPDX-License-Identifier: MIT
/* krseq bench: the tables, the CSV, the JSON and the gnuplot drawing. */
#include "bench.h"
#include "cli.h"

#include <krseq/percpu.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct cli_stat stat_at(const struct bench_results *r, int sc, int z,
			       int s, int op)
{
	return cli_stat_of(bench_samples(r, sc, z, s, op), r->o->reps);
}

static double ratio_at(const struct bench_results *r, int sc, int z, int s,
		       int op)
{
	double u = stat_at(r, sc, z, KRSEQ_PCP_UNSAFE, op).median;

	return u > 0 ? stat_at(r, sc, z, s, op).median / u : 0;
}

static int col_width(int s)
{
	int w = (int)strlen(cli_strategy_name(s));

	return (w < 11 ? 11 : w) + 1;
}

static void scenario_title(const struct bench_results *r, int sc, int z)
{
	const struct bench_opts *o = r->o;
	char tick[32] = "no tick";

	if (o->tick_us)
		snprintf(tick, sizeof(tick), "tick %lu us", o->tick_us);
	if (sc == BENCH_FAST)
		printf("fast path: 1 task on 1 CPU, no tick");
	else
		printf("tick: %lu task%s on %lu CPU%s, FULL, %s, migration %s",
		       o->tasks, o->tasks == 1 ? "" : "s", r->cpus,
		       r->cpus == 1 ? "" : "s", tick,
		       bench_migrate_names[o->migrate]);
	printf("; size %d; median of %lu x %lu ops\n", bench_sizes[z], o->reps,
	       o->iterations);
}

static void header(const struct bench_results *r, const char *first)
{
	printf("%-12s", first);
	for (int i = 0; i < bench_nr_strategy_order; i++) {
		int s = bench_strategy_order[i];

		if (r->o->strategies & (1u << s))
			printf("%*s", col_width(s), cli_strategy_name(s));
	}
	printf("\n");
}

/* A measured cell of a block's table, as its text. */
typedef void (*bench_cell_fn)(const struct bench_results *r, int sc, int z,
			      int s, int op, char *cell, size_t len);

static void ratio_cell(const struct bench_results *r, int sc, int z, int s,
		       int op, char *cell, size_t len)
{
	snprintf(cell, len, "%.2f", ratio_at(r, sc, z, s, op));
}

static void ns_cell(const struct bench_results *r, int sc, int z, int s, int op,
		    char *cell, size_t len)
{
	struct cli_stat st = stat_at(r, sc, z, s, op);

	snprintf(cell, len, "%.2f %3.0f%%", st.median,
		 st.median > 0 ? 100 * (st.max - st.min) / st.median : 0);
}

/* One row an op, one column a strategy; n/a where it was not measured. */
static void print_table(const struct bench_results *r, int sc, int z,
			const char *first, bench_cell_fn cell_of)
{
	const struct bench_opts *o = r->o;

	header(r, first);
	for (int op = 0; op < BENCH_NR_OPS; op++) {
		if (!(o->ops & (1u << op)))
			continue;
		printf("%-12s", bench_op_names[op]);
		for (int i = 0; i < bench_nr_strategy_order; i++) {
			int s = bench_strategy_order[i];
			char cell[32] = "n/a";

			if (!(o->strategies & (1u << s)))
				continue;
			if (bench_measured(r, sc, z, s, op))
				cell_of(r, sc, z, s, op, cell, sizeof(cell));
			printf(" %*s", col_width(s) - 1, cell);
		}
		printf("\n");
	}
}

static void print_block(const struct bench_results *r, int sc, int z)
{
	const struct bench_opts *o = r->o;

	scenario_title(r, sc, z);
	print_table(r, sc, z, "ratio", ratio_cell);
	print_table(r, sc, z, "ns/op", ns_cell);
	printf("(ns/op: median, then the spread (max - min) / median)\n");
	for (int i = 0; i < bench_nr_strategy_order; i++) {
		int s = bench_strategy_order[i];

		if ((o->strategies & (1u << s)) && !bench_loop(s, BOP_add, z))
			printf("n/a: %s at %d bytes on %s: %s\n",
			       cli_strategy_name(s), bench_sizes[z], CLI_ARCH,
			       krseq_scheme_get(s)->why);
	}
	printf("\n");
}

static void print_machine(const struct bench_results *r)
{
	printf("what the tick scenario's machine did, all reps:\n");
	printf("%-14s %9s %11s %10s %9s %8s\n", "strategy", "ticks",
	       "preemptions", "migrations", "restarts", "fix-ups");
	for (int i = 0; i < bench_nr_strategy_order; i++) {
		int s = bench_strategy_order[i];
		const struct krseq_stats *st = &r->st[BENCH_TICK][s];

		if (!(r->o->strategies & (1u << s)))
			continue;
		printf("%-14s %9lu %11lu %10lu %9lu %8lu\n",
		       cli_strategy_name(s),
		       (unsigned long)st->irqs[KRSEQ_IRQ_TICK],
		       (unsigned long)st->preemptions,
		       (unsigned long)st->migrations,
		       (unsigned long)st->restarts, (unsigned long)st->fixups);
	}
	printf("\n");
}

static struct cli_stat rt_stat(const struct bench_results *r, int k)
{
	return cli_stat_of(r->rt + (size_t)k * r->o->reps, r->o->reps);
}

static void print_roundtrip(const struct bench_results *r)
{
	static const char *const what[BENCH_NR_RT] = {
		"bare signal (tgkill, empty handler)",
		"krseq entry/exit (tgkill of the IPI)",
		"krseq_raise(KRSEQ_IRQ_IPI)",
	};
	double bare = rt_stat(r, RT_BARE).median;

	printf("interrupt round trip: 1 CPU, 1 task, NONE (nothing to do, no "
	       "preemption);\nmedian of %lu x %lu signals; bare on SIGRTMIN+%d, "
	       "the IPI on SIGUSR1\n",
	       r->o->reps, r->rt_n, r->rt_sig - SIGRTMIN);
	printf("%-38s %9s %9s %9s %7s\n", "", "median ns", "min", "max",
	       "ratio");
	for (int k = 0; k < BENCH_NR_RT; k++) {
		struct cli_stat st = rt_stat(r, k);

		printf("%-38s %9.0f %9.0f %9.0f %7.2f\n", what[k], st.median,
		       st.min, st.max, bare > 0 ? st.median / bare : 0);
	}
	if (!r->rt_ok)
		printf("warning: not every IPI went through entry/exit, or "
		       "one preempted\n");
	printf("\n");
}

/* " s/base ratio" of this_cpu_add at size index z on the fast path. */
static void summary_ratio(const struct bench_results *r, int z, const char *sep,
			  int s, int base)
{
	double x = ratio_at(r, BENCH_FAST, z, s, BOP_add);

	if (base != KRSEQ_PCP_UNSAFE)
		x /= ratio_at(r, BENCH_FAST, z, base, BOP_add);
	printf("%s %s/%s %.2f", sep, cli_strategy_name(s),
	       cli_strategy_name(base), x);
}

/* The headline figures, when they were measured. */
static void print_summary(const struct bench_results *r)
{
	const struct bench_opts *o = r->o;
	int z = 3;

	if (!(o->scenarios & (1u << BENCH_FAST)) || !(o->sizes & (1u << z)) ||
	    !(o->ops & (1u << BOP_add)))
		return;
	printf("this_cpu_add, size 8, fast path:");
	if (o->strategies & (1u << KRSEQ_PCP_RESTART))
		summary_ratio(r, z, "", KRSEQ_PCP_RESTART, KRSEQ_PCP_UNSAFE);
	if (o->strategies & (1u << KRSEQ_PCP_SEGMENT))
		summary_ratio(r, z, ",", KRSEQ_PCP_SEGMENT, KRSEQ_PCP_UNSAFE);
	if ((o->strategies & (1u << KRSEQ_PCP_RESTART)) &&
	    (o->strategies & (1u << KRSEQ_PCP_ATOMIC)))
		summary_ratio(r, z, ",", KRSEQ_PCP_ATOMIC, KRSEQ_PCP_RESTART);
	if (o->strategies & (1u << KRSEQ_PCP_PREEMPT))
		summary_ratio(r, z, ",", KRSEQ_PCP_PREEMPT, KRSEQ_PCP_UNSAFE);
	if (o->strategies & (1u << KRSEQ_PCP_IRQ))
		summary_ratio(r, z, ",", KRSEQ_PCP_IRQ, KRSEQ_PCP_UNSAFE);
	printf("\n");
}

void bench_print_table(const struct bench_results *r)
{
	const struct bench_opts *o = r->o;

	printf("krseq bench on %s: ratio to %s, same op, size and run\n\n",
	       CLI_ARCH, cli_strategy_name(KRSEQ_PCP_UNSAFE));
	for (int sc = 0; sc < BENCH_NR_SCENARIOS; sc++) {
		if (!(o->scenarios & (1u << sc)))
			continue;
		for (int z = 0; z < BENCH_NR_SIZES; z++)
			if (o->sizes & (1u << z))
				print_block(r, sc, z);
		if (sc == BENCH_TICK)
			print_machine(r);
	}
	if (o->roundtrip)
		print_roundtrip(r);
	print_summary(r);
}

/* Calls row() for every measurement, the round trip last. */
static void for_each_row(const struct bench_results *r,
			 void (*row)(void *arg, const char *strategy,
				     const char *op, int size,
				     const char *scenario,
				     const struct cli_stat *st, double ratio),
			 void *arg)
{
	const struct bench_opts *o = r->o;

	for (int sc = 0; sc < BENCH_NR_SCENARIOS; sc++)
		for (int z = 0; z < BENCH_NR_SIZES; z++)
			for (int op = 0; op < BENCH_NR_OPS; op++)
				for (int i = 0; i < bench_nr_strategy_order;
				     i++) {
					int s = bench_strategy_order[i];
					struct cli_stat st;

					if (!bench_measured(r, sc, z, s, op))
						continue;
					st = stat_at(r, sc, z, s, op);
					row(arg, cli_strategy_name(s),
					    bench_op_names[op], bench_sizes[z],
					    bench_scenario_names[sc], &st,
					    ratio_at(r, sc, z, s, op));
				}
	if (o->roundtrip) {
		double bare = rt_stat(r, RT_BARE).median;

		for (int k = 0; k < BENCH_NR_RT; k++) {
			struct cli_stat st = rt_stat(r, k);

			row(arg, k == RT_BARE ? "bare" : "krseq",
			    bench_rt_names[k], 0, "roundtrip", &st,
			    bare > 0 ? st.median / bare : 0);
		}
	}
}

static void csv_row(void *arg, const char *strategy, const char *op, int size,
		    const char *scenario, const struct cli_stat *st,
		    double ratio)
{
	fprintf(arg, "%s,%s,%d,%s,%.3f,%.3f,%.3f,%.4f\n", strategy, op, size,
		scenario, st->median, st->min, st->max, ratio);
}

int bench_write_csv(const struct bench_results *r, FILE *f)
{
	fprintf(f, "strategy,op,size,scenario,median_ns,min_ns,max_ns,ratio\n");
	for_each_row(r, csv_row, f);
	return 0;
}

static void json_row(void *arg, const char *strategy, const char *op, int size,
		     const char *scenario, const struct cli_stat *st,
		     double ratio)
{
	struct json *j = arg;

	json_open(j, '{');
	json_key(j, "strategy");
	json_string(j, strategy);
	json_key(j, "op");
	json_string(j, op);
	json_key(j, "size");
	json_int(j, size);
	json_key(j, "scenario");
	json_string(j, scenario);
	json_key(j, "median_ns");
	json_double(j, st->median, 3);
	json_key(j, "min_ns");
	json_double(j, st->min, 3);
	json_key(j, "max_ns");
	json_double(j, st->max, 3);
	json_key(j, "ratio");
	json_double(j, ratio, 4);
	json_close(j, '}');
}

void bench_print_json(const struct bench_results *r)
{
	const struct bench_opts *o = r->o;
	struct json j;

	json_init(&j, stdout);
	json_open(&j, '{');
	json_key(&j, "arch");
	json_string(&j, CLI_ARCH);
	json_key(&j, "iterations");
	json_ulong(&j, o->iterations);
	json_key(&j, "reps");
	json_ulong(&j, o->reps);
	json_key(&j, "tick_us");
	json_ulong(&j, o->tick_us);
	json_key(&j, "migrate");
	json_string(&j, bench_migrate_names[o->migrate]);
	json_key(&j, "tasks");
	json_ulong(&j, o->tasks);
	json_key(&j, "cpus");
	json_ulong(&j, r->cpus);
	json_key(&j, "results");
	json_open(&j, '[');
	for_each_row(r, json_row, &j);
	json_close(&j, ']');
	/* The cells asked for that this arch has no sequence for. */
	json_key(&j, "na");
	json_open(&j, '[');
	for (int z = 0; z < BENCH_NR_SIZES; z++)
		for (int i = 0; i < bench_nr_strategy_order; i++) {
			int s = bench_strategy_order[i];

			if (!(o->strategies & (1u << s)) ||
			    !(o->sizes & (1u << z)) ||
			    bench_loop(s, BOP_add, z))
				continue;
			json_open(&j, '{');
			json_key(&j, "strategy");
			json_string(&j, cli_strategy_name(s));
			json_key(&j, "size");
			json_int(&j, bench_sizes[z]);
			json_key(&j, "why");
			json_string(&j, krseq_scheme_get(s)->why);
			json_close(&j, '}');
		}
	json_close(&j, ']');
	json_close(&j, '}');
}

bool bench_have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char buf[4096], *save = NULL, *dir;

	if (!path)
		return false;
	snprintf(buf, sizeof(buf), "%s", path);
	for (dir = strtok_r(buf, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		char exe[4200];

		snprintf(exe, sizeof(exe), "%s/gnuplot", *dir ? dir : ".");
		if (!access(exe, X_OK))
			return true;
	}
	return false;
}

/* gnuplot's complaints, each line under ours. */
static void gp_errors(FILE *err)
{
	char line[512];

	rewind(err);
	while (fgets(line, sizeof(line), err))
		if (line[strspn(line, " \t\n")])
			fprintf(stderr, "  gnuplot: %s%s", line,
				strchr(line, '\n') ? "" : "\n");
}

/*
 * One panel per scenario x size: clustered bars, ops along x. gnuplot
 * reads the script from a temporary file and writes the SVG on its
 * stdout, which is the file --plot opened: it never needs the path.
 */
int bench_write_plot(const struct bench_results *r,
		     const struct cli_output *svg)
{
	const struct bench_opts *o = r->o;
	int panels = 0, nstrat = 0, nops = 0, status;
	char *argv[] = { "gnuplot", NULL };
	FILE *gp, *err;

	for (int sc = 0; sc < BENCH_NR_SCENARIOS; sc++)
		for (int z = 0; z < BENCH_NR_SIZES; z++)
			if ((o->scenarios & (1u << sc)) &&
			    (o->sizes & (1u << z)))
				panels++;
	for (int i = 1; i < bench_nr_strategy_order; i++)
		if (o->strategies & (1u << bench_strategy_order[i]))
			nstrat++;
	for (int op = 0; op < BENCH_NR_OPS; op++)
		nops += !!(o->ops & (1u << op));
	gp = tmpfile();
	err = tmpfile();
	if (!gp || !err) {
		fprintf(stderr, "krseq bench: --plot: no temporary file: %s\n",
			strerror(errno));
		if (gp)
			fclose(gp);
		return 1;
	}
	fprintf(gp, "set terminal svg size %d,%d dynamic font 'sans,11'\n",
		nops > 8 ? 1100 : 800, 340 * panels + 40);
	fprintf(gp,
		"set multiplot layout %d,1 title 'krseq bench (%s): "
		"median ns/op as a ratio to %s'\n",
		panels, CLI_ARCH, cli_strategy_name(KRSEQ_PCP_UNSAFE));
	fprintf(gp,
		"set style data histograms\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\n"
		"set logscale y 2\nset grid ytics\n"
		"set ylabel 'ratio to %s'\n"
		"set xtics rotate by -30 nomirror\n"
		"set key outside right top vertical\n"
		"set arrow 1 from graph 0, first 1 to graph 1, first 1 "
		"nohead dt 2 lw 1.5 front\n",
		cli_strategy_name(KRSEQ_PCP_UNSAFE));
	for (int sc = 0; sc < BENCH_NR_SCENARIOS; sc++)
		for (int z = 0; z < BENCH_NR_SIZES; z++) {
			if (!(o->scenarios & (1u << sc)) ||
			    !(o->sizes & (1u << z)))
				continue;
			fprintf(gp, "$d << EOD\nop");
			for (int i = 1; i < bench_nr_strategy_order; i++) {
				int s = bench_strategy_order[i];

				if (o->strategies & (1u << s))
					fprintf(gp, " %s",
						cli_strategy_name(s));
			}
			fprintf(gp, "\n");
			for (int op = 0; op < BENCH_NR_OPS; op++) {
				if (!(o->ops & (1u << op)))
					continue;
				fprintf(gp, "%s", bench_op_names[op]);
				for (int i = 1; i < bench_nr_strategy_order;
				     i++) {
					int s = bench_strategy_order[i];

					if (o->strategies & (1u << s))
						fprintf(gp, " %.4f",
							ratio_at(r, sc, z, s,
								 op));
				}
				fprintf(gp, "\n");
			}
			fprintf(gp, "EOD\nset title '%s, size %d'\n",
				sc == BENCH_FAST ?
					"fast path (1 task, 1 CPU, no tick)" :
					"tick scenario",
				bench_sizes[z]);
			fprintf(gp,
				"plot for [i=2:%d] $d using i:xtic(1) "
				"title columnheader(i)\n",
				nstrat + 1);
		}
	fprintf(gp, "unset multiplot\n");
	fflush(svg->f);
	if (fflush(gp) || fseek(gp, 0, SEEK_SET)) {
		status = -1;
	} else {
		status = cli_run(argv, fileno(gp), fileno(svg->f), fileno(err));
	}
	if (status) {
		fprintf(stderr,
			"krseq bench: --plot: gnuplot failed drawing '%s' "
			"(exit status %d)\n",
			svg->path, status);
		gp_errors(err);
	}
	fclose(gp);
	fclose(err);
	return status ? 1 : 0;
}
