// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "../arch.h"

int krseq_arch_boundaries(uintptr_t start, uintptr_t end, void (*run)(void),
			  uintptr_t *pcs, int max)
{
	int n = 0;

	(void)run;
	for (uintptr_t pc = start; pc < end && n < max;
	     pc += krseq_arch_insn_len((const unsigned char *)pc))
		pcs[n++] = pc;
	return n;
}

bool krseq_arch_trace_step(const siginfo_t *si, ucontext_t *uc)
{
	(void)si;
	(void)uc;
	return false;
}
