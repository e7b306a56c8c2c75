// SPDX-License-Identifier: MIT
/*
 * Write your own protection scheme: a restartable atomic sequence in the
 * style of Bershad's RAS (1992), where nothing is armed at all. The
 * sequence is a plain load, add and store between two labels; the kernel
 * side knows the labels, and interrupt exit sends a PC found between them
 * back to the first one. The sequence computes the CPU's address inside
 * the window, so a restart after a migration recomputes it.
 *
 * "ras" is the correct scheme. "ras_early" is a variant of it that runs
 * the same sequence with a subtly broken kernel side: its window ends one
 * instruction early, at the store, so an interrupt that lands on the
 * store after a handler updated the same counter is not restarted and
 * the store overwrites that update. The explorer must catch it there.
 * The same broken side is ras's one mutant ("end_early"): the way a
 * scheme brings the bugs `krseq explore --mutants` must see killed.
 *
 * Built twice: as a program that explores both with the library's API,
 * and as a module for `krseq --load libscheme_custom.so explore|stress|
 * bench|compare --strategy ras,...`, which takes them by name like a
 * built-in scheme.
 */
#include <krseq/explore.h>
#include <krseq/krseq.h>
#include <krseq/scheme.h>

#include <stdio.h>

/* The labels of the one sequence below, for its kernel side. */
extern const char ras_add_start[] __attribute__((visibility("hidden")));
extern const char ras_add_commit[] __attribute__((visibility("hidden")));
extern const char ras_add_end[] __attribute__((visibility("hidden")));

/* One copy of the asm, or its labels would be defined twice. */
#ifdef __clang__
#define ONE_COPY __attribute__((noinline))
#else
#define ONE_COPY __attribute__((noinline, noipa))
#endif

/*
 * this_cpu_add_return(*pcp, a1) at 8 bytes: load, add, store, nothing
 * armed. It serves this_cpu_add too, whose caller ignores the value.
 */
static ONE_COPY uint64_t ras_add_return(void *pcp, uint64_t a1, uint64_t a2)
{
	uint64_t r;

	(void)a2;
#if defined(__x86_64__)
	/* The CPU's offset is the GS base. */
	__asm__ __volatile__("ras_add_start:\n\t"
			     "movq %%gs:(%[v]), %[r]\n\t"
			     "addq %[a], %[r]\n\t"
			     "ras_add_commit:\n\t"
			     "movq %[r], %%gs:(%[v])\n\t"
			     "ras_add_end:\n\t"
			     : [r] "=&r"(r)
			     : [v] "r"(pcp), [a] "r"(a1)
			     : "memory", "cc");
#elif defined(__aarch64__)
	/* The offset is in the thread area (TPIDR_EL1's stand-in). */
	__asm__ __volatile__("ras_add_start:\n\t"
			     "ldr x10, [%[ta]]\n\t"
			     "ldr %[r], [%[v], x10]\n\t"
			     "add %[r], %[r], %[a]\n\t"
			     "ras_add_commit:\n\t"
			     "str %[r], [%[v], x10]\n\t"
			     "ras_add_end:\n\t"
			     : [r] "=&r"(r)
			     : [ta] "r"(&krseq_ta), [v] "r"(pcp), [a] "r"(a1)
			     : "x10", "memory");
#else
	/* The offset is in the lowcore, reached through the thread area. */
	__asm__ __volatile__("ras_add_start:\n\t"
			     "lg %%r4, 8(%[ta])\n\t"
			     "lg %%r4, 0(%%r4)\n\t"
			     "lg %[r], 0(%%r4,%[v])\n\t"
			     "agr %[r], %[a]\n\t"
			     "ras_add_commit:\n\t"
			     "stg %[r], 0(%%r4,%[v])\n\t"
			     "ras_add_end:\n\t"
			     : [r] "=&d"(r)
			     : [ta] "a"(&krseq_ta), [v] "a"(pcp), [a] "d"(a1)
			     : "r4", "memory", "cc");
#endif
	return r;
}

/* The kernel side: nothing to save at entry; exit restarts the window. */
static void restart_between(struct krseq_irq_frame *f, const char *end)
{
	uintptr_t pc = krseq_frame_pc(f);

	if (pc >= (uintptr_t)ras_add_start && pc < (uintptr_t)end)
		krseq_frame_restart(f, (uintptr_t)ras_add_start, NULL);
}

static void ras_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	(void)save;
	restart_between(f, ras_add_end);
}

/* The broken variant: the store is left out of the window. */
static void ras_early_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	(void)save;
	restart_between(f, ras_add_commit);
}

static const struct krseq_kernel_side ras_side = {
	.name = "ras",
	.exit = ras_exit,
};
static const struct krseq_kernel_side ras_early_side = {
	.name = "ras_early",
	.exit = ras_early_exit,
};

static const struct krseq_scheme ras_end_early = {
	.name = "end_early",
	.kernel = &ras_early_side,
	.bug = "the window's end one instruction early: the store is left out",
};
static const struct krseq_scheme *const ras_mutants[] = { &ras_end_early,
							  NULL };

/* Registered before krseq_init(): a constructor, for a module too. */
static int ras, ras_early;

__attribute__((constructor)) static void register_schemes(void)
{
	struct krseq_scheme s = {
		.name = "ras",
		.flags = KRSEQ_SCHEME_RESTARTS,
		.kernel = &ras_side,
		.why = "this example writes add and add_return at 8 bytes only",
		.mutants = ras_mutants,
	};
	struct krseq_scheme broken = {
		.name = "ras_early",
		.variant_of = "ras",
		.kernel = &ras_early_side,
	};

	s.seq[3][KRSEQ_OP_ADD] = ras_add_return;
	s.seq[3][KRSEQ_OP_ADD_RETURN] = ras_add_return;
	ras = krseq_scheme_register(&s);
	if (ras > 0)
		ras_early = krseq_scheme_register(&broken);
	if (ras < 0 || ras_early < 0)
		fprintf(stderr, "scheme_custom: %s\n", krseq_last_error());
}

#ifndef SCHEME_CUSTOM_MODULE
struct seen {
	unsigned long shown, elsewhere;
};

/* ras_early can only lose the store: every violation must be there. */
static void report(const struct krseq_explore_violation *v, void *arg)
{
	struct seen *seen = arg;

	if (v->pc != (uintptr_t)ras_add_commit)
		seen->elsewhere++;
	if (seen->shown++ < 3)
		printf("  violation: %s at %s+%#lx, adversary %s: %s "
		       "(expected %#lx or %#lx, got %#lx)\n",
		       v->name, v->function, v->offset,
		       krseq_adversary_name(v->adversary), v->what,
		       (unsigned long)v->expected[0],
		       (unsigned long)v->expected[1], (unsigned long)v->got);
}

static long explore(int id, struct seen *seen)
{
	struct krseq_explore_totals tot = { 0 };

	if (krseq_explore_schemes(1u << id, KRSEQ_ADV_ALL, &tot, report, seen,
				  NULL)) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return -1;
	}
	printf("%s: %lu boundaries, %lu runs, %lu restarts, %lu violations, "
	       "%lu cells n/a\n",
	       krseq_scheme_name(id), tot.strategy[id].boundaries,
	       tot.strategy[id].runs, tot.restarts, tot.strategy[id].violations,
	       tot.strategy[id].na);
	return (long)tot.strategy[id].violations;
}

static void mutant(const struct krseq_mutant_result *r, void *arg)
{
	(void)arg;
	printf("mutant %s of %s: %s", r->mutant->name, r->scheme,
	       r->killed ? "killed" : "SURVIVED");
	if (r->killed && !r->signal)
		printf(" at depth %d by %s at %s+%#lx", r->depth,
		       krseq_adversary_name(r->kill.adversary),
		       r->kill.function, r->kill.offset);
	printf("\n");
}

int main(void)
{
	struct seen seen_ok = { 0 }, seen_bad = { 0 };
	struct krseq_explore_opts o = { .schemes = 1ull << ras };
	long good, bad;
	int survivors;

	if (ras < 0 || ras_early < 0)
		return 1;
	good = explore(ras, &seen_ok);
	bad = explore(ras_early, &seen_bad);
	printf("ras: %s; ras_early: %s, %lu violations away from the store\n",
	       good ? "VIOLATED" : "correct",
	       bad > 0 ? "caught (expected)" : "NOT CAUGHT",
	       seen_bad.elsewhere);
	survivors = krseq_explore_mutants(&o, mutant, NULL);
	if (survivors < 0)
		fprintf(stderr, "%s\n", krseq_last_error());
	return !good && bad > 0 && !seen_bad.elsewhere && !survivors ? 0 : 1;
}
#endif
