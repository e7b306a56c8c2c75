// SPDX-License-Identifier: MIT
/*
 * MARKER's kernel side, the merged s390 protocol ("s390: Improve
 * this_cpu operations"): no descriptor, only a byte that names the
 * register holding the per-CPU address while a section is open.
 *
 * Entry runs before anything in the handler may use per-CPU data (a
 * handler's own section would overwrite the byte): it keeps the byte and
 * the CPU in the frame's save area and closes the byte. Exit always puts
 * the byte back into the thread area the task returns with, fixed up or
 * not: the section is still open, and a later interrupt in it must see
 * that (the series' v3 restored it only after a fix-up). The fix-up: if
 * a section was open, the task came back on another CPU, and the PC is
 * not on the instruction that adds the offset (decoded from its bytes:
 * until it has run, the register holds no offset to correct), register n
 * moves by the difference of the two CPUs' offsets.
 */
#include <krseq/scheme.h>

enum {
	SAVE_MARKER,
	SAVE_CPU
};

static void marker_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	struct krseq_thread_area *ta = krseq_frame_task(f);

	save[SAVE_MARKER] = ta->marker;
	save[SAVE_CPU] = (unsigned long)krseq_frame_entry_cpu(f);
	ta->marker = 0;
	krseq_barrier();
}

static void marker_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	int n = krseq_frame_marker_reg((unsigned int)save[SAVE_MARKER]);

	if (n >= 0) {
		if ((unsigned long)krseq_frame_cpu(f) != save[SAVE_CPU] &&
		    !krseq_frame_adds_offset(f, (unsigned int)n))
			krseq_frame_fixup(f, (unsigned int)n,
					  krseq_frame_offset_delta(f), NULL);
		else
			krseq_frame_hit(f, NULL);
	}
	krseq_frame_task(f)->marker = (unsigned char)save[SAVE_MARKER];
	krseq_barrier();
}

const struct krseq_kernel_side krseq_kernel_marker = {
	.name = "marker",
	.entry = marker_entry,
	.exit = marker_exit,
};
