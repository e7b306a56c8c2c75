// SPDX-License-Identifier: MIT
/* krseq explore: every op x size x strategy, interrupted at every boundary. */
#include "cli.h"

#include <krseq/explore.h>
#include <krseq/percpu.h>

#include <stdio.h>
#include <string.h>

struct opts {
	bool json, quiet, mutants;
	unsigned long show, depth;
	unsigned long shown;
};

static const char *const size_names[5] = { "1", "2", "4", "8", "16" };

static void help(FILE *f)
{
	fprintf(f,
		"usage: krseq explore [--strategy LIST|all] [--adversary "
		"LIST|all] [--depth 1|2]\n"
		"                     [--ops LIST|all] [--size LIST|all] "
		"[--placement task|cpu]\n"
		"                     [--json] [--show N] [--quiet] "
		"[--mutants]\n\n"
		"Interrupts every instruction boundary of every per-CPU op "
		"(every size, every\nstrategy) once per adversary and checks "
		"the result against the sequential answers.\n\n"
		"  --strategy LIST  comma-separated: %s (default all)\n"
		"  --adversary LIST comma-separated: irq, migrate, nmi, nested "
		"(the task's),\n"
		"                   prologue, kprobe, nmi-entry (the kernel "
		"side's); or all\n"
		"                   (default: all but prologue, an entry path "
		"that is wrong)\n"
		"  --placement P    where the armed pointer and marker live: "
		"task (the\n"
		"                   task's, default) or cpu (the running "
		"CPU's lowcore)\n"
		"  --depth 1|2      2: also a second interrupt, every "
		"adversary, at every\n"
		"                   boundary reached after the first, and an "
		"NMI in its entry\n"
		"                   path and the nested handler's section "
		"(default 1)\n"
		"  --ops LIST       comma-separated op names (default all)\n"
		"  --size LIST      comma-separated: 1, 2, 4, 8, 16 bytes "
		"(default all)\n"
		"  --json           one JSON object on stdout\n"
		"  --show N         print at most N violations (default 10)\n"
		"  --quiet          no progress line\n"
		"  --mutants        explore each strategy's mutants (broken "
		"kernel sides)\n"
		"                   instead: every one must be killed\n",
		cli_strategies_help());
}

static void insn_bytes(char *buf, size_t len, const unsigned char *insn,
		       unsigned int n)
{
	buf[0] = 0;
	for (unsigned int i = 0; i < n && i < 8; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%02x",
			 i ? " " : "", insn[i]);
}

static void print_violation(const struct krseq_explore_violation *v, void *arg)
{
	struct opts *o = arg;
	char bytes[40], bytes2[40];

	if (o->json || o->shown++ >= o->show)
		return;
	insn_bytes(bytes, sizeof(bytes), v->insn, v->insn_len);
	if (v->depth != 2) {
		fprintf(stderr,
			"violation: %s, adversary %s, at %s+%#lx (insn %s): "
			"%s; expected %#lx or %#lx, got %#lx\n",
			v->name, krseq_adversary_name(v->adversary),
			v->function, v->offset, bytes, v->what,
			(unsigned long)v->expected[0],
			(unsigned long)v->expected[1], (unsigned long)v->got);
	} else {
		fprintf(stderr,
			"violation: %s, depth 2, adversaries %s then %s, "
			"first at %s+%#lx (insn %s), then ",
			v->name, krseq_adversary_name(v->adversary),
			krseq_adversary_name(v->adversary2), v->function,
			v->offset, bytes);
		if (v->pc2) {
			insn_bytes(bytes2, sizeof(bytes2), v->insn2,
				   v->insn2_len);
			fprintf(stderr, "at %s+%#lx (insn %s)", v->function2,
				v->offset2, bytes2);
		} else {
			fprintf(stderr, "in the %s", v->function2);
		}
		fprintf(stderr, ": %s; expected %#lx or %#lx, got %#lx\n",
			v->what, (unsigned long)v->expected[0],
			(unsigned long)v->expected[1], (unsigned long)v->got);
	}
	fputs(v->backtrace, stderr);
}

/*
 * The bare signal, measured in this process right after the exploration:
 * the floor under a run, which needs one trap. The median of a few
 * batches; 0 if no real-time signal is spare.
 */
static double bare_signal_ns(void)
{
	enum {
		BATCHES = 7,
		PER_BATCH = 2000
	};
	double ns[BATCHES];
	struct cli_bare_signal b;

	if (cli_bare_signal_open(&b))
		return 0;
	for (int i = 0; i < BATCHES; i++)
		ns[i] = cli_bare_signal_ns(&b, PER_BATCH);
	cli_bare_signal_close(&b);
	return cli_stat_of(ns, BATCHES).median;
}

/* A column as wide as its adversary's name, and at least 6. */
static int adv_width(int a)
{
	int n = (int)strlen(krseq_adversary_name((enum krseq_adversary)a));

	return n < 6 ? 6 : n;
}

static void progress(unsigned long done, unsigned long total, void *arg)
{
	struct opts *o = arg;

	if (o->quiet || !cli_on_terminal())
		return;
	fprintf(stderr, "\rexploring at depth %lu: %lu/%lu sequences", o->depth,
		done, total);
	if (done == total)
		fprintf(stderr, "\n");
}

/*
 * What each strategy must show (DESIGN.md section 4): the registry's flags,
 * against the adversaries that ran.
 */
static const char *expectation(int s, const struct krseq_explore_totals *t,
			       unsigned int amask)
{
	unsigned int f = krseq_scheme_get(s)->flags;
	const unsigned long *adv = t->strategy[s].adv_violations;
	bool irq = (f & KRSEQ_SCHEME_CAUGHT_IRQ) &&
		   (amask & (1u << KRSEQ_ADV_IRQ)),
	     mig = (f & KRSEQ_SCHEME_CAUGHT_MIGRATE) &&
		   (amask & (1u << KRSEQ_ADV_MIGRATE));

	if (f & (KRSEQ_SCHEME_CAUGHT_IRQ | KRSEQ_SCHEME_CAUGHT_MIGRATE)) {
		if (!irq && !mig)
			return "control (its adversaries not run)";
		return (!irq || adv[KRSEQ_ADV_IRQ]) &&
				       (!mig || adv[KRSEQ_ADV_MIGRATE]) ?
			       "caught (expected)" :
			       "NOT CAUGHT";
	}
	return t->strategy[s].violations ? "VIOLATED" : "correct";
}

static bool as_expected(int s, const struct krseq_explore_totals *t,
			unsigned int amask)
{
	const char *e = expectation(s, t, amask);

	return !strcmp(e, "correct") || !strcmp(e, "caught (expected)") ||
	       !strncmp(e, "control", 7);
}

int cli_explore(int argc, char **argv)
{
	const char *adversaries[KRSEQ_NR_ADV], *ops[KRSEQ_NR_OPS];
	const struct cli_names adv_names = { adversaries, KRSEQ_NR_ADV, 0 };
	const struct cli_names op_names = { ops, KRSEQ_NR_OPS, 0 };
	const struct cli_names sizes = { size_names, 5, 0 };
	struct opts o = { .show = 10, .depth = 1 };
	unsigned int smask = 0, amask = 0, omask = 0, zmask = 0;
	int placement = KRSEQ_PLACE_TASK;
	const struct cli_opt opts[] = {
		CLI_OPT_LIST("--strategy", &smask, &cli_strategies_here),
		CLI_OPT_LIST("--adversary", &amask, &adv_names),
		CLI_OPT_NUMBER("--depth", &o.depth, 1, 2),
		CLI_OPT_LIST("--ops", &omask, &op_names),
		CLI_OPT_LIST("--size", &zmask, &sizes),
		CLI_OPT_CHOICE("--placement", &placement, &cli_placements),
		CLI_OPT_FLAG("--json", &o.json),
		CLI_OPT_NUMBER("--show", &o.show, 0, 1000000),
		CLI_OPT_FLAG("--quiet", &o.quiet),
		CLI_OPT_FLAG("--mutants", &o.mutants),
		CLI_OPT_END,
	};
	struct krseq_explore_opts xo = { .depth = 1 };
	struct krseq_explore_totals t;
	uint64_t t0, t1;
	double seconds, setup, per_run, bare;
	bool ok = true;
	int err;

	for (int a = 0; a < KRSEQ_NR_ADV; a++)
		adversaries[a] = krseq_adversary_name((enum krseq_adversary)a);
	for (int op = 0; op < KRSEQ_NR_OPS; op++)
		ops[op] = krseq_op_name((enum krseq_op)op);
	err = cli_parse("explore", argc, argv, opts, help);
	if (err >= 0)
		return err;
	if (!smask)
		smask = cli_names_all(&cli_strategies_here);
	if (!amask)
		amask = KRSEQ_ADV_ALL;
	if (o.mutants)
		return cli_explore_mutants(smask, amask, o.json);

	memset(&t, 0, sizeof(t));
	t0 = cli_now_ns();
	/* Nothing printed: no violation is run again for its backtrace. */
	xo.schemes = smask;
	xo.adversaries = amask;
	xo.placement = (enum krseq_placement)placement;
	xo.depth = (int)o.depth;
	xo.ops = omask;
	xo.sizes = zmask;
	err = krseq_explore(&xo, &t, o.json || !o.show ? NULL : print_violation,
			    &o, progress);
	t1 = cli_now_ns();
	seconds = (double)(t1 - t0) / 1e9;
	if (err) {
		fprintf(stderr, "krseq explore: %s\n", krseq_last_error());
		return 1;
	}
	/* The setup (machine up and down, boundary tracing) is once per
	 * exploration or per function, not per run. */
	setup = (double)t.setup_ns / 1e9;
	per_run = t.runs ? (double)(t1 - t0 - t.setup_ns) / (double)t.runs : 0;
	bare = bare_signal_ns();
	for (int s = 1; s < krseq_scheme_count(); s++)
		if (t.strategy[s].runs && !as_expected(s, &t, amask))
			ok = false;

	if (o.json) {
		struct json j;

		json_init(&j, stdout);
		json_open(&j, '{');
		json_key(&j, "arch");
		json_string(&j, CLI_ARCH);
		json_key(&j, "placement");
		json_string(&j, cli_placements.names[placement]);
		json_key(&j, "depth");
		json_ulong(&j, o.depth);
		json_key(&j, "runs");
		json_ulong(&j, t.runs);
		json_key(&j, "runs_depth2");
		json_ulong(&j, t.runs_at[1]);
		json_key(&j, "violations_depth2");
		json_ulong(&j, t.violations_at[1]);
		json_key(&j, "traces");
		json_ulong(&j, t.traces);
		json_key(&j, "boundaries");
		json_ulong(&j, t.boundaries);
		json_key(&j, "unreached");
		json_ulong(&j, t.unreached);
		json_key(&j, "restarts");
		json_ulong(&j, t.restarts);
		json_key(&j, "fixups");
		json_ulong(&j, t.fixups);
		json_key(&j, "violations");
		json_ulong(&j, t.violations);
		json_key(&j, "seconds");
		json_double(&j, seconds, 2);
		json_key(&j, "setup_seconds");
		json_double(&j, setup, 2);
		json_key(&j, "ns_per_run");
		json_double(&j, per_run, 0);
		json_key(&j, "bare_signal_ns");
		json_double(&j, bare, 0);
		json_key(&j, "strategies");
		json_open(&j, '{');
		for (int s = 1; s < krseq_scheme_count(); s++) {
			if (!t.strategy[s].runs)
				continue;
			json_key(&j, cli_strategy_name(s));
			json_open(&j, '{');
			json_key(&j, "runs");
			json_ulong(&j, t.strategy[s].runs);
			json_key(&j, "violations");
			json_ulong(&j, t.strategy[s].violations);
			json_key(&j, "boundaries");
			json_ulong(&j, t.strategy[s].boundaries);
			json_key(&j, "na_cells");
			json_ulong(&j, t.strategy[s].na);
			if (t.strategy[s].na) {
				json_key(&j, "na_why");
				json_string(&j, krseq_scheme_get(s)->why);
			}
			json_key(&j, "verdict");
			json_string(&j, expectation(s, &t, amask));
			json_key(&j, "adversaries");
			json_open(&j, '{');
			for (int a = 0; a < KRSEQ_NR_ADV; a++) {
				json_key(&j, krseq_adversary_name(
						     (enum krseq_adversary)a));
				json_ulong(&j, t.strategy[s].adv_violations[a]);
			}
			json_close(&j, '}');
			json_close(&j, '}');
		}
		json_close(&j, '}');
		json_close(&j, '}');
	} else {
		printf("%-14s %10s %8s %10s", "strategy", "boundaries", "runs",
		       "violations");
		for (int a = 0; a < KRSEQ_NR_ADV; a++)
			if (amask & (1u << a))
				printf(" %*s", adv_width(a),
				       krseq_adversary_name(
					       (enum krseq_adversary)a));
		printf("  verdict\n");
		for (int s = 1; s < krseq_scheme_count(); s++) {
			if (!t.strategy[s].runs)
				continue;
			printf("%-14s %10lu %8lu %10lu", cli_strategy_name(s),
			       t.strategy[s].boundaries, t.strategy[s].runs,
			       t.strategy[s].violations);
			for (int a = 0; a < KRSEQ_NR_ADV; a++)
				if (amask & (1u << a))
					printf(" %*lu", adv_width(a),
					       t.strategy[s].adv_violations[a]);
			printf("  %s\n", expectation(s, &t, amask));
		}
		for (int s = 1; s < krseq_scheme_count(); s++)
			if (t.strategy[s].runs && t.strategy[s].na)
				printf("n/a: %s, %lu op x size cells not run "
				       "on %s: %s\n",
				       cli_strategy_name(s), t.strategy[s].na,
				       CLI_ARCH, krseq_scheme_get(s)->why);
		printf("%s, placement %s: %lu boundaries, %lu runs, %lu not "
		       "reached, %lu restarts, %lu fix-ups, %.1f s (%.1f s "
		       "setup)\n",
		       CLI_ARCH, cli_placements.names[placement], t.boundaries,
		       t.runs, t.unreached, t.restarts, t.fixups, seconds,
		       setup);
		if (o.depth == 2)
			printf("depth 2: %lu runs with two interrupts (%lu "
			       "violations), %lu traces, %lu second "
			       "boundaries not reached\n",
			       t.runs_at[1], t.violations_at[1], t.traces,
			       t.unreached_at[1]);
		if (t.runs && bare > 0)
			printf("%.0f ns a run, %.1f times a bare signal "
			       "delivery (%.0f ns)\n",
			       per_run, per_run / bare, bare);
	}
	return ok ? 0 : 1;
}
