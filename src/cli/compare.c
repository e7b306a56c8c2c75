// SPDX-License-Identifier: MIT
/*
 * krseq compare: the seed of the LKML thread, foo() { return
 * this_cpu_add_return(bar, val); }, under every strategy side by side:
 * correct or not (the explorer's verdict on this arch, in the placement
 * asked for), its cost as a ratio to UNSAFE measured in this run, and its
 * code on every codegen target in the ABI asked for.
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
static bool seed_on(int s, enum krseq_arch arch)
{
	return krseq_scheme_has(s, arch, 8);
}

/*
 * Why a scheme has no foo() on arch, or NULL when codegen compiles it:
 * codegen compiles the registry's rows only, not a loaded scheme's.
 */
static const char *code_na(int s, enum krseq_arch arch)
{
	if (s < KRSEQ_NR_SCHEMES)
		return seed_on(s, arch) ? NULL : krseq_scheme_get(s)->why;
	if (!seed_on(s, arch))
		return arch == KRSEQ_ARCH_HERE ?
			       krseq_scheme_get(s)->why :
			       "registered at run time, on this arch only";
	return "registered at run time: codegen compiles the registry's "
	       "rows only";
}

/*
 * What one scheme's row shows: the explorer's, the clock's and codegen's.
 * A scheme with no sequence on this arch (here false) is neither explored
 * nor timed, but its code on the other targets is shown.
 */
struct compare_row {
	int s;
	unsigned long violations, runs, na_cells;
	/* depth 2, if explored (depth2 false: --depth 1) */
	bool depth2;
	unsigned long violations2, runs2;
	/* its mutants, if run (total 0: none, or --no-mutants) */
	int killed, mutants;
	bool here, timed;
	double ns, ratio;
	struct cli_codegen code[CLI_NR_CODEGEN_TARGETS];
	const char *na[CLI_NR_CODEGEN_TARGETS]; /* code_na(), NULL: compiled */
};

/*
 * A column of the table: its title and width (negative: left-aligned, as
 * printf takes it), its cell, and what it adds to the row's JSON object. A
 * per_target column is one cell per codegen target, titled by the target.
 * Adding a column is one entry of columns[] and its two functions.
 */
struct compare_col {
	const char *title;
	int width;
	bool per_target;
	void (*cell)(const struct compare_row *r, int target, char *buf,
		     size_t size);
	void (*json)(struct json *j, const struct compare_row *r);
};

static void name_cell(const struct compare_row *r, int target, char *buf,
		      size_t size)
{
	(void)target;
	snprintf(buf, size, "%s", cli_strategy_name(r->s));
}

static void name_json(struct json *j, const struct compare_row *r)
{
	json_key(j, "name");
	json_string(j, cli_strategy_name(r->s));
	json_key(j, "registered");
	json_bool(j, r->s >= KRSEQ_NR_SCHEMES);
	json_key(j, "here");
	json_bool(j, r->here);
	if (!r->here) {
		json_key(j, "na_here");
		json_string(j, krseq_scheme_get(r->s)->why);
	}
}

static void correct_cell(const struct compare_row *r, int target, char *buf,
			 size_t size)
{
	(void)target;
	snprintf(buf, size, "%s",
		 !r->here      ? "n/a" :
		 r->violations ? "no" :
				 "yes");
}

static void correct_json(struct json *j, const struct compare_row *r)
{
	if (!r->here)
		return;
	json_key(j, "correct");
	json_bool(j, !r->violations);
}

static void violations_cell(const struct compare_row *r, int target, char *buf,
			    size_t size)
{
	(void)target;
	if (r->here)
		snprintf(buf, size, "%lu", r->violations);
	else
		snprintf(buf, size, "n/a");
}

static void violations_json(struct json *j, const struct compare_row *r)
{
	if (!r->here)
		return;
	json_key(j, "violations");
	json_ulong(j, r->violations);
	json_key(j, "runs");
	json_ulong(j, r->runs);
	json_key(j, "na_cells");
	json_ulong(j, r->na_cells);
}

static void depth2_cell(const struct compare_row *r, int target, char *buf,
			size_t size)
{
	(void)target;
	snprintf(buf, size, "%s",
		 !r->here	? "n/a" :
		 !r->depth2	? "-" :
		 r->violations2 ? "no" :
				  "yes");
}

static void depth2_json(struct json *j, const struct compare_row *r)
{
	if (!r->here || !r->depth2)
		return;
	json_key(j, "depth2");
	json_open(j, '{');
	json_key(j, "correct");
	json_bool(j, !r->violations2);
	json_key(j, "violations");
	json_ulong(j, r->violations2);
	json_key(j, "runs");
	json_ulong(j, r->runs2);
	json_close(j, '}');
}

static void mutants_cell(const struct compare_row *r, int target, char *buf,
			 size_t size)
{
	(void)target;
	if (r->mutants)
		snprintf(buf, size, "%d/%d", r->killed, r->mutants);
	else
		snprintf(buf, size, "-");
}

static void mutants_json(struct json *j, const struct compare_row *r)
{
	if (!r->mutants)
		return;
	json_key(j, "mutants");
	json_open(j, '{');
	json_key(j, "killed");
	json_int(j, r->killed);
	json_key(j, "total");
	json_int(j, r->mutants);
	json_close(j, '}');
}

static void ns_cell(const struct compare_row *r, int target, char *buf,
		    size_t size)
{
	(void)target;
	if (r->timed)
		snprintf(buf, size, "%.2f", r->ns);
	else
		snprintf(buf, size, "n/a");
}

static void ns_json(struct json *j, const struct compare_row *r)
{
	if (!r->here)
		return;
	json_key(j, "ns");
	json_double(j, r->ns, 3);
}

static void ratio_cell(const struct compare_row *r, int target, char *buf,
		       size_t size)
{
	(void)target;
	if (r->timed)
		snprintf(buf, size, "%.2f", r->ratio);
	else
		snprintf(buf, size, "n/a");
}

static void ratio_json(struct json *j, const struct compare_row *r)
{
	if (!r->here)
		return;
	json_key(j, "ratio");
	json_double(j, r->ratio, 3);
}

static void code_cell(const struct compare_row *r, int target, char *buf,
		      size_t size)
{
	const struct cli_codegen *c = &r->code[target];

	if (c->ok)
		snprintf(buf, size, "%d/%dB", c->insns, c->bytes);
	else
		snprintf(buf, size, "n/a");
}

/* insns and bytes by target where compiled, na by target with the reason. */
static void code_json(struct json *j, const struct compare_row *r)
{
	for (int k = 0; k < 3; k++) {
		json_key(j, k == 0 ? "insns" : k == 1 ? "bytes" : "na");
		json_open(j, '{');
		for (int t = 0; t < CLI_NR_CODEGEN_TARGETS; t++) {
			const struct cli_codegen *c = &r->code[t];

			if (k == 2 ? !r->na[t] : !c->ok)
				continue;
			json_key(j, cli_codegen_targets[t].name);
			if (k == 2)
				json_string(j, r->na[t]);
			else
				json_int(j, k ? c->bytes : c->insns);
		}
		json_close(j, '}');
	}
}

static const struct compare_col columns[] = {
	{ "strategy", -14, false, name_cell, name_json },
	{ "correct", -9, false, correct_cell, correct_json },
	{ "violations", 10, false, violations_cell, violations_json },
	{ "depth2", -7, false, depth2_cell, depth2_json },
	{ "mutants", -8, false, mutants_cell, mutants_json },
	{ "ns", 7, false, ns_cell, ns_json },
	{ "ratio", 8, false, ratio_cell, ratio_json },
	{ NULL, -12, true, code_cell, code_json },
};
#define NR_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

/* One line of the table: the titles (r NULL) or r's cells. */
static void table_line(const struct compare_row *r)
{
	char line[512], cell[64];
	size_t len = 0;

	for (int c = 0; c < NR_COLUMNS; c++) {
		const struct compare_col *col = &columns[c];
		int n = col->per_target ? CLI_NR_CODEGEN_TARGETS : 1;

		for (int t = 0; t < n; t++) {
			if (r)
				col->cell(r, t, cell, sizeof(cell));
			else
				snprintf(cell, sizeof(cell), "%s",
					 col->per_target ?
						 cli_codegen_targets[t].name :
						 col->title);
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						"%s%*s", len ? " " : "",
						col->width, cell);
		}
	}
	while (len && line[len - 1] == ' ')
		line[--len] = '\0';
	printf("%s\n", line);
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: krseq compare [--abi user|kernel] [--placement "
		"task|cpu] [--json]\n"
		"                     [--depth 1|2] [--no-mutants] [--reps N] "
		"[--iterations N]\n"
		"                     [--quiet]\n\n"
		"The seed's foo() (this_cpu_add_return on DEFINE_PER_CPU(long, "
		"bar)) under every\nstrategy: the explorer's verdict on this "
		"arch, the cost per call as a ratio\nto UNSAFE measured in this "
		"run, and instructions and bytes of foo() on x86_64,\n"
		"aarch64 (the LSE and the LL/SC alternative, each alone) and "
		"s390x from the\ncross compilers.\n\n"
		"  --abi ABI        the code columns' ABI: user (default), the "
		"library's build;\n"
		"                   kernel, the kernel's addressing and flags "
		"(as krseq codegen)\n"
		"  --placement P    where the explorer's machine keeps the armed "
		"pointer or\n"
		"                   marker: task (default) or cpu\n"
		"  --depth 1|2      2 (default): also the verdict of the "
		"explorer at depth 2,\n"
		"                   every op and size; 1: that column left "
		"out (\"-\")\n"
		"  --no-mutants     leave out the mutation score (each "
		"scheme's mutants,\n"
		"                   killed/total, as explore --mutants)\n"
		"  --json           one JSON object on stdout\n"
		"  --reps N         timed repetitions, median taken (default "
		"7)\n"
		"  --iterations N   calls per repetition (default 2000000)\n"
		"  --quiet          no progress line\n");
}

static void progress(unsigned long done, unsigned long total, void *arg)
{
	if (*(bool *)arg || !cli_on_terminal())
		return;
	fprintf(stderr, "\rexploring: %lu/%lu sequences", done, total);
	if (done == total)
		fprintf(stderr, "\n");
}

/* foo() on every target in abi, or the reason it has none there. */
static void code_fill(struct compare_row *r, enum cli_abi abi)
{
	for (int t = 0; t < CLI_NR_CODEGEN_TARGETS; t++) {
		r->na[t] = code_na(r->s, cli_codegen_targets[t].arch);
		if (!r->na[t])
			cli_codegen_count(cli_codegen_targets[t].name, abi,
					  r->s, "foo", &r->code[t]);
	}
}

/* What is n/a under the table, and why: the registry's words, never
 * relabelled. */
static void na_lines(const struct compare_row *rows, int n)
{
	for (int t = 0; t < CLI_NR_CODEGEN_TARGETS; t++)
		for (int i = 0; i < n; i++)
			if (!rows[i].na[t] && !rows[i].code[t].ok) {
				printf("%s: %s\n", cli_codegen_targets[t].name,
				       rows[i].code[t].error);
				break;
			}
	for (int i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];
		const char *name = cli_strategy_name(r->s);

		if (!r->here)
			printf("n/a: %s on %s (not explored, not timed): %s\n",
			       name, CLI_ARCH, krseq_scheme_get(r->s)->why);
		else if (!r->timed)
			printf("n/a: %s cost: no add_return at 8 bytes: %s\n",
			       name, krseq_scheme_get(r->s)->why);
		for (int t = 0; t < CLI_NR_CODEGEN_TARGETS; t++)
			if (r->na[t])
				printf("n/a: %s on %s: %s\n", name,
				       cli_codegen_targets[t].name, r->na[t]);
		if (r->here && r->na_cells)
			printf("n/a: %s, %lu op x size cells on %s (not "
			       "explored): %s\n",
			       name, r->na_cells, CLI_ARCH,
			       krseq_scheme_get(r->s)->why);
	}
}

static void count_mutant(const struct krseq_mutant_result *r, void *arg)
{
	struct compare_row *rows = arg;
	int s = krseq_scheme_find(r->scheme);

	for (int i = 0; s > 0 && rows[i].s; i++) {
		if (rows[i].s != s)
			continue;
		rows[i].mutants++;
		rows[i].killed += r->killed;
	}
}

/* Each row's mutants, killed of total, as explore --mutants finds them. */
static int mutation_scores(struct compare_row *rows, int n, const bool *quiet)
{
	struct krseq_explore_opts o = { 0 };

	for (int i = 0; i < n; i++)
		if (rows[i].here && krseq_scheme_get(rows[i].s)->mutants)
			o.schemes |= 1ull << rows[i].s;
	if (!o.schemes)
		return 0;
	if (!*quiet)
		fprintf(stderr, "\rkrseq compare: mutants ...");
	if (krseq_explore_mutants(&o, count_mutant, rows) < 0) {
		fprintf(stderr, "krseq compare: %s\n", krseq_last_error());
		return -1;
	}
	if (!*quiet)
		fprintf(stderr, "\r%40s\r", "");
	return 0;
}

int cli_compare(int argc, char **argv)
{
	unsigned long reps = 7, iterations = 2000000, depth = 2;
	bool json = false, quiet = false, no_mutants = false;
	int abi = CLI_ABI_USER, placement = KRSEQ_PLACE_TASK;
	const struct cli_opt opts[] = {
		CLI_OPT_CHOICE("--abi", &abi, &cli_abis),
		CLI_OPT_CHOICE("--placement", &placement, &cli_placements),
		CLI_OPT_NUMBER("--depth", &depth, 1, 2),
		CLI_OPT_FLAG("--no-mutants", &no_mutants),
		CLI_OPT_FLAG("--json", &json),
		CLI_OPT_NUMBER("--reps", &reps, 1, MAX_REPS),
		CLI_OPT_NUMBER("--iterations", &iterations, 1, 1000000000),
		CLI_OPT_FLAG("--quiet", &quiet),
		CLI_OPT_END,
	};
	static struct compare_row rows[KRSEQ_MAX_SCHEMES];
	struct krseq_explore_opts o = { 0 };
	struct krseq_explore_totals t, t2;
	struct json j;
	double ns[KRSEQ_MAX_SCHEMES] = { 0 };
	int n = 0, err = cli_parse("compare", argc, argv, opts, help);

	if (err >= 0)
		return err;
	err = cli_codegen_check("compare");
	if (err >= 0)
		return err;

	memset(&t, 0, sizeof(t));
	o.schemes = cli_names_all(&cli_strategies);
	o.adversaries = KRSEQ_ADV_ALL;
	o.depth = 1;
	o.placement = (enum krseq_placement)placement;
	memset(&t2, 0, sizeof(t2));
	if (krseq_explore(&o, &t, NULL, &quiet, progress) ||
	    (depth == 2 &&
	     (o.depth = 2, krseq_explore(&o, &t2, NULL, &quiet, progress))) ||
	    measure(reps, iterations, ns)) {
		fprintf(stderr, "krseq compare: %s\n", krseq_last_error());
		return 1;
	}
	for (int s = 1; s < krseq_scheme_count(); s++) {
		struct compare_row *r = &rows[n];

		memset(r, 0, sizeof(*r));
		r->s = s;
		r->here = krseq_scheme_on(s, KRSEQ_ARCH_HERE);
		r->violations = t.strategy[s].violations;
		r->runs = t.strategy[s].runs;
		r->na_cells = t.strategy[s].na;
		r->depth2 = depth == 2;
		r->violations2 = t2.strategy[s].violations;
		r->runs2 = t2.strategy[s].runs;
		r->timed = r->here && SEED_LOOP(s) != NULL;
		r->ns = ns[s];
		r->ratio = ns[KRSEQ_PCP_UNSAFE] > 0 ?
				   ns[s] / ns[KRSEQ_PCP_UNSAFE] :
				   0;
		code_fill(r, (enum cli_abi)abi);
		n++;
	}
	/* Last: the mutants are registered schemes, not rows. */
	if (!no_mutants && mutation_scores(rows, n, &quiet))
		return 1;

	if (!json) {
		printf("foo() = this_cpu_add_return(bar, val) on %s, placement "
		       "%s; cost: median of %lu x %lu calls;\ncode: "
		       "instructions/bytes of foo() at -O2, %s ABI\n\n",
		       CLI_ARCH, cli_placements.names[placement], reps,
		       iterations, cli_abis.names[abi]);
		table_line(NULL);
		for (int i = 0; i < n; i++)
			table_line(&rows[i]);
		printf("\ncorrect: the explorer interrupted every boundary of "
		       "every op of the strategy\n(%lu boundaries, %lu runs on "
		       "%s, placement %s).\n",
		       t.boundaries, t.runs, CLI_ARCH,
		       cli_placements.names[placement]);
		if (depth == 2)
			printf("depth2: the same at depth 2, a second interrupt "
			       "at every boundary reached\nafter the first "
			       "(%lu runs).\n",
			       t2.runs);
		if (!no_mutants)
			printf("mutants: the scheme's broken kernel sides "
			       "killed, of all it lists (explore\n--mutants).\n");
		na_lines(rows, n);
		return 0;
	}
	json_init(&j, stdout);
	json_open(&j, '{');
	json_key(&j, "arch");
	json_string(&j, CLI_ARCH);
	json_key(&j, "placement");
	json_string(&j, cli_placements.names[placement]);
	json_key(&j, "abi");
	json_string(&j, cli_abis.names[abi]);
	json_key(&j, "reps");
	json_ulong(&j, reps);
	json_key(&j, "iterations");
	json_ulong(&j, iterations);
	json_key(&j, "strategies");
	json_open(&j, '[');
	for (int i = 0; i < n; i++) {
		json_open(&j, '{');
		for (int c = 0; c < NR_COLUMNS; c++)
			columns[c].json(&j, &rows[i]);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	json_close(&j, '}');
	return 0;
}
