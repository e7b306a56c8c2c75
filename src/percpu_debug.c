// SPDX-License-Identifier: MIT
/*
 * Per-CPU ops where they mean nothing, reported as CONFIG_DEBUG_PREEMPT
 * reports smp_processor_id() in preemptible code: __this_cpu_*() from
 * preemptible code (a warning), and any per-CPU op from a thread that is
 * not a krseq task (fatal: it has no CPU, so no copy is its own).
 *
 * A thread that is not a task sees an offset that leads nowhere
 * (KRSEQ_NONTASK_OFFSET: the template plus it is unmapped or not even a
 * valid address), so its op faults instead of writing some CPU's copy;
 * the fault handler recognises that fault and names where it happened.
 * The ops' fast path is unchanged.
 */
#include "internal.h"
#include "arch/arch.h"

#include <krseq/percpu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Atomic int reported;

static __attribute__((noreturn)) void nontask_bug(const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
		 "krseq: BUG: %s from thread %d, which is not a krseq task\n",
		 what, (int)gettid());
	krseq_write_str(2, msg);
	abort();
}

void krseq_this_cpu_preempt_check(const char *op)
{
	char msg[160];

	if (!krseq_ta.task) {
		snprintf(msg, sizeof(msg), "using %s()", op);
		nontask_bug(msg);
	}
	stat_inc(preempt_check_failures);
	if (atomic_exchange(&reported, 1))
		return;
	snprintf(msg, sizeof(msg),
		 "krseq: BUG: using %s() in preemptible code (task %d)\n", op,
		 krseq_task_id(krseq_current()));
	krseq_write_str(2, msg);
}

struct krseq_lowcore krseq_nontask_lowcore = {
	.percpu_offset = KRSEQ_NONTASK_OFFSET,
	.cpu = -1,
};

void krseq_ta_make_nontask(void)
{
	memset(&krseq_ta, 0, sizeof(krseq_ta));
	krseq_ta.percpu_offset = KRSEQ_NONTASK_OFFSET;
	krseq_ta.lowcore = &krseq_nontask_lowcore;
	krseq_arch_set_cpu_offset(KRSEQ_NONTASK_OFFSET);
}

static bool nontask_addr(uintptr_t a)
{
	return a >= KRSEQ_NONTASK_OFFSET && a < 2 * KRSEQ_NONTASK_OFFSET;
}

/*
 * template + KRSEQ_NONTASK_OFFSET lies in [offset, 2 * offset). The kernel
 * reports that address, but qemu-user reports none for an address beyond
 * the guest's space, and x86_64 none for a non-canonical one (a general
 * protection fault): then the address the op computed is looked for in
 * the registers (aarch64, s390x), or the fault is the kernel's own
 * (x86_64's GS-relative access computes it in no register).
 */
static bool nontask_fault(const siginfo_t *si, ucontext_t *uc)
{
	if (krseq_ta.task || krseq_ta.percpu_offset != KRSEQ_NONTASK_OFFSET)
		return false;
	if (nontask_addr((uintptr_t)si->si_addr))
		return true;
	if (si->si_addr)
		return false;
	if (si->si_code == SI_KERNEL)
		return true;
	for (unsigned int r = 0; r < krseq_arch_nr_regs; r++)
		if (nontask_addr(*krseq_arch_reg(uc, r)))
			return true;
	return false;
}

static struct sigaction saved_segv;

static void segv_signal(int sig, siginfo_t *si, void *ucv)
{
	const struct sigaction *old = &saved_segv;

	if (nontask_fault(si, ucv)) {
		uintptr_t pc = krseq_arch_pc(ucv);
		char name[96], what[160];
		unsigned long off;

		krseq_symbolize(pc, name, sizeof(name), &off);
		snprintf(what, sizeof(what), "per-CPU access at %s+%#lx", name,
			 off);
		nontask_bug(what);
	}
	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, ucv);
	} else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
	} else {
		/* Returning re-executes the fault under the default. */
		signal(sig, SIG_DFL);
	}
}

/* Chained like the trap signal; taken back if a framework replaced it. */
void krseq_segv_claim(void)
{
	struct sigaction cur;

	sigaction(SIGSEGV, NULL, &cur);
	if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == segv_signal)
		return;
	saved_segv = cur;
	memset(&cur, 0, sizeof(cur));
	cur.sa_sigaction = segv_signal;
	cur.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &cur, NULL);
}

/* The program's first thread, before any krseq_init(), is not a task. */
__attribute__((constructor)) static void nontask_setup(void)
{
	krseq_arch_set_cpu_offset(KRSEQ_NONTASK_OFFSET);
	krseq_segv_claim();
}
