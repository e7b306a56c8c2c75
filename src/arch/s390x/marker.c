// SPDX-License-Identifier: MIT
/*
 * MARKER on s390x: the marker byte is the register number itself, as in
 * the kernel (r0 cannot address memory, so 0 is free to mean closed), and
 * the offset-adding instruction is "ag %rn,d(x,b)" with d the thread
 * area's percpu_offset: the kernel's "ag %rn,952" with the thread area in
 * place of the prefixed lowcore at absolute 0.
 */
#include "../arch.h"

#include <krseq/thread.h>

const unsigned int krseq_arch_marker_bias = 0;

bool krseq_arch_adds_offset(const unsigned char *insn, unsigned int len,
			    unsigned int reg)
{
	long disp;

	/* RXY-a: e3 | r1 x2 | b2 dl2 (12 bits) | dh2 (8 bits, signed) | 08 */
	if (len < 6 || insn[0] != 0xe3 || insn[5] != 0x08 ||
	    (unsigned int)(insn[1] >> 4) != reg)
		return false;
	disp = (long)(((insn[2] & 0x0f) << 8) | insn[3]) +
	       (long)(signed char)insn[4] * 4096;
	return disp == KRSEQ_TA_PERCPU_OFFSET;
}
