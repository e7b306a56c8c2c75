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

/*
 * Which window holds the PC: the descriptor's; or a mutant's, whose check
 * is inverted or whose end is one instruction early or late.
 */
enum {
	WIN_CORRECT,
	WIN_INVERTED,
	WIN_EARLY,
	WIN_LATE
};

static bool holds(struct krseq_irq_frame *f, const unsigned long *save, int i,
		  int win)
{
	const struct krseq_rseq_cs *cs = krseq_cs_saved(save, i);
	uintptr_t pc = krseq_frame_pc(f), end;

	if (win == WIN_CORRECT || !cs)
		return krseq_cs_covering(f, save, i);
	if (win == WIN_INVERTED)
		return !krseq_cs_covering(f, save, i);
	end = cs->post_commit_ip;
	if (win == WIN_LATE)
		return pc >= cs->start_ip && pc < end + krseq_insn_len(end);
	return pc >= cs->start_ip && pc + krseq_frame_insn_len(f) < end;
}

/* The start of the window that holds the PC, once, if one does. */
static bool restart_as(struct krseq_irq_frame *f, const unsigned long *save,
		       int win)
{
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_saved(save, i);

		if (cs && holds(f, save, i, win)) {
			krseq_frame_restart(f, cs->abort_ip, cs);
			return true;
		}
	}
	return false;
}

/* What the irq flavour's entry keeps armed: each mutant changes one. */
enum {
	KEEP_MISSED,
	KEEP_NONE,
	KEEP_HIT
};

/*
 * A window this interrupt hit is consumed: not saved across it. One it did
 * not hit stays armed for the interrupt that does: an NMI that lands in the
 * entry path, before the interrupted interrupt's hooks ran, must not take
 * the task's window from under it (the explorer's nmi-entry adversary).
 */
static void irq_entry_as(struct krseq_irq_frame *f, unsigned long *save,
			 bool (*mine)(const struct krseq_rseq_cs *cs), int win,
			 int keep)
{
	bool hit;

	krseq_cs_save(f, save, mine);
	hit = restart_as(f, save, win);
	if (keep == (hit ? KEEP_HIT : KEEP_MISSED))
		krseq_cs_restore(f, save);
	save[0] = save[1] = 0;
}

static void kseq_irq_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	irq_entry_as(f, save, kseq_irq_cs, WIN_CORRECT, KEEP_MISSED);
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
	restart_as(f, save, WIN_CORRECT);
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

/*
 * The mutants, one change each: the window check inverted, its end one
 * instruction early or late, the restore skipped or done only after a
 * restart, the entry hook after a kseq op (v1), each flavour acting as the
 * other, and (sched) the slot left where it is under per-CPU placement.
 * The irq flavour consumes its window at entry and carries nothing
 * across the interrupt, so it has no placement mutant.
 */
#define IRQ_ENTRY(m, mine, win, keep)                                          \
	static void m##_entry(struct krseq_irq_frame *f, unsigned long *save)  \
	{                                                                      \
		irq_entry_as(f, save, mine, win, keep);                        \
	}
IRQ_ENTRY(irq_inverted, kseq_irq_cs, WIN_INVERTED, KEEP_MISSED)
IRQ_ENTRY(irq_early, kseq_irq_cs, WIN_EARLY, KEEP_MISSED)
IRQ_ENTRY(irq_late, kseq_irq_cs, WIN_LATE, KEEP_MISSED)
IRQ_ENTRY(irq_no_restore, kseq_irq_cs, WIN_CORRECT, KEEP_NONE)
IRQ_ENTRY(irq_if_acted, kseq_irq_cs, WIN_CORRECT, KEEP_HIT)
/* The sched flavour's windows restarted on any interrupt, as irq's. */
IRQ_ENTRY(sched_as_irq, kseq_sched_cs, WIN_CORRECT, KEEP_MISSED)

#define SWITCH_OUT(m, win)                                                     \
	static void m##_switch_out(struct krseq_irq_frame *f,                  \
				   unsigned long *save)                        \
	{                                                                      \
		restart_as(f, save, win);                                      \
	}
SWITCH_OUT(sched_inverted, WIN_INVERTED)
SWITCH_OUT(sched_early, WIN_EARLY)
SWITCH_OUT(sched_late, WIN_LATE)

static void sched_no_restore_exit(struct krseq_irq_frame *f,
				  unsigned long *save)
{
	(void)f;
	(void)save;
}

/* Restored only where switch_out may have restarted: on a preemption. */
static void sched_if_acted_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	if (krseq_frame_preempted(f))
		krseq_cs_restore(f, save);
}

/* The irq flavour's windows restarted only on a switch, as sched's. */
static void irq_as_sched_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, kseq_irq_cs);
}

/* Nothing saved at entry: the switch finds the slot as it is. */
static void sched_unsaved_switch_out(struct krseq_irq_frame *f,
				     unsigned long *save)
{
	krseq_cs_save(f, save, kseq_sched_cs);
	restart_as(f, save, WIN_CORRECT);
	krseq_cs_restore(f, save);
}

/* v1: a kseq op in the entry path arms its own window first. */
static void op_first(void)
{
	krseq_seq_fn op =
		krseq_scheme_seq(krseq_scheme_find("kseq"), KRSEQ_OP_ADD, 8);

	if (op)
		op(krseq_entry_percpu(), 1, 0);
}

static void irq_op_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	op_first();
	kseq_irq_entry(f, save);
}

static void sched_op_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	op_first();
	kseq_sched_entry(f, save);
}

#define MUTANT(m, nm, e, x, so, b, pl)                                         \
	KRSEQ_MUTANT(mut_##m, nm, e, x, so, b, pl);
#define BUG_INVERTED                                                           \
	"the window check inverted: restarts a window that "                   \
	"does not hold the PC"
#define BUG_EARLY                                                              \
	"the window's end one instruction early: its last "                    \
	"instruction is left out"
#define BUG_LATE                                                               \
	"the window's end one instruction late: the instruction "              \
	"after it is taken in"
#define BUG_OP "the entry hook moved after a kseq op in the entry path (v1)"
MUTANT(irq_inverted, "exit_inverted", irq_inverted_entry, NULL, NULL,
       BUG_INVERTED, KRSEQ_PLACE_TASK)
MUTANT(irq_early, "end_early", irq_early_entry, NULL, NULL, BUG_EARLY,
       KRSEQ_PLACE_TASK)
MUTANT(irq_late, "end_late", irq_late_entry, NULL, NULL, BUG_LATE,
       KRSEQ_PLACE_TASK)
MUTANT(irq_no_restore, "no_restore", irq_no_restore_entry, NULL, NULL,
       "the restore skipped: a window the interrupt did not hit is taken "
       "out of its slot for good",
       KRSEQ_PLACE_TASK)
MUTANT(irq_if_acted, "restore_if_acted", irq_if_acted_entry, NULL, NULL,
       "the restore done only when a restart happened", KRSEQ_PLACE_TASK)
MUTANT(irq_op_entry, "entry_after_op", irq_op_entry, NULL, NULL, BUG_OP,
       KRSEQ_PLACE_TASK)
MUTANT(irq_as_sched, "flavour_swap", irq_as_sched_entry, kseq_sched_exit,
       kseq_sched_switch_out,
       "restart flags ignored: the irq flavour treated as sched",
       KRSEQ_PLACE_TASK)

const struct krseq_scheme *const krseq_mutants_kseq[] = {
	&mut_irq_inverted, &mut_irq_early,
	&mut_irq_late,	   &mut_irq_no_restore,
	&mut_irq_if_acted, &mut_irq_op_entry,
	&mut_irq_as_sched, NULL
};

MUTANT(sched_inverted, "exit_inverted", kseq_sched_entry, kseq_sched_exit,
       sched_inverted_switch_out, BUG_INVERTED, KRSEQ_PLACE_TASK)
MUTANT(sched_early, "end_early", kseq_sched_entry, kseq_sched_exit,
       sched_early_switch_out, BUG_EARLY, KRSEQ_PLACE_TASK)
MUTANT(sched_late, "end_late", kseq_sched_entry, kseq_sched_exit,
       sched_late_switch_out, BUG_LATE, KRSEQ_PLACE_TASK)
MUTANT(sched_no_restore, "no_restore", kseq_sched_entry, sched_no_restore_exit,
       kseq_sched_switch_out,
       "the restore skipped: the slot stays empty after the interrupt",
       KRSEQ_PLACE_TASK)
MUTANT(sched_if_acted, "restore_if_acted", kseq_sched_entry,
       sched_if_acted_exit, kseq_sched_switch_out,
       "the restore done only when a restart may have happened",
       KRSEQ_PLACE_TASK)
MUTANT(sched_op_entry, "entry_after_op", sched_op_entry, kseq_sched_exit,
       kseq_sched_switch_out, BUG_OP, KRSEQ_PLACE_TASK)
MUTANT(sched_as_irq, "flavour_swap", sched_as_irq_entry, NULL, NULL,
       "restart flags ignored: the sched flavour treated as irq",
       KRSEQ_PLACE_TASK)
MUTANT(sched_unsaved, "cpu_unsaved", NULL, NULL, sched_unsaved_switch_out,
       "per-CPU placement without the entry save and exit restore: the "
       "slot is left where it is, as if it moved with the task",
       KRSEQ_PLACE_CPU)

const struct krseq_scheme *const krseq_mutants_kseq_sched[] = {
	&mut_sched_inverted,   &mut_sched_early,    &mut_sched_late,
	&mut_sched_no_restore, &mut_sched_if_acted, &mut_sched_op_entry,
	&mut_sched_as_irq,     &mut_sched_unsaved,  NULL
};
