/* SPDX-License-Identifier: MIT */
/*
 * What interrupt exit did with each descriptor of the krseq_cs sections:
 * how often an interrupt found it armed with the PC in its window, and how
 * often that restarted it or fixed its register up. The index is the
 * descriptor's position among all registered descriptors (0 ..
 * krseq_cs_count() - 1), in the order the objects registered. Counts start
 * at zero at krseq_init() and stay readable after krseq_exit(), until the
 * next krseq_init():
 *
 *	struct krseq_section_stats s;
 *	char fn[128];
 *	unsigned long off;
 *
 *	for (unsigned int i = 0; krseq_section_stats(i, &s) == 0; i++) {
 *		krseq_symbolize(s.cs->start_ip, fn, sizeof(fn), &off);
 *		printf("%s+%#lx: %lu restarts\n", fn, off, s.restarted);
 *	}
 */
#ifndef KRSEQ_SECTION_STATS_H
#define KRSEQ_SECTION_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <krseq/rseq.h>

struct krseq_section_stats {
	const struct krseq_rseq_cs *cs;
	uint64_t interrupted; /* found armed with the PC in [start, commit) */
	uint64_t restarted;
	uint64_t fixed_up;
};

/* Descriptor i and its counts: 0, or -ENOENT past the last one. */
int krseq_section_stats(unsigned int i, struct krseq_section_stats *s);
void krseq_section_stats_reset(void);

/*
 * The function holding pc, from the symbol table (static functions too),
 * and pc's offset in it: 0, or -ENOENT with "??" in name. Reads ELF files:
 * not for signal handlers.
 */
int krseq_symbolize(uint64_t pc, char *name, size_t len, unsigned long *off);

#endif /* KRSEQ_SECTION_STATS_H */
