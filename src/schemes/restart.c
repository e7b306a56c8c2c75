// SPDX-License-Identifier: MIT
/*
 * RESTART's kernel side, both flavours (restart, restart_sched): entry
 * takes the armed restart descriptor out of its slot, so that a handler's
 * own section cannot clobber it; exit sends the PC back to the restart
 * label when the window covers it and the descriptor's flavour restarts
 * on what happened (any interrupt; or a preemption or a migration), then
 * puts the descriptor back.
 */
#include <krseq/scheme.h>

static bool restart_cs(const struct krseq_rseq_cs *cs)
{
	return !(cs->flags & (KRSEQ_CS_FIXUP | KRSEQ_CS_KSEQ));
}

static void restart_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, restart_cs);
}

static void restart_act(struct krseq_irq_frame *f,
			const struct krseq_rseq_cs *cs)
{
	bool preempted = krseq_frame_preempted(f),
	     migrated = krseq_frame_cpu(f) != krseq_frame_entry_cpu(f);

	if ((cs->flags & KRSEQ_CS_RESTART_IRQ) ||
	    (preempted && (cs->flags & KRSEQ_CS_RESTART_PREEMPT)) ||
	    (migrated && (cs->flags & KRSEQ_CS_RESTART_MIGRATE)))
		krseq_frame_restart(f, cs->abort_ip, cs);
	else
		krseq_frame_hit(f, cs);
}

static void restart_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_exit(f, save, restart_act);
}

const struct krseq_kernel_side krseq_kernel_restart = {
	.name = "restart",
	.entry = restart_entry,
	.exit = restart_exit,
};
