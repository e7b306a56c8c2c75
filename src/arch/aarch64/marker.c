// SPDX-License-Identifier: MIT
/*
 * MARKER on aarch64: the marker byte is the register number plus 1 (x0 may
 * hold the address), and the offset-adding instruction is the
 * "ldr xn, [xb, #percpu_offset]" that brings the thread area's offset
 * into xn, which an "add xn, xn, <template>" then completes. Until that
 * ldr has run, xn holds nothing a fix-up could correct; from the add on,
 * moving it by the difference of the two CPUs' offsets is exact.
 */
#include "../arch.h"

#include <krseq/thread.h>

const unsigned int krseq_arch_marker_bias = 1;

bool krseq_arch_adds_offset(const unsigned char *insn, unsigned int len,
			    unsigned int reg)
{
	uint32_t w;

	if (len < 4)
		return false;
	w = (uint32_t)insn[0] | (uint32_t)insn[1] << 8 |
	    (uint32_t)insn[2] << 16 | (uint32_t)insn[3] << 24;
	/* LDR (immediate, unsigned offset), 64-bit: imm12 scaled by 8. */
	return (w & 0xffc00000u) == 0xf9400000u && (w & 31) == reg &&
	       ((w >> 10) & 0xfff) * 8 == KRSEQ_TA_PERCPU_OFFSET;
}
