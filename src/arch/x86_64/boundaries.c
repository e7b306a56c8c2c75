// SPDX-License-Identifier: MIT
/*
 * x86_64 finds boundaries by running the function under the trap flag, one
 * SIGTRAP per instruction. Only the instructions inside the range are
 * stepped: a breakpoint at the function's first instruction starts the
 * stepping, a call out of the range runs free up to a breakpoint at its
 * return address, and a return to the caller stops it. Code outside the
 * range that is not a call from it (a tail call, a cold part) is stepped
 * as before, so the PCs found are those of stepping everything.
 */
#define _GNU_SOURCE
#include "../arch.h"

#include <stddef.h>
#include <stdlib.h>

#define X86_EFLAGS_TF 0x100

static struct {
	volatile int active;
	uintptr_t start, end, *pcs;
	int n, max;
	bool full; /* every instruction run() runs is stepped */
	bool entered; /* the breakpoint at start fired once at least */
	uintptr_t entry_sp; /* RSP at start: above it, the function returned */
	uintptr_t bp; /* the breakpoint planted (start or a return address) */
	unsigned char saved;
} trace;

static bool seen(uintptr_t pc)
{
	for (int i = 0; i < trace.n; i++)
		if (trace.pcs[i] == pc)
			return true;
	return false;
}

static void keep(uintptr_t pc)
{
	if (pc >= trace.start && pc < trace.end && trace.n < trace.max &&
	    !seen(pc))
		trace.pcs[trace.n++] = pc;
}

static bool in_range(uintptr_t pc)
{
	return pc >= trace.start && pc < trace.end;
}

static int plant(uintptr_t pc)
{
	int err;

	trace.saved = *(const unsigned char *)pc;
	err = krseq_text_write(pc, krseq_arch_trap_insn, krseq_arch_trap_len);
	if (!err)
		trace.bp = pc;
	return err;
}

static void unplant(void)
{
	if (trace.bp && !krseq_text_write(trace.bp, &trace.saved, 1))
		trace.bp = 0;
}

static void set_tf(ucontext_t *uc, bool on)
{
	greg_t *efl = &uc->uc_mcontext.gregs[REG_EFL];

	*efl = on ? *efl | X86_EFLAGS_TF : *efl & ~(greg_t)X86_EFLAGS_TF;
}

/* A step left the range at pc: follow a call free, stop at a return. */
static void left_range(ucontext_t *uc)
{
	uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];

	if (sp > trace.entry_sp) {
		set_tf(uc, false);
		plant(trace.start); /* else a second call is stepped in full */
	} else if (in_range(*(const uintptr_t *)sp) &&
		   !plant(*(const uintptr_t *)sp)) {
		set_tf(uc, false);
	}
}

bool krseq_arch_trace_step(const siginfo_t *si, ucontext_t *uc)
{
	uintptr_t pc = krseq_arch_pc(uc);

	if (!trace.active)
		return false;
	if (si->si_code == TRAP_TRACE) {
		if (in_range(pc) || trace.full)
			keep(pc);
		else
			left_range(uc);
		return true;
	}
	/* int3 leaves RIP just past itself. */
	if (!trace.bp || krseq_arch_trap_pc(si, uc) != trace.bp)
		return false;
	pc = trace.bp;
	unplant();
	if (pc == trace.start) {
		trace.entered = true;
		trace.entry_sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	}
	krseq_arch_set_pc(uc, pc);
	keep(pc);
	set_tf(uc, true);
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
	int err;

	trace.start = start;
	trace.end = end;
	trace.pcs = pcs;
	trace.max = max;
	trace.n = 0;
	trace.full = false;
	trace.entered = false;
	trace.bp = 0;
	err = plant(start);
	if (err)
		return err;
	trace.active = 1;
	run();
	unplant();
	/* Never entered at its first instruction: step all of run(). */
	if (!trace.entered) {
		trace.full = true;
		traced_call(run);
	}
	trace.active = 0;
	qsort(pcs, (size_t)trace.n, sizeof(*pcs), cmp_pc);
	return trace.n;
}
