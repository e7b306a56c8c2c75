// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "../arch.h"

/*
 * The instruction-length code, the first opcode byte's top two bits:
 * 00 is 2 bytes, 01 and 10 are 4, 11 is 6.
 */
static unsigned int insn_len(uintptr_t pc)
{
	static const unsigned char len[4] = { 2, 4, 4, 6 };

	return len[*(const unsigned char *)pc >> 6];
}

int krseq_arch_boundaries(uintptr_t start, uintptr_t end, void (*run)(void),
			  uintptr_t *pcs, int max)
{
	int n = 0;

	(void)run;
	for (uintptr_t pc = start; pc < end && n < max; pc += insn_len(pc))
		pcs[n++] = pc;
	return n;
}

bool krseq_arch_trace_step(const siginfo_t *si, ucontext_t *uc)
{
	(void)si;
	(void)uc;
	return false;
}
