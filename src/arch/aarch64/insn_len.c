// SPDX-License-Identifier: MIT
#include "../arch.h"

/* Every instruction is 4 bytes. */
unsigned int krseq_arch_insn_len(const unsigned char *insn)
{
	(void)insn;
	return 4;
}
