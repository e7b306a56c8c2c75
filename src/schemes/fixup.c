// SPDX-License-Identifier: MIT
/*
 * FIXUP's kernel side: entry takes the armed fix-up descriptor out of its
 * slot; exit, if the window covers the PC and the task came back on
 * another CPU, moves the register holding the per-CPU address by the
 * difference of the two CPUs' offsets, so that the rest of the window
 * works on the new CPU's copy. On the offset-adding instruction (the
 * window's first) nothing has been computed yet and nothing is moved.
 * The descriptor goes back either way.
 */
#include <krseq/scheme.h>

static bool fixup_cs(const struct krseq_rseq_cs *cs)
{
	return cs->flags & KRSEQ_CS_FIXUP;
}

static void fixup_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, fixup_cs);
}

static void fixup_act(struct krseq_irq_frame *f, const struct krseq_rseq_cs *cs)
{
	if (krseq_frame_cpu(f) != krseq_frame_entry_cpu(f) &&
	    krseq_frame_pc(f) > cs->start_ip)
		krseq_frame_fixup(f, cs->fixup_reg, krseq_frame_offset_delta(f),
				  cs);
	else
		krseq_frame_hit(f, cs);
}

static void fixup_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_exit(f, save, fixup_act);
}

const struct krseq_kernel_side krseq_kernel_fixup = {
	.name = "fixup",
	.entry = fixup_entry,
	.exit = fixup_exit,
};
