/* SPDX-License-Identifier: MIT */
#ifndef KRSEQ_EXPLORE_INTERNAL_H
#define KRSEQ_EXPLORE_INTERNAL_H

#include "internal.h"

#include <krseq/explore.h>
#include <krseq/scheme.h>

extern volatile uint64_t krseq_xarg1, krseq_xarg2, krseq_xret;
extern volatile uint64_t krseq_xarg1_hi, krseq_xarg2_hi, krseq_xret_hi;
extern unsigned long *krseq_xnested;
int krseq_probe_vars_alloc(void *vars[5]);
void krseq_probe_nested_section(void);
/* The run() that calls fn (or fn16) on var once. */
void (*krseq_probe_set(krseq_seq_fn fn, krseq_seq16_fn fn16, void *var))(void);

/*
 * The run an exploration is in, kept where krseq_explore_inflight points
 * (NULL: nowhere), for a process watching from outside that cannot ask
 * the task once it has died: a mutant may crash it.
 */
struct krseq_explore_inflight;
extern struct krseq_explore_inflight *krseq_explore_inflight;
size_t krseq_explore_inflight_size(void);
/* The boundaries, depth and adversaries of that run, into v. */
void krseq_explore_inflight_describe(const struct krseq_explore_inflight *in,
				     struct krseq_explore_violation *v);

#endif
