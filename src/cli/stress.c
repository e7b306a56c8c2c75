// SPDX-License-Identifier: MIT
/*
 * krseq stress: every workload under every strategy on a busy machine (4
 * tasks per CPU, tick and IPI storms, every switch a migration, handlers
 * on the same data), judged by what it conserves. A strategy that should
 * restart or fix up must be seen doing so, or the run proves nothing; and
 * UNSAFE must be caught, or the harness cannot fail. Neither waits for
 * luck: one task takes interrupts forced at every boundary of its own
 * copy of the workload (stress_forced.c), so a seed gives one verdict.
 */
#include "cli.h"
#include "stress.h"

#include <krseq/percpu.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "stress"

struct opts {
	unsigned int workloads; /* bit per enum stress_workload */
	unsigned int strategies; /* bit per KRSEQ_PCP_* */
	unsigned long cpus, tick_us, ms, seed;
	int placement; /* enum krseq_placement */
	bool profile;
};

struct result {
	struct stress_verdict v;
	struct krseq_stats st;
	struct stress_forced_report fr;
	unsigned long ops, ms;
	bool forcing; /* a forced task ran (not for a registered scheme) */
};

/* Per-section counts summed over every run, for --profile. */
static struct krseq_section_stats *profile;
static unsigned int nr_profile;
/* Names taken before the first trap: a page a trap wrote loses its file
 * in /proc/self/maps, and libunwind its symbols. */
static char (*profile_fn)[128];
static unsigned long *profile_off;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: krseq stress [OPTIONS]\n\n"
		"Runs param_test-style workloads on a simulated SMP machine: "
		"4 tasks per CPU,\n"
		"FULL preemption, every switch a migration, tick and "
		"reschedule-IPI storms,\n"
		"tick and IPI handlers that use the same per-CPU data with "
		"the same strategy.\n"
		"The verdict is what each workload conserves:\n"
		"  counters  the per-CPU sum equals every add done\n"
		"  spinlock  per-CPU lock words (this_cpu_cmpxchg) keep the "
		"count they protect\n"
		"  list      per-CPU lists (this_cpu_cmpxchg128 on head+tid): "
		"every object once\n"
		"  buffer    per-CPU slot arrays (cmpxchg/xchg) and counts: "
		"every object once\n"
		"the schemes that restart or fix up must also be seen doing "
		"so, and the\n"
		"negative control must be caught losing. One task, chosen from "
		"the seed, runs its\n"
		"own copy of the workload and takes an interrupt forced at "
		"every instruction\n"
		"boundary of it, twice over, in a seeded order: the run lasts "
		"until it is done,\n"
		"so a seed gives the same verdicts on every run.\n\n"
		"options:\n"
		"  --workload LIST|all   comma-separated: counters, spinlock, list, buffer "
		"(default all)\n"
		"  --strategy LIST|all   comma-separated: %s (default all)\n"
		"  --cpus N              simulated CPUs, 2..60 (default 4)\n"
		"  --tick-us N           tick period in us, 1..1000000 "
		"(default 50)\n"
		"  --ms N                length of each run, 1..3600000 "
		"(default 200)\n"
		"  --seed N              seed of the scheduler and the "
		"workloads (default 1)\n"
		"  --placement task|cpu  the armed pointer and marker per task "
		"(default) or in\n"
		"                        the running CPU's lowcore\n"
		"  --profile             per-section interrupt, restart and "
		"fix-up counts\n"
		"  --help                this text\n\n"
		"Exit status: 0 when every verdict is the expected one, 1 "
		"otherwise, 2 on bad usage.\n"
		"Under qemu-user set QEMU_SINGLESTEP=1, or no timer "
		"interrupt lands inside a\n"
		"window (the forced ones do without it).\n",
		cli_strategies_help());
}

static bool strategy_here(int s)
{
	return krseq_scheme_on(s, KRSEQ_ARCH_HERE);
}

static int parse(int argc, char **argv, struct opts *o)
{
	const char *workload_names[STRESS_NR_WORKLOADS];
	const struct cli_names workloads = { workload_names,
					     STRESS_NR_WORKLOADS, 0 };
	struct cli_names strategies = cli_strategies_here;
	const struct cli_opt opts[] = {
		CLI_OPT_LIST("--workload", &o->workloads, &workloads),
		CLI_OPT_LIST("--strategy", &o->strategies, &strategies),
		CLI_OPT_NUMBER("--cpus", &o->cpus, 2, 60),
		CLI_OPT_NUMBER("--tick-us", &o->tick_us, 1, 1000000),
		CLI_OPT_NUMBER("--ms", &o->ms, 1, 3600000),
		CLI_OPT_NUMBER("--seed", &o->seed, 0, ~0ul),
		CLI_OPT_CHOICE("--placement", &o->placement, &cli_placements),
		CLI_OPT_FLAG("--profile", &o->profile),
		CLI_OPT_END,
	};
	int err;

	*o = (struct opts){ .cpus = 4, .tick_us = 50, .ms = 200, .seed = 1 };
	for (int w = 0; w < STRESS_NR_WORKLOADS; w++)
		workload_names[w] = stress_workload_name(w);
	strategies.avail = 0;
	for (int s = 1; s < krseq_scheme_count(); s++)
		if (strategy_here(s))
			strategies.avail |= 1u << s;
	err = cli_parse(CMD, argc, argv, opts, usage);
	if (err >= 0)
		return err;
	if (!o->workloads)
		o->workloads = cli_names_all(&workloads);
	if (!o->strategies)
		o->strategies = strategies.avail;
	return -1;
}

/* On the first run's machine, before any trap is armed. */
static void profile_setup(void)
{
	struct krseq_section_stats s;

	if (profile)
		return;
	nr_profile = krseq_cs_count();
	profile = calloc(nr_profile ? nr_profile : 1, sizeof(*profile));
	profile_fn = calloc(nr_profile ? nr_profile : 1, sizeof(*profile_fn));
	profile_off = calloc(nr_profile ? nr_profile : 1, sizeof(*profile_off));
	if (!profile || !profile_fn || !profile_off) {
		free(profile);
		profile = NULL;
		return;
	}
	for (unsigned int i = 0;
	     i < nr_profile && krseq_section_stats(i, &s) == 0; i++)
		if (s.cs)
			krseq_symbolize(s.cs->start_ip, profile_fn[i],
					sizeof(profile_fn[i]), &profile_off[i]);
}

static void profile_add(void)
{
	struct krseq_section_stats s;

	if (!profile)
		return;
	for (unsigned int i = 0;
	     i < nr_profile && krseq_section_stats(i, &s) == 0; i++) {
		profile[i].cs = s.cs;
		profile[i].interrupted += s.interrupted;
		profile[i].restarted += s.restarted;
		profile[i].fixed_up += s.fixed_up;
	}
}

static int run_once(const struct opts *o, enum stress_workload w, int s,
		    uint64_t seed, struct result *r)
{
	static struct stress_task_arg args[KRSEQ_MAX_TASKS];
	static struct krseq_task *tasks[KRSEQ_MAX_TASKS];
	const struct stress_impl *impl = stress_impl(s, w);
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;
	int n = 4 * (int)o->cpus, err, forced;
	uint64_t t0 = cli_now_ns(), mix = seed;

	c.nr_cpus = (int)o->cpus;
	c.tick_us = (unsigned int)o->tick_us;
	c.model = KRSEQ_PREEMPT_FULL;
	c.migrate = KRSEQ_MIGRATE_ALWAYS;
	c.seed = seed;
	c.placement = (enum krseq_placement)o->placement;
	err = krseq_init(&c);
	if (err) {
		fprintf(stderr, "krseq stress: %s\n", krseq_last_error());
		return -1;
	}
	if (o->profile)
		profile_setup();
	memset(&stress_run, 0, sizeof(stress_run));
	stress_run.nr_cpus = c.nr_cpus;
	if (stress_prepare(w)) {
		fprintf(stderr, "krseq stress: no memory for the objects\n");
		krseq_exit();
		return -1;
	}
	krseq_request_irq(KRSEQ_IRQ_TICK, impl->irq, NULL);
	krseq_request_irq(KRSEQ_IRQ_IPI, impl->irq, NULL);
	for (int i = 0; i < n; i++) {
		/* splitmix64: distinct, never-zero xorshift states. */
		mix += 0x9E3779B97F4A7C15ull;
		args[i] = (struct stress_task_arg){
			.token = (unsigned long)i + 1,
			.rng = (mix ^ (mix >> 31)) * 0xBF58476D1CE4E5B9ull | 1,
		};
	}
	/* A registered scheme has no private copy: no forced task. */
	forced = impl->forced_task ? (int)(args[0].rng % (uint64_t)n) : -1;
	if (forced < 0)
		atomic_store(&stress_run.forced_done, true);
	else if (stress_forced_setup(impl, &args[forced], seed)) {
		krseq_free_irq(KRSEQ_IRQ_TICK, impl->irq, NULL);
		krseq_free_irq(KRSEQ_IRQ_IPI, impl->irq, NULL);
		stress_verify(w, &r->v);
		krseq_exit();
		return -1;
	}
	stress_run.end_ns = cli_now_ns() + o->ms * 1000000ull;
	for (int i = 0; i < n; i++) {
		tasks[i] = krseq_task_create(
			i == forced ? impl->forced_task : impl->task, &args[i]);
		if (!tasks[i]) {
			fprintf(stderr, "krseq stress: task %d: %s\n", i,
				krseq_last_error());
			n = i;
			stress_run.end_ns = 0;
			atomic_store(&stress_run.forced_done, true);
			err = -1;
			break;
		}
	}
	for (int i = 0; i < n; i++)
		krseq_task_join(tasks[i]);
	krseq_free_irq(KRSEQ_IRQ_TICK, impl->irq, NULL);
	krseq_free_irq(KRSEQ_IRQ_IPI, impl->irq, NULL);
	krseq_stats_get(&r->st);
	if (forced >= 0)
		stress_forced_report(&r->fr);
	else
		r->fr = (struct stress_forced_report){ .complete = true };
	r->forcing = forced >= 0;
	stress_verify(w, &r->v);
	krseq_exit();
	r->ops = atomic_load(&stress_run.task_ops) +
		 atomic_load(&stress_run.irq_ops);
	r->ms = (unsigned long)((cli_now_ns() - t0) / 1000000u);
	if (o->profile)
		profile_add();
	return err;
}

static bool conserved(const struct result *r)
{
	return r->v.expected == r->v.got && !r->v.errors;
}

/* The verdict, and whether it is the one this strategy should give. */
static const char *judge(int s, const struct result *r, bool *as_expected)
{
	*as_expected = false;
	if (krseq_scheme_get(s)->flags & KRSEQ_SCHEME_CONTROL) {
		*as_expected = !conserved(r);
		return *as_expected ? "caught (expected)" : "NOT CAUGHT";
	}
	if (!conserved(r))
		return "FAILED";
	if (!r->fr.complete)
		return "FORCING CUT SHORT";
	if (!r->forcing) {
		*as_expected = true;
		return "ok (unforced)";
	}
	/* The forced task's own sections: restarted or fixed up there. A
	 * scheme without descriptors (MARKER) has no sections to count
	 * them by: the run's own fix-ups stand for them. */
	if ((krseq_scheme_get(s)->flags & KRSEQ_SCHEME_RESTARTS) &&
	    !r->fr.restarted)
		return "PROVES NOTHING";
	if ((krseq_scheme_get(s)->flags & KRSEQ_SCHEME_FIXES_UP) &&
	    !(r->fr.windows ? r->fr.fixed_up : r->st.fixups))
		return "PROVES NOTHING";
	*as_expected = true;
	return "ok";
}

/* One run per cell, with the seed given: the verdict is not retried. */
static int run_cell(const struct opts *o, enum stress_workload w, int s)
{
	struct result r;
	bool good;
	const char *verdict;
	char forced[32];

	if (run_once(o, w, s, o->seed, &r))
		return 1;
	verdict = judge(s, &r, &good);
	if (!r.forcing)
		snprintf(forced, sizeof(forced), "n/a");
	else if (r.fr.windows)
		snprintf(forced, sizeof(forced), "%lu/%lu", r.fr.hits,
			 r.fr.in_window);
	else
		snprintf(forced, sizeof(forced), "%lu/-", r.fr.hits);
	printf("%-9s %-13s %-17s %10lu %9lu %9lu %6lu %8lu %7lu %10lu %9s "
	       "%6lu\n",
	       stress_workload_name(w), cli_strategy_name(s), verdict, r.ops,
	       r.v.expected, r.v.got, r.v.errors, (unsigned long)r.st.restarts,
	       (unsigned long)r.st.fixups, (unsigned long)r.st.migrations,
	       forced, r.ms);
	fflush(stdout);
	return good ? 0 : 1;
}

static const char *flavour(const struct krseq_rseq_cs *cs)
{
	if (cs->flags & KRSEQ_CS_FIXUP)
		return "fixup";
	return cs->flags & KRSEQ_CS_RESTART_IRQ ? "restart" : "sched";
}

static void print_profile(void)
{
	unsigned int quiet = 0;

	printf("\nper-section counts (%u sections in this binary):\n",
	       nr_profile);
	printf("%12s %12s %12s  %-8s %s\n", "interrupted", "restarted",
	       "fixed_up", "flavour", "function+offset");
	for (unsigned int i = 0; i < nr_profile; i++) {
		const struct krseq_section_stats *p = &profile[i];

		if (!p->cs || !p->interrupted) {
			quiet++;
			continue;
		}
		printf("%12lu %12lu %12lu  %-8s %s+%#lx\n",
		       (unsigned long)p->interrupted,
		       (unsigned long)p->restarted, (unsigned long)p->fixed_up,
		       flavour(p->cs), profile_fn[i], profile_off[i]);
	}
	printf("(%u sections never interrupted)\n", quiet);
}

int cli_stress(int argc, char **argv)
{
	struct opts o;
	int err = parse(argc, argv, &o), failed = 0;

	if (err >= 0)
		return err;
	printf("krseq stress: %lu CPUs, %lu tasks, %lu us tick, %lu ms per "
	       "run, seed %lu, placement %s\n",
	       o.cpus, 4 * o.cpus, o.tick_us, o.ms, o.seed,
	       cli_placements.names[o.placement]);
	printf("%-9s %-13s %-17s %10s %9s %9s %6s %8s %7s %10s %9s %6s\n",
	       "workload", "strategy", "verdict", "ops", "expected", "got",
	       "errors", "restarts", "fixups", "migrations", "forced", "ms");
	for (int w = 0; w < STRESS_NR_WORKLOADS; w++) {
		if (!(o.workloads & (1u << w)))
			continue;
		for (int s = 1; s < krseq_scheme_count(); s++) {
			if (!(o.strategies & (1u << s)))
				continue;
			if (!stress_impl(s, (enum stress_workload)w))
				printf("%-9s %-13s n/a: %s\n",
				       stress_workload_name(w),
				       cli_strategy_name(s),
				       "a registered scheme runs the counters "
				       "workload, with its add at 8 bytes");
			else
				failed += run_cell(&o, w, s);
		}
	}
	if (o.profile && profile)
		print_profile();
	printf("%s: %d unexpected verdict%s\n", failed ? "FAIL" : "PASS",
	       failed, failed == 1 ? "" : "s");
	free(profile);
	free(profile_fn);
	free(profile_off);
	return failed ? 1 : 0;
}
