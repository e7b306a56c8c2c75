// SPDX-License-Identifier: MIT
#include "twins.h"

#include <krseq/krseq.h>

#include <stdio.h>
#include <string.h>

struct seen {
	unsigned long shown, elsewhere;
};

static void report(const struct krseq_explore_violation *v, void *arg)
{
	struct seen *s = arg;

	/* The boundary must be named: a symbol of the target's function. */
	if (strcmp(v->function, v->name))
		s->elsewhere++;
	if (s->shown++ >= 6)
		return;
	printf("  violation: %s+%#lx, adversary %s: %s (got %#llx, expected "
	       "%#llx or %#llx)\n",
	       v->function, v->offset, krseq_adversary_name(v->adversary),
	       v->what, (unsigned long long)v->got,
	       (unsigned long long)v->expected[0],
	       (unsigned long long)v->expected[1]);
	if (s->shown == 1)
		fputs(v->backtrace, stdout);
}

/* The violations found, or -1 if the explorer could not run. */
static long explore(const struct krseq_explore_target *t, struct seen *s)
{
	struct krseq_explore_totals tot = { 0 };

	if (krseq_explore_target(t, KRSEQ_ADV_ALL, &tot, report, s)) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return -1;
	}
	printf("%s: %lu boundaries, %lu runs, %lu restarts, %lu violations\n",
	       t->name, tot.boundaries, tot.runs, tot.restarts, tot.violations);
	return (long)tot.violations;
}

int explore_twins(const struct krseq_explore_target *correct,
		  const struct krseq_explore_target *broken)
{
	struct seen s = { 0 }, b = { 0 };
	long good = explore(correct, &s);
	long bad = explore(broken, &b);

	printf("%s: %s; %s: %s\n", correct->name, good ? "VIOLATED" : "correct",
	       broken->name, bad > 0 ? "caught (expected)" : "NOT CAUGHT");
	if (b.elsewhere)
		printf("%s: %lu violations not named at its own boundaries\n",
		       broken->name, b.elsewhere);
	return !good && bad > 0 && !b.elsewhere ? 0 : 1;
}
