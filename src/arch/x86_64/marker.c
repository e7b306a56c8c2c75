// SPDX-License-Identifier: MIT
/*
 * MARKER on x86_64: the marker byte is the register number plus 1 (%rax
 * may hold the address), and the offset-adding instruction is
 * "addq percpu_offset(%base), %rn", the thread area's offset added to the
 * register holding the template: REX.W 03 /r with a memory operand whose
 * displacement is that field's.
 */
#include "../arch.h"

#include <krseq/thread.h>

const unsigned int krseq_arch_marker_bias = 1;

bool krseq_arch_adds_offset(const unsigned char *insn, unsigned int len,
			    unsigned int reg)
{
	unsigned int rex, modrm, mod, rm, at = 3;
	long disp = 0;

	if (len < 3 || (insn[0] & 0xf8) != 0x48 || insn[1] != 0x03)
		return false;
	rex = insn[0];
	modrm = insn[2];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3 || ((rex & 4) << 1 | ((modrm >> 3) & 7)) != reg)
		return false;
	/* A base register, no index: not %rip-relative nor absolute. */
	if (rm == 4) {
		unsigned int sib = insn[at++];

		if (((sib >> 3) & 7) != 4 || (rex & 2) ||
		    (mod == 0 && (sib & 7) == 5))
			return false;
	} else if (mod == 0 && rm == 5) {
		return false;
	}
	if (mod == 1 && at < len)
		disp = (signed char)insn[at];
	else if (mod == 2 && at + 4 <= len)
		disp = (int32_t)((uint32_t)insn[at] |
				 (uint32_t)insn[at + 1] << 8 |
				 (uint32_t)insn[at + 2] << 16 |
				 (uint32_t)insn[at + 3] << 24);
	else if (mod != 0)
		return false;
	return disp == KRSEQ_TA_PERCPU_OFFSET;
}
