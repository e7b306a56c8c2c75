// SPDX-License-Identifier: MIT
/*
 * What the explorer runs: a scheme's sequence called once through run(),
 * with its operands and result in globals, so that the run holds the
 * call and nothing else; and the variables it runs on.
 */
#include "explore_internal.h"

#include <errno.h>

/*
 * The variables come from krseq_alloc_percpu() when exploring starts: the
 * library defines no static per-CPU data, which would have to share one
 * offset with the program's, far away in the address space.
 */
uint8_t *krseq_xv1;
uint16_t *krseq_xv2;
uint32_t *krseq_xv4;
uint64_t *krseq_xv8;
krseq_u128 *krseq_xv16;
unsigned long *krseq_xnested;
volatile uint64_t krseq_xarg1, krseq_xarg2, krseq_xret;
volatile uint64_t krseq_xarg1_hi, krseq_xarg2_hi, krseq_xret_hi;

/* The sequence the next run() calls, and on what. */
static krseq_seq_fn cur_seq;
static krseq_seq16_fn cur_seq16;
static void *cur_var;

static void run_seq(void)
{
	krseq_xret = cur_seq(cur_var, krseq_xarg1, krseq_xarg2);
	krseq_xret_hi = 0;
}

#define ARG128(n) (((krseq_u128)krseq_xarg##n##_hi << 64) | krseq_xarg##n)
static void run_seq16(void)
{
	krseq_u128 r = cur_seq16(cur_var, ARG128(1), ARG128(2));

	krseq_xret = (uint64_t)r;
	krseq_xret_hi = (uint64_t)(r >> 64);
}

void (*krseq_probe_set(krseq_seq_fn fn, krseq_seq16_fn fn16, void *var))(void)
{
	cur_seq = fn;
	cur_seq16 = fn16;
	cur_var = var;
	return fn16 ? run_seq16 : run_seq;
}

int krseq_probe_vars_alloc(void *vars[5])
{
	krseq_xv1 = vars[0] = krseq_alloc_percpu(uint8_t);
	krseq_xv2 = vars[1] = krseq_alloc_percpu(uint16_t);
	krseq_xv4 = vars[2] = krseq_alloc_percpu(uint32_t);
	krseq_xv8 = vars[3] = krseq_alloc_percpu(uint64_t);
	krseq_xv16 = vars[4] = krseq_alloc_percpu(krseq_u128);
	krseq_xnested = krseq_alloc_percpu(unsigned long);
	return krseq_xv1 && krseq_xv2 && krseq_xv4 && krseq_xv8 && krseq_xv16 &&
			       krseq_xnested ?
		       0 :
		       -ENOMEM;
}

/* A RESTART section of the nested handler's own, on its own variable. */
void krseq_probe_nested_section(void)
{
	krseq_pcp_inc(KRSEQ_PCP_RESTART, *krseq_xnested);
}
