// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "../arch.h"

#include <stddef.h>

const char krseq_arch_name[] = "aarch64";
const unsigned int krseq_arch_nr_regs = 31; /* x0-x30 */

uintptr_t krseq_arch_pc(const ucontext_t *uc)
{
	return (uintptr_t)uc->uc_mcontext.pc;
}

void krseq_arch_set_pc(ucontext_t *uc, uintptr_t pc)
{
	uc->uc_mcontext.pc = pc;
}

unsigned long *krseq_arch_reg(ucontext_t *uc, unsigned int reg)
{
	if (reg >= krseq_arch_nr_regs)
		return NULL;
	return (unsigned long *)&uc->uc_mcontext.regs[reg];
}

/* brk #0x4b5, little-endian */
const unsigned char krseq_arch_trap_insn[] = { 0xa0, 0x96, 0x20, 0xd4 };
const unsigned int krseq_arch_trap_len = 4;
const int krseq_arch_trap_signal = SIGTRAP;

/* brk reports the PC of the brk itself. */
uintptr_t krseq_arch_trap_pc(const siginfo_t *si, const ucontext_t *uc)
{
	(void)si;
	return krseq_arch_pc(uc);
}

/* The offset lives in krseq_ta.percpu_offset, TPIDR_EL1's stand-in. */
void krseq_arch_set_cpu_offset(unsigned long off)
{
	(void)off;
}
