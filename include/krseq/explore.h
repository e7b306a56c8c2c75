/* SPDX-License-Identifier: MIT */
/*
 * The interrupt-point explorer: for a per-CPU sequence, every instruction
 * boundary it executes is interrupted in turn, once per adversary, by a
 * trap written there (krseq_trap_arm), and the outcome is checked against
 * the sequential answers: the op entirely before or entirely after the
 * adversary's update, on the copy of the CPU the task ran on.
 */
#ifndef KRSEQ_EXPLORE_H
#define KRSEQ_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <krseq/scheme.h>

enum krseq_adversary {
	KRSEQ_ADV_IRQ, /* a nested interrupt updates the same variable */
	KRSEQ_ADV_MIGRATE, /* preempted and migrated; another task updates
			      the old CPU's copy meanwhile */
	KRSEQ_ADV_NMI, /* an NMI inside an interrupt handler updates it */
	KRSEQ_ADV_NESTED, /* the handler runs its own restartable section */
	/*
	 * Adversaries of the kernel side: the entry/exit path itself does
	 * what review found the s390 series' kernel side doing wrong.
	 */
	KRSEQ_ADV_PROLOGUE, /* the entry path runs a per-CPU op of the same
			       scheme (RESTART's for a target), on a variable
			       of its own, before any kernel side's entry hook
			       (the series' v1); the handler then updates the
			       variable, as irq */
	KRSEQ_ADV_KPROBE, /* as migrate, with a breakpoint (the trap
			     instruction) left on the instruction at the
			     interrupted PC while the exit hooks decide: an
			     exit that decodes it (krseq_frame_insn) sees the
			     breakpoint (the series' v3) */
	KRSEQ_ADV_NMI_ENTRY, /* an NMI lands between interrupt entry and the
				entry hooks, and updates the variable */
	KRSEQ_NR_ADV
};
/*
 * Every adversary a correct scheme survives: all but prologue, whose entry
 * path is itself wrong (an op before the save, as v1's): it kills every
 * scheme that keeps an armed descriptor in a slot, by design, and is
 * selected by name. The task-side four, and the kernel side's three.
 */
#define KRSEQ_ADV_ALL (((1u << KRSEQ_NR_ADV) - 1) & ~(1u << KRSEQ_ADV_PROLOGUE))
#define KRSEQ_ADV_TASK ((1u << KRSEQ_ADV_PROLOGUE) - 1)
#define KRSEQ_ADV_KERNEL (((1u << KRSEQ_NR_ADV) - 1) & ~KRSEQ_ADV_TASK)

/* enum krseq_op and krseq_op_name() are the registry's. */
const char *krseq_adversary_name(enum krseq_adversary adv);

struct krseq_explore_violation {
	const char *name; /* "restart add_return 8", or the target's name */
	int strategy; /* KRSEQ_PCP_*, 0 for a user target */
	enum krseq_op op;
	int size;
	enum krseq_adversary adversary;
	uintptr_t pc; /* the boundary */
	unsigned long offset; /* from the start of function */
	char function[64]; /* its symbol, or the case's name if it has none */
	unsigned char insn[8]; /* the instruction's first bytes */
	unsigned int insn_len;
	uint64_t expected[2]; /* the running copy after either order */
	uint64_t got;
	const char *what;
	/*
	 * depth 2: the second interrupt, at a boundary of the op after the
	 * first returned, or of the nested handler's own section (pc2; its
	 * offset, function and instruction as above), or an NMI in the
	 * first's entry path (pc2 0; function2 says where).
	 */
	int depth;
	enum krseq_adversary adversary2;
	uintptr_t pc2;
	unsigned long offset2;
	char function2[64];
	unsigned char insn2[8];
	unsigned int insn2_len;
	/* The interrupted context at the boundary, from a second, identical
	 * run that captured it at the trap. */
	char backtrace[2048];
};

typedef void (*krseq_explore_report_fn)(const struct krseq_explore_violation *v,
					void *arg);

/*
 * Counts, per scheme (index: its id, KRSEQ_PCP_* for the built-ins; 0 for
 * user targets); na counts the (op, size) cells the scheme has no
 * sequence for on this arch, which are not run.
 */
struct krseq_explore_totals {
	unsigned long runs, boundaries, violations, unreached;
	unsigned long restarts, fixups;
	/*
	 * [0]: runs with one forced interrupt, [1]: with two (depth 2);
	 * unreached_at[1] also counts the boundaries a trace found the op
	 * not to reach after the first interrupt (no run), and traces the
	 * runs that found them.
	 */
	unsigned long runs_at[2], violations_at[2], unreached_at[2], traces;
	struct {
		unsigned long runs, violations, boundaries, na;
		unsigned long adv_violations[KRSEQ_NR_ADV];
		unsigned long runs_at[2], violations_at[2];
	} strategy[KRSEQ_MAX_SCHEMES];
	/* Time outside the runs: the machine up and down, and the boundary
	 * tracing (x86_64 single-steps each function once). */
	uint64_t setup_ns;
};

/*
 * What krseq_explore() explores. A zeroed struct is every built-in
 * scheme, every adversary a correct scheme survives, depth 1, per-task
 * placement.
 *
 *	schemes		bit (1 << id): a scheme's id, KRSEQ_PCP_x for the
 *			built-ins, krseq_scheme_register()'s result for a
 *			program's own; 0: every built-in
 *	adversaries	bit (1 << KRSEQ_ADV_x); 0: KRSEQ_ADV_ALL
 *	depth		1: one forced interrupt a run; 2: also a second one
 *			with every adversary at every boundary the op
 *			reaches after the first returned (the restarted
 *			path, after a fix-up), and an NMI (if nmi is
 *			selected) in the first's entry path before and
 *			after the entry hooks and, after the nested
 *			handler, at each boundary of its own section;
 *			0 means 1
 *	placement	where the machine keeps the armed pointer or marker
 *	ops		bit (1 << KRSEQ_OP_x); 0: every op
 *	sizes		bit z: the (1 << z)-byte variables, z 0 to 4; 0:
 *			every size
 */
struct krseq_explore_opts {
	uint64_t schemes;
	unsigned int adversaries;
	int depth;
	enum krseq_placement placement;
	uint32_t ops;
	unsigned int sizes;
};

/*
 * Explore the schemes o selects, every op and size each has a sequence
 * for; a variant runs under its own kernel side. The machine must not be
 * up: the explorer brings up its own (2 CPUs, FULL, migration always, no
 * tick, o's placement) and takes it down. progress, if set, is called
 * after each (scheme, op, size). Returns 0 or a negative errno with
 * krseq_last_error() saying why.
 */
int krseq_explore(const struct krseq_explore_opts *o,
		  struct krseq_explore_totals *tot,
		  krseq_explore_report_fn report, void *arg,
		  void (*progress)(unsigned long done, unsigned long total,
				   void *arg));

/*
 * Mutants that must die: what krseq_explore_mutants() found of one. A
 * mutant is killed by the first violation it shows (kill), or by the
 * task's crash (signal): at depth 1 with every adversary of the options,
 * else (a survivor of depth 1) at depth 2. Each mutant is explored in a
 * child process of its own, which stops at the kill.
 */
struct krseq_mutant_result {
	const struct krseq_scheme *mutant; /* as its scheme lists it */
	const char *scheme; /* the scheme it breaks */
	int id; /* its id as a registered variant of the scheme */
	bool killed;
	int depth; /* that killed it; else the deepest explored */
	int signal; /* killed by the task's crash: the signal, else 0 */
	unsigned long runs; /* a survivor's, at depth 1 */
	/* A survivor: why depth 2 did not run, else "". */
	char depth_error[160];
	char kill_case[48]; /* kill.name points here */
	struct krseq_explore_violation kill;
};

/*
 * Register the mutants of each scheme o selects (0: every built-in;
 * struct krseq_scheme's mutants) as variants "<scheme>_<mutant>", and
 * explore each, with the placement the mutant states and o's adversaries
 * (0: KRSEQ_ADV_ALL); o's depth and placement are not used. report, if
 * set, is called for each mutant in turn. Call it while the machine is
 * down, before krseq_init() (it registers schemes; a second call finds
 * its mutants registered). Returns how many survived (0: every mutant was
 * killed), or a negative errno with krseq_last_error() saying why.
 */
int krseq_explore_mutants(const struct krseq_explore_opts *o,
			  void (*report)(const struct krseq_mutant_result *r,
					 void *arg),
			  void *arg);

/* krseq_explore() at depth 1 with per-task placement, ids below 32. */
int krseq_explore_schemes(unsigned int strategy_mask, unsigned int adv_mask,
			  struct krseq_explore_totals *tot,
			  krseq_explore_report_fn report, void *arg,
			  void (*progress)(unsigned long done,
					   unsigned long total, void *arg));

/*
 * A target: an op you wrote on a per-CPU state of your own, and its
 * oracle. The explorer allocates the state on its machine (size bytes per
 * CPU, 16-aligned, krseq_alloc_percpu_size()) and stores the template in
 * *state, where op finds it. Before each run, init() fills every CPU's
 * copy (NULL: a byte pattern that differs per CPU). At each boundary of
 * op, the adversary's update lands on a copy (as the adversaries above
 * say); then the explorer works out the sequential outcomes on copies of
 * the copies: model() applied to the copy the op ran on, before the
 * adversary's update or after it, and asks check() whether the run is one
 * of them.
 *
 *	op(void)		the sequence, once, on the running CPU's copy,
 *				as the kernel calls it; returns its value (0 if
 *				it has none). Its boundaries are the ones
 *				explored, so op must not be inlined.
 *	model(copy)		the same op in plain C on one copy, as if
 *				nothing interrupted it; returns what op would.
 *	adversary(copy)		what the interrupt handler, the other task or
 *				the NMI does to a CPU's copy meanwhile.
 *	check(run)		NULL if the run matches an order, else why not
 *				(a string the report shows). NULL check:
 *				krseq_explore_check_bytes().
 *
 * model, adversary and check run on copies outside the machine's per-CPU
 * area, so a state that links within itself links by index, not pointer.
 */
struct krseq_explore_outcome {
	const void *copies; /* CPU i's copy at copies + i * size */
	unsigned long ret;
};

/*
 * The orders a run is checked against: the adversaries' updates and the
 * task's switches happened in one order, and the op takes effect between
 * two of them, or before or after all, on the CPU the task was on there.
 */
#define KRSEQ_EXPLORE_MAX_ORDERS 9

struct krseq_explore_run {
	const struct krseq_explore_target *t;
	enum krseq_adversary adversary; /* the first interrupt's */
	int nr_cpus;
	int cpu; /* the CPU the op started on */
	int cpu_now; /* the one it returned on (another after a migration) */
	const void *before; /* every CPU's copy as init() left it */
	struct krseq_explore_outcome got;
	int updates; /* how many updates the adversaries made */
	/*
	 * seq[k]: the op after the run's first k updates and switches, and
	 * before the others. seq[0] is the op before them all and
	 * seq[nr_seq - 1] the op after them all; nr_seq is 1, seq[0] alone,
	 * when nothing happened (the nested handler; no switch; no NMI).
	 */
	int nr_seq;
	struct krseq_explore_outcome seq[KRSEQ_EXPLORE_MAX_ORDERS];
};

struct krseq_explore_target {
	const char *name;
	size_t size;
	void **state;
	unsigned long (*op)(void);
	void (*init)(void *copy, int cpu);
	unsigned long (*model)(void *copy);
	void (*adversary)(void *copy);
	const char *(*check)(const struct krseq_explore_run *r);

	/*
	 * The shorthand for an add, used instead of the above: run()
	 * performs the section once, adding delta to the running CPU's
	 * copy of a per-CPU long: var (a DEFINE_PER_CPU template of the
	 * program), or, if var_alloc is set, one the explorer allocates and
	 * stores there. It is checked as the target whose model adds delta
	 * and whose adversary xors the copy.
	 */
	void (*run)(void);
	long *var;
	long **var_alloc;
	long delta;
};

/*
 * Explore one target with the adversaries in adv_mask, on a machine of the
 * explorer's own, as krseq_explore(). A violation's expected and
 * got are the first 8 bytes of the copies (the op's CPU); what is check's
 * answer. Returns 0 or a negative errno with krseq_last_error() saying why
 * (a target without op, model, adversary or size).
 */
int krseq_explore_target(const struct krseq_explore_target *t,
			 unsigned int adv_mask,
			 struct krseq_explore_totals *tot,
			 krseq_explore_report_fn report, void *arg);

/*
 * The default check: every CPU's copy byte for byte, and the value, as one
 * order gives. A check of your own may call it and then say more.
 */
const char *krseq_explore_check_bytes(const struct krseq_explore_run *r);

/*
 * The instruction boundaries of the function holding ip, where a trap may
 * be armed (krseq_trap_arm), as the explorer finds them: aarch64 and s390x
 * decode the whole function; x86_64 runs run() once (run must call into
 * it), single-steps the function from a breakpoint on its first
 * instruction (what it calls runs free) and keeps the boundaries it
 * passed, text written as krseq_trap_arm() writes it. The machine must be
 * up. Writes at most max to pcs, ascending; returns how many, or a
 * negative errno with krseq_last_error() saying why.
 */
int krseq_fn_boundaries(uintptr_t ip, void (*run)(void), uintptr_t *pcs,
			int max);

#endif /* KRSEQ_EXPLORE_H */
