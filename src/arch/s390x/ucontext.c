// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "../arch.h"

#include <stddef.h>

const char krseq_arch_name[] = "s390x";
const unsigned int krseq_arch_nr_regs = 16;

uintptr_t krseq_arch_pc(const ucontext_t *uc)
{
	return (uintptr_t)uc->uc_mcontext.psw.addr;
}

void krseq_arch_set_pc(ucontext_t *uc, uintptr_t pc)
{
	uc->uc_mcontext.psw.addr = pc;
}

unsigned long *krseq_arch_reg(ucontext_t *uc, unsigned int reg)
{
	if (reg >= krseq_arch_nr_regs)
		return NULL;
	return (unsigned long *)&uc->uc_mcontext.gregs[reg];
}

/* Opcode 0x0000 is illegal: SIGILL with si_addr at the instruction. */
const unsigned char krseq_arch_trap_insn[] = { 0x00, 0x00 };
const unsigned int krseq_arch_trap_len = 2;
const int krseq_arch_trap_signal = SIGILL;

uintptr_t krseq_arch_trap_pc(const siginfo_t *si, const ucontext_t *uc)
{
	(void)uc;
	return (uintptr_t)si->si_addr;
}

/* The ops reach the offset through krseq_ta.lowcore, the prefix stand-in. */
void krseq_arch_set_cpu_offset(unsigned long off)
{
	(void)off;
}
