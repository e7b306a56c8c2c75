// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "../arch.h"

#include <stddef.h>
#include <stdlib.h>

#define X86_EFLAGS_TF 0x100

static struct {
	volatile int active;
	uintptr_t start, end, *pcs;
	int n, max;
} trace;

static bool seen(uintptr_t pc)
{
	for (int i = 0; i < trace.n; i++)
		if (trace.pcs[i] == pc)
			return true;
	return false;
}

bool krseq_arch_trace_step(const siginfo_t *si, ucontext_t *uc)
{
	uintptr_t pc = krseq_arch_pc(uc);

	if (!trace.active || si->si_code != TRAP_TRACE)
		return false;
	if (pc >= trace.start && pc < trace.end && trace.n < trace.max &&
	    !seen(pc))
		trace.pcs[trace.n++] = pc;
	return true;
}

/* Set TF around the call: every instruction in between traps once. */
static __attribute__((noinline)) void traced_call(void (*run)(void))
{
	__asm__ __volatile__("pushfq\n\torq %0, (%%rsp)\n\tpopfq"
			     :
			     : "i"(X86_EFLAGS_TF)
			     : "memory", "cc");
	run();
	__asm__ __volatile__("pushfq\n\tandq %0, (%%rsp)\n\tpopfq"
			     :
			     : "i"(~X86_EFLAGS_TF)
			     : "memory", "cc");
}

static int cmp_pc(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

int krseq_arch_boundaries(uintptr_t start, uintptr_t end, void (*run)(void),
			  uintptr_t *pcs, int max)
{
	trace.start = start;
	trace.end = end;
	trace.pcs = pcs;
	trace.max = max;
	trace.n = 0;
	trace.active = 1;
	traced_call(run);
	trace.active = 0;
	qsort(pcs, (size_t)trace.n, sizeof(*pcs), cmp_pc);
	return trace.n;
}
