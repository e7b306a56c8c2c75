// SPDX-License-Identifier: MIT
/*
 * Per-descriptor counters of the krseq_cs sections. Interrupt exit bumps
 * them from a signal handler, so the table is allocated at krseq_init()
 * and only atomically incremented afterwards.
 */
#include "internal.h"
#include "arch/arch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cs_counts {
	_Atomic uint64_t interrupted, restarted, fixed_up;
};

static struct cs_counts *_Atomic counts;
static unsigned int nr_counts;

/*
 * Called while the machine is down, so no handler can be reading the old
 * table. It outlives krseq_exit() so that a run can be read afterwards.
 */
int krseq_cs_stats_setup(void)
{
	unsigned int n = krseq_cs_count();
	struct cs_counts *c = atomic_load(&counts);

	if (c && n == nr_counts) {
		krseq_section_stats_reset();
		return 0;
	}
	atomic_store(&counts, NULL);
	free(c);
	nr_counts = 0;
	c = calloc(n ? n : 1, sizeof(*c));
	if (!c)
		return krseq_fail(ENOMEM,
				  "krseq_init: no memory for the counters of "
				  "%u sections",
				  n);
	nr_counts = n;
	atomic_store(&counts, c);
	return 0;
}

static struct cs_counts *counts_of(const struct krseq_rseq_cs *cs)
{
	struct cs_counts *c =
		atomic_load_explicit(&counts, memory_order_acquire);
	long i = krseq_cs_index(cs);

	/* A descriptor of an object loaded after krseq_init() goes uncounted. */
	if (!c || i < 0 || (unsigned long)i >= nr_counts)
		return NULL;
	return &c[i];
}

void krseq_cs_stats_note(const struct krseq_rseq_cs *cs, bool restarted,
			 bool fixed_up)
{
	struct cs_counts *c = counts_of(cs);

	if (!c)
		return;
	atomic_fetch_add_explicit(&c->interrupted, 1, memory_order_relaxed);
	if (restarted)
		atomic_fetch_add_explicit(&c->restarted, 1,
					  memory_order_relaxed);
	if (fixed_up)
		atomic_fetch_add_explicit(&c->fixed_up, 1,
					  memory_order_relaxed);
}

int krseq_section_stats(unsigned int i, struct krseq_section_stats *s)
{
	struct cs_counts *c = atomic_load(&counts);

	memset(s, 0, sizeof(*s));
	s->cs = krseq_cs_at(i);
	if (!s->cs)
		return -ENOENT;
	if (c && i < nr_counts) {
		s->interrupted = atomic_load(&c[i].interrupted);
		s->restarted = atomic_load(&c[i].restarted);
		s->fixed_up = atomic_load(&c[i].fixed_up);
	}
	return 0;
}

void krseq_section_stats_reset(void)
{
	struct cs_counts *c = atomic_load(&counts);

	for (unsigned int i = 0; c && i < nr_counts; i++) {
		atomic_store(&c[i].interrupted, 0);
		atomic_store(&c[i].restarted, 0);
		atomic_store(&c[i].fixed_up, 0);
	}
}

