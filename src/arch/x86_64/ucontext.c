// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "../arch.h"

#include <asm/hwcap2.h>
#include <asm/prctl.h>
#include <stddef.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

const char krseq_arch_name[] = "x86_64";

/* Hardware register numbers (as in ModRM) to gregs[] slots. */
static const int x86_gregs[16] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8,	 REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};
const unsigned int krseq_arch_nr_regs = 16;

uintptr_t krseq_arch_pc(const ucontext_t *uc)
{
	return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
}

void krseq_arch_set_pc(ucontext_t *uc, uintptr_t pc)
{
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
}

unsigned long *krseq_arch_reg(ucontext_t *uc, unsigned int reg)
{
	if (reg >= krseq_arch_nr_regs)
		return NULL;
	return (unsigned long *)&uc->uc_mcontext.gregs[x86_gregs[reg]];
}

const unsigned char krseq_arch_trap_insn[] = { 0xcc }; /* int3 */
const unsigned int krseq_arch_trap_len = 1;
const int krseq_arch_trap_signal = SIGTRAP;

/* int3 leaves RIP just past itself. */
uintptr_t krseq_arch_trap_pc(const siginfo_t *si, const ucontext_t *uc)
{
	(void)si;
	return krseq_arch_pc(uc) - 1;
}

/*
 * The GS base holds the offset, so ops are %gs:var(%rip) as in the kernel.
 * Set from a signal handler it survives sigreturn. Where the kernel lets
 * user mode write it (FSGSBASE, in AT_HWCAP2), a migration costs no
 * system call; elsewhere arch_prctl(), the dearest call in a run.
 */
void krseq_arch_set_cpu_offset(unsigned long off)
{
	if (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE)
		__asm__ __volatile__("wrgsbase %0" : : "r"(off) : "memory");
	else
		syscall(SYS_arch_prctl, ARCH_SET_GS, off);
}
