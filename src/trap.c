// SPDX-License-Identifier: MIT
/*
 * Forcing an interrupt at one instruction boundary: a trap instruction is
 * written over it, and when the task reaches it the original bytes go back
 * and the interrupt entry/exit path runs on the trap's context, so the
 * interrupted PC is exactly the boundary. Text is writable only while a
 * trap is being written or removed.
 */
#include "internal.h"
#include "arch/arch.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct {
	uintptr_t pc;
	unsigned char saved[8];
	struct krseq_forced_irq f;
	bool armed, hit;
} trap;

static int patch_text(uintptr_t pc, const unsigned char *bytes, unsigned int n)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = pc & ~(page - 1);
	size_t len = ((pc + n + page - 1) & ~(page - 1)) - start;

	if (mprotect((void *)start, len, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -errno;
	memcpy((void *)pc, bytes, n);
	__builtin___clear_cache((char *)pc, (char *)pc + n);
	if (mprotect((void *)start, len, PROT_READ | PROT_EXEC))
		return -errno;
	return 0;
}

unsigned int krseq_trap_size(void)
{
	return krseq_arch_trap_len;
}

int krseq_trap_arm(void *pc, const struct krseq_forced_irq *f)
{
	int err;

	if (!krseq_m.up)
		return krseq_fail(EINVAL,
				  "krseq_trap_arm: the machine is not up");
	if (trap.armed)
		return krseq_fail(EBUSY,
				  "krseq_trap_arm: a trap is already "
				  "armed at %#lx",
				  (unsigned long)trap.pc);
	krseq_trap_claim();
	trap.pc = (uintptr_t)pc;
	trap.f = *f;
	trap.hit = false;
	memcpy(trap.saved, pc, krseq_arch_trap_len);
	err = patch_text(trap.pc, krseq_arch_trap_insn, krseq_arch_trap_len);
	if (err)
		return krseq_fail(-err,
				  "krseq_trap_arm: cannot write text at "
				  "%p: %s",
				  pc, strerror(-err));
	trap.armed = true;
	return 0;
}

bool krseq_trap_disarm(void)
{
	if (trap.armed) {
		patch_text(trap.pc, trap.saved, krseq_arch_trap_len);
		trap.armed = false;
	}
	return trap.hit;
}

void krseq_trap_signal(int sig, siginfo_t *si, void *ucv)
{
	struct krseq_task *t = krseq_ta.task;
	ucontext_t *uc = ucv;
	uintptr_t pc = krseq_arch_trap_pc(si, uc);
	int saved_errno = errno;

	if (krseq_arch_trace_step(si, uc))
		return;
	if (!trap.armed || pc != trap.pc || !t) {
		krseq_trap_chain(sig, si, ucv);
		return;
	}
	patch_text(trap.pc, trap.saved, krseq_arch_trap_len);
	trap.armed = false;
	trap.hit = true;
	krseq_arch_set_pc(uc, pc);
	stat_inc(traps);
	if (trap.f.backtrace)
		krseq_backtrace_buf(uc, trap.f.backtrace, trap.f.backtrace_len);
	krseq_irq_entry_exit(t, krseq_forced_src(&trap.f), uc, &trap.f);
	if (trap.f.again && krseq_arch_pc(uc) != pc &&
	    !patch_text(trap.pc, krseq_arch_trap_insn, krseq_arch_trap_len)) {
		trap.f.again--;
		trap.armed = true;
	}
	errno = saved_errno;
}
