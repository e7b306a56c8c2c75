// SPDX-License-Identifier: MIT
#include "../arch.h"

/*
 * The instruction-length code, the first opcode byte's top two bits:
 * 00 is 2 bytes, 01 and 10 are 4, 11 is 6.
 */
unsigned int krseq_arch_insn_len(const unsigned char *insn)
{
	static const unsigned char len[4] = { 2, 4, 4, 6 };

	return len[insn[0] >> 6];
}
