/* SPDX-License-Identifier: MIT */
/* krseq bench: between the driver, the generated loops and the reports. */
#ifndef KRSEQ_CLI_BENCH_H
#define KRSEQ_CLI_BENCH_H

#include "opts.h"

#include <krseq/krseq.h>
#include <krseq/scheme.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

/* Every op of <krseq/percpu.h> but the 16-byte cmpxchg: the registry's. */
#define BENCH_OP_ENUM(op, OP) BOP_##op = KRSEQ_OP_##OP,
enum bench_op {
	KRSEQ_FOR_EACH_OP(BENCH_OP_ENUM) BENCH_NR_OPS
};
#undef BENCH_OP_ENUM

#define BENCH_NR_SIZES 4 /* 1, 2, 4, 8 bytes */

enum bench_scenario {
	BENCH_FAST, /* one task, one CPU, no tick: the fast path */
	BENCH_TICK, /* the user's tick, migration policy and tasks */
	BENCH_NR_SCENARIOS
};

/* The interrupt round trip, each a ratio to the first. */
enum bench_rt {
	RT_BARE, /* tgkill to self, empty handler on a spare RT signal */
	RT_ENTRY_EXIT, /* tgkill of the IPI signal: krseq's entry/exit */
	RT_RAISE, /* krseq_raise(KRSEQ_IRQ_IPI), the API */
	BENCH_NR_RT
};

/* N dependent ops; the result keeps them observable. */
typedef uint64_t (*bench_loop_fn)(unsigned long n);

struct bench_opts {
	unsigned int ops; /* bit per enum bench_op */
	unsigned int strategies; /* bit per KRSEQ_PCP_*; UNSAFE always */
	unsigned int sizes; /* bit per size index */
	unsigned int scenarios; /* bit per enum bench_scenario */
	unsigned long iterations, reps, tick_us, tasks, cpus;
	enum krseq_migrate migrate;
	struct cli_output csv, plot;
	bool json, quiet, roundtrip;
};

struct bench_results {
	const struct bench_opts *o;
	/* ns/op, [scenario][size][strategy][op][rep] */
	double *ns;
	/* What the machine did during each strategy's loops. */
	struct krseq_stats st[BENCH_NR_SCENARIOS][KRSEQ_MAX_SCHEMES];
	unsigned long cpus; /* of the tick scenario */
	/* ns per round trip, [kind][rep] */
	double *rt;
	unsigned long rt_n;
	int rt_sig;
	bool rt_ok; /* every IPI went through entry/exit */
};

/* bench_results.c: the names, the order and the layout of the results. */
extern const char *const bench_op_names[BENCH_NR_OPS];
extern const int bench_sizes[BENCH_NR_SIZES];
extern const char *const bench_scenario_names[BENCH_NR_SCENARIOS];
extern const char *const bench_migrate_names[3];
extern const char *const bench_rt_names[BENCH_NR_RT];
/* Table order: the reference first. */
extern int bench_strategy_order[KRSEQ_MAX_SCHEMES];
extern int bench_nr_strategy_order;
void bench_order_strategies(void);

double *bench_samples(const struct bench_results *r, int sc, int z, int s,
		      int op);
bool bench_measured(const struct bench_results *r, int sc, int z, int s,
		    int op);

/* bench_loops.c */
bench_loop_fn bench_loop(int strategy, enum bench_op op, int size_index);
/* Where the generated loops leave their results. */
extern volatile uint64_t bench_sink;

/* bench_report.c */
void bench_print_table(const struct bench_results *r);
void bench_print_json(const struct bench_results *r);
/* Into the files that --csv and --plot opened; 1 after a message. */
int bench_write_csv(const struct bench_results *r, FILE *f);
bool bench_have_gnuplot(void);
int bench_write_plot(const struct bench_results *r,
		     const struct cli_output *svg);

#endif
