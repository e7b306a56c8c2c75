// SPDX-License-Identifier: MIT
/*
 * KSEQ's kernel sides, one per flavour, as Peter Zijlstra's "kseq"
 * follow-up to the in-kernel rseq RFC has them: the sched flavour's
 * pointer is saved across interrupts, the irq flavour's is not.
 *
 * kseq (irq): any interrupt in the window restarts, so entry decides at
 * once: if the window holds the PC it takes the descriptor out of its
 * slot and sends the PC back to the window's start, and keeps nothing for
 * exit. That
 * is correct because the window starts at the arming store (a restart
 * arms again) and the sequence disarms after its commit (a handler's own
 * section, which may leave its descriptor in the slot, is overwritten or
 * cleared before the task relies on the slot again).
 *
 * kseq_sched: entry takes the descriptor out of its slot, as RESTART
 * does; the check is made where the task is switched out (preempted, and
 * maybe migrated afterwards), which sends the PC back to the window's
 * start; exit puts the descriptor back, so that the restarted window runs
 * armed.
 */
#include <krseq/scheme.h>

static bool kseq_irq_cs(const struct krseq_rseq_cs *cs)
{
	return (cs->flags & KRSEQ_CS_KSEQ) &&
	       (cs->flags & KRSEQ_CS_RESTART_IRQ);
}

static bool kseq_sched_cs(const struct krseq_rseq_cs *cs)
{
	return (cs->flags & KRSEQ_CS_KSEQ) &&
	       !(cs->flags & KRSEQ_CS_RESTART_IRQ);
}

/* The start of the window that holds the PC, once, if one does. */
static bool restart_covering(struct krseq_irq_frame *f,
			     const unsigned long *save)
{
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_covering(f, save, i);

		if (cs) {
			krseq_frame_restart(f, cs->abort_ip, cs);
			return true;
		}
	}
	return false;
}

/*
 * A window this interrupt hit is consumed: not saved across it. One it did
 * not hit stays armed for the interrupt that does: an NMI that lands in the
 * entry path, before the interrupted interrupt's hooks ran, must not take
 * the task's window from under it (the explorer's nmi-entry adversary).
 */
static void kseq_irq_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, kseq_irq_cs);
	if (!restart_covering(f, save))
		krseq_cs_restore(f, save);
	save[0] = save[1] = 0;
}

const struct krseq_kernel_side krseq_kernel_kseq = {
	.name = "kseq",
	.entry = kseq_irq_entry,
};

static void kseq_sched_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, kseq_sched_cs);
}

static void kseq_sched_switch_out(struct krseq_irq_frame *f,
				  unsigned long *save)
{
	restart_covering(f, save);
}

static void kseq_sched_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	for (int i = 0; i < 2 && !krseq_frame_preempted(f); i++)
		krseq_frame_hit(f, krseq_cs_covering(f, save, i));
	krseq_cs_restore(f, save);
}

const struct krseq_kernel_side krseq_kernel_kseq_sched = {
	.name = "kseq_sched",
	.entry = kseq_sched_entry,
	.exit = kseq_sched_exit,
	.switch_out = kseq_sched_switch_out,
};
