/* SPDX-License-Identifier: MIT */
#ifndef KRSEQ_EXPLORE_INTERNAL_H
#define KRSEQ_EXPLORE_INTERNAL_H

#include "internal.h"

#include <krseq/explore.h>

extern void (*const krseq_probes[KRSEQ_NR_SCHEMES][4][KRSEQ_NR_OPS])(void);
extern void (*const krseq_probes16[KRSEQ_NR_SCHEMES][2])(void);
extern volatile uint64_t krseq_xarg1, krseq_xarg2, krseq_xret;
extern volatile uint64_t krseq_xarg1_hi, krseq_xarg2_hi, krseq_xret_hi;
extern unsigned long *krseq_xnested;
int krseq_probe_vars_alloc(void *vars[5]);
void krseq_probe_nested_section(void);

#endif
