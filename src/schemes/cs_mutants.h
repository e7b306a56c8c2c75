/* SPDX-License-Identifier: MIT */
/*
 * The mutants every kernel side built on krseq_cs_save() and
 * krseq_cs_exit() has (RESTART's, FIXUP's): each is the side's own
 * mine() and act() with one thing done wrong, written with the public
 * scheme API only. CS_MUTANTS(p, scheme, mine, act) defines them for the
 * side whose entry hook is p##_entry and whose exit is p##_exit;
 * CS_MUTANT_LIST(p) lists them for the side's mutants.
 */
#ifndef KRSEQ_SCHEMES_CS_MUTANTS_H
#define KRSEQ_SCHEMES_CS_MUTANTS_H

#include <krseq/scheme.h>

typedef void (*cs_act_fn)(struct krseq_irq_frame *f,
			  const struct krseq_rseq_cs *cs);
typedef bool (*cs_mine_fn)(const struct krseq_rseq_cs *cs);

/* Acts on the saved windows that do not hold the PC. */
static inline void cs_mut_inverted(struct krseq_irq_frame *f,
				   unsigned long *save, cs_act_fn act)
{
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_saved(save, i);

		if (cs && !krseq_cs_covering(f, save, i))
			act(f, cs);
	}
	krseq_cs_restore(f, save);
}

static inline void cs_mut_no_restore(struct krseq_irq_frame *f,
				     unsigned long *save, cs_act_fn act)
{
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_covering(f, save, i);

		if (cs)
			act(f, cs);
	}
}

/* Restores only if act() moved the PC or the fix-up register. */
static inline void cs_mut_if_acted(struct krseq_irq_frame *f,
				   unsigned long *save, cs_act_fn act)
{
	bool acted = false;

	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_covering(f, save, i);
		uintptr_t pc = krseq_frame_pc(f);
		unsigned long *r, v;

		if (!cs)
			continue;
		r = krseq_frame_reg(f, cs->fixup_reg);
		v = r ? *r : 0;
		act(f, cs);
		acted |= krseq_frame_pc(f) != pc || (r && *r != v);
	}
	if (acted)
		krseq_cs_restore(f, save);
}

/*
 * The window's end moved by one instruction: early leaves out the
 * instruction that ends at it, late takes in the one that starts at it.
 */
static inline void cs_mut_window(struct krseq_irq_frame *f, unsigned long *save,
				 cs_act_fn act, bool late)
{
	uintptr_t pc = krseq_frame_pc(f);

	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_saved(save, i);
		uintptr_t end;

		if (!cs || pc < cs->start_ip)
			continue;
		end = late ? cs->post_commit_ip +
				      krseq_insn_len(cs->post_commit_ip) :
			     cs->post_commit_ip;
		if (late ? pc < end : pc + krseq_frame_insn_len(f) < end)
			act(f, cs);
	}
	krseq_cs_restore(f, save);
}

/* The scheme's own add at 8 bytes runs in the entry path, then the save. */
static inline void cs_mut_op_entry(struct krseq_irq_frame *f,
				   unsigned long *save, const char *scheme,
				   cs_mine_fn mine)
{
	krseq_seq_fn op =
		krseq_scheme_seq(krseq_scheme_find(scheme), KRSEQ_OP_ADD, 8);

	if (op)
		op(krseq_entry_percpu(), 1, 0);
	krseq_cs_save(f, save, mine);
}

/* Nothing saved at entry: exit acts on the slots as it finds them. */
static inline void cs_mut_unsaved(struct krseq_irq_frame *f,
				  unsigned long *save, cs_mine_fn mine,
				  cs_act_fn act)
{
	krseq_cs_save(f, save, mine);
	krseq_cs_exit(f, save, act);
}

/* The review findings, as the mutants' bugs. */
#define CS_BUG_INVERTED                                                        \
	"the exit check inverted: acts on a window that does not hold the "    \
	"PC (the s390 series' v3 inverted its check of the PC)"
#define CS_BUG_NO_RESTORE                                                      \
	"the restore skipped: the slot stays empty after the interrupt"
#define CS_BUG_IF_ACTED                                                        \
	"the restore done only when a restart or fix-up happened (v3 "         \
	"restored the marker only after a fix-up)"
#define CS_BUG_OP_ENTRY                                                        \
	"the entry hook moved after a per-CPU op of the same scheme in the "   \
	"entry path (v1)"
#define CS_BUG_END_EARLY                                                       \
	"the window's end one instruction early: its last instruction is "     \
	"left out"
#define CS_BUG_END_LATE                                                        \
	"the window's end one instruction late: the instruction after it is "  \
	"taken in"
#define CS_BUG_UNSAVED                                                         \
	"per-CPU placement without the entry save and exit restore: the "      \
	"slot is left where it is, as if it moved with the task"

#define CS_MUTANT(p, m, nm, e, x, b, pl)                                       \
	KRSEQ_MUTANT(p##_mut_##m, nm, e, x, NULL, b, pl);

#define CS_HOOK(p, m, call)                                                    \
	static void p##_mut_##m##_exit(struct krseq_irq_frame *f,              \
				       unsigned long *save)                    \
	{                                                                      \
		call;                                                          \
	}

#define CS_MUTANTS(p, scheme, mine, act)                                       \
	CS_HOOK(p, inverted, cs_mut_inverted(f, save, act))                    \
	CS_HOOK(p, no_restore, cs_mut_no_restore(f, save, act))                \
	CS_HOOK(p, if_acted, cs_mut_if_acted(f, save, act))                    \
	CS_HOOK(p, early, cs_mut_window(f, save, act, false))                  \
	CS_HOOK(p, unsaved, cs_mut_unsaved(f, save, mine, act))                \
	static void p##_mut_op_entry_hook(struct krseq_irq_frame *f,           \
					  unsigned long *save)                 \
	{                                                                      \
		cs_mut_op_entry(f, save, scheme, mine);                        \
	}                                                                      \
	CS_MUTANT(p, inverted, "exit_inverted", p##_entry,                     \
		  p##_mut_inverted_exit, CS_BUG_INVERTED, KRSEQ_PLACE_TASK)    \
	CS_MUTANT(p, no_restore, "no_restore", p##_entry,                      \
		  p##_mut_no_restore_exit, CS_BUG_NO_RESTORE,                  \
		  KRSEQ_PLACE_TASK)                                            \
	CS_MUTANT(p, if_acted, "restore_if_acted", p##_entry,                  \
		  p##_mut_if_acted_exit, CS_BUG_IF_ACTED, KRSEQ_PLACE_TASK)    \
	CS_MUTANT(p, op_entry, "entry_after_op", p##_mut_op_entry_hook,        \
		  p##_exit, CS_BUG_OP_ENTRY, KRSEQ_PLACE_TASK)                 \
	CS_MUTANT(p, early, "end_early", p##_entry, p##_mut_early_exit,        \
		  CS_BUG_END_EARLY, KRSEQ_PLACE_TASK)                          \
	CS_MUTANT(p, unsaved, "cpu_unsaved", NULL, p##_mut_unsaved_exit,       \
		  CS_BUG_UNSAVED, KRSEQ_PLACE_CPU)

/*
 * The window's end one instruction late, for a side whose window is
 * followed by an instruction the bug can hurt: a restart there runs the
 * op again. FIXUP has none: past its window the fixed-up register is
 * dead, so a fix-up there changes nothing (an equivalent mutant).
 */
#define CS_MUTANT_LATE(p, act)                                                 \
	CS_HOOK(p, late, cs_mut_window(f, save, act, true))                    \
	CS_MUTANT(p, late, "end_late", p##_entry, p##_mut_late_exit,           \
		  CS_BUG_END_LATE, KRSEQ_PLACE_TASK)

#define CS_MUTANT_LIST(p)                                                      \
	&p##_mut_inverted, &p##_mut_no_restore, &p##_mut_if_acted,             \
		&p##_mut_op_entry, &p##_mut_early, &p##_mut_unsaved

#endif /* KRSEQ_SCHEMES_CS_MUTANTS_H */
