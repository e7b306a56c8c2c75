// SPDX-License-Identifier: MIT
/*
 * A cmpxchg loop explored with its own oracle: cmpxchg_step() moves a
 * per-CPU word to 3x + 1 with a read and a try_cmpxchg loop, each a
 * restartable op of <krseq/percpu.h>, while an interrupt adds 100 to the
 * same word. read_write_step() reads and writes with the same ops but no
 * cmpxchg: each access is safe, the update is not, and an interrupt
 * between them is overwritten.
 */
#include "twins.h"

#include <krseq/percpu.h>

#include <stdio.h>

static void *words; /* the explorer's per-CPU state (an unsigned long) */
#define WORD (*(unsigned long *)words)

static unsigned long step(unsigned long x)
{
	return 3 * x + 1;
}

/* The new value. */
static __attribute__((noinline)) unsigned long cmpxchg_step(void)
{
	unsigned long old = krseq_pcp_read(KRSEQ_PCP_RESTART, WORD), new;

	do
		new = step(old);
	while (!krseq_pcp_try_cmpxchg(KRSEQ_PCP_RESTART, WORD, &old, new));
	return new;
}

static __attribute__((noinline)) unsigned long read_write_step(void)
{
	unsigned long new = step(krseq_pcp_read(KRSEQ_PCP_RESTART, WORD));

	krseq_pcp_write(KRSEQ_PCP_RESTART, WORD, new);
	return new;
}

static unsigned long word_model(void *copy)
{
	unsigned long *w = copy;

	*w = step(*w);
	return *w;
}

static void word_add(void *copy)
{
	*(unsigned long *)copy += 100;
}

static const char *word_check(const struct krseq_explore_run *r)
{
	static char why[128];
	const unsigned long *got = r->got.copies, *before = r->before;
	const char *bytes = krseq_explore_check_bytes(r);

	if (!bytes)
		return NULL;
	/* A step of a value read before the interrupt, stored after it. */
	for (int cpu = 0; cpu < r->nr_cpus; cpu++)
		for (int from = 0; from < r->nr_cpus; from++)
			if (got[cpu] == step(before[from])) {
				snprintf(
					why, sizeof(why),
					"cpu%d holds the step of cpu%d's value "
					"read before the interrupt: a stale "
					"read",
					cpu, from);
				return why;
			}
	return bytes;
}

int main(void)
{
	struct krseq_explore_target loop = {
		.name = "cmpxchg_step",
		.size = sizeof(unsigned long),
		.state = &words,
		.op = cmpxchg_step,
		.model = word_model,
		.adversary = word_add,
		.check = word_check,
	};
	struct krseq_explore_target rw = loop;

	rw.name = "read_write_step";
	rw.op = read_write_step;
	return explore_twins(&loop, &rw);
}
