// SPDX-License-Identifier: MIT
/*
 * RESTART's kernel side, both flavours (restart, restart_sched): entry
 * takes the armed restart descriptor out of its slot, so that a handler's
 * own section cannot clobber it; exit sends the PC back to the restart
 * label when the window covers it and the descriptor's flavour restarts
 * on what happened (any interrupt; or a preemption or a migration), then
 * puts the descriptor back.
 *
 * Its mutants: those of every descriptor-saving side (cs_mutants.h), and
 * the restart flags ignored, each flavour acting as the other.
 */
#include "cs_mutants.h"

static bool restart_cs(const struct krseq_rseq_cs *cs)
{
	return !(cs->flags & (KRSEQ_CS_FIXUP | KRSEQ_CS_KSEQ));
}

static void restart_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, restart_cs);
}

/* Whether cs restarts on what happened; irq: its irq flag as given. */
static bool restarts(struct krseq_irq_frame *f, const struct krseq_rseq_cs *cs,
		     bool irq)
{
	bool preempted = krseq_frame_preempted(f),
	     migrated = krseq_frame_cpu(f) != krseq_frame_entry_cpu(f);

	return irq || (preempted && (cs->flags & KRSEQ_CS_RESTART_PREEMPT)) ||
	       (migrated && (cs->flags & KRSEQ_CS_RESTART_MIGRATE));
}

static void restart_act(struct krseq_irq_frame *f,
			const struct krseq_rseq_cs *cs)
{
	if (restarts(f, cs, cs->flags & KRSEQ_CS_RESTART_IRQ))
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

CS_MUTANTS(restart, "restart", restart_cs, restart_act)
CS_MUTANT_LATE(restart, restart_act)

/* The irq flavour restarts only as sched does, and sched on any irq. */
static void swapped_act(struct krseq_irq_frame *f,
			const struct krseq_rseq_cs *cs)
{
	if (restarts(f, cs, !(cs->flags & KRSEQ_CS_RESTART_IRQ)))
		krseq_frame_restart(f, cs->abort_ip, cs);
	else
		krseq_frame_hit(f, cs);
}

static void swapped_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_exit(f, save, swapped_act);
}

CS_MUTANT(restart, swapped, "flavour_swap", restart_entry, swapped_exit,
	  "restart flags ignored: the irq flavour treated as sched, and "
	  "the sched flavour as irq",
	  KRSEQ_PLACE_TASK)

const struct krseq_scheme *const krseq_mutants_restart[] = {
	CS_MUTANT_LIST(restart), &restart_mut_late, &restart_mut_swapped, NULL
};
