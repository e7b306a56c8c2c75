// SPDX-License-Identifier: MIT
/*
 * FIXUP's kernel side: entry takes the armed fix-up descriptor out of its
 * slot; exit, if the window covers the PC and the task came back on
 * another CPU, moves the register holding the per-CPU address by the
 * difference of the two CPUs' offsets, so that the rest of the window
 * works on the new CPU's copy. On the offset-adding instruction (the
 * window's first) nothing has been computed yet and nothing is moved.
 * The descriptor goes back either way.
 *
 * Its mutants: those of every descriptor-saving side (cs_mutants.h), a
 * fix-up on the offset-adding instruction, and the fix-up's sign flipped
 * (not end_late: see cs_mutants.h).
 */
#include "cs_mutants.h"

static bool fixup_cs(const struct krseq_rseq_cs *cs)
{
	return cs->flags & KRSEQ_CS_FIXUP;
}

static void fixup_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, fixup_cs);
}

/* The fix-up, from the window's first instruction on, of sign times delta. */
static void fixup_by(struct krseq_irq_frame *f, const struct krseq_rseq_cs *cs,
		     uintptr_t first, long sign)
{
	if (krseq_frame_cpu(f) != krseq_frame_entry_cpu(f) &&
	    krseq_frame_pc(f) >= first)
		krseq_frame_fixup(f, cs->fixup_reg,
				  sign * krseq_frame_offset_delta(f), cs);
	else
		krseq_frame_hit(f, cs);
}

static void fixup_act(struct krseq_irq_frame *f, const struct krseq_rseq_cs *cs)
{
	fixup_by(f, cs, cs->start_ip + 1, 1);
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

CS_MUTANTS(fixup, "fixup", fixup_cs, fixup_act)

static void sign_act(struct krseq_irq_frame *f, const struct krseq_rseq_cs *cs)
{
	fixup_by(f, cs, cs->start_ip + 1, -1);
}

static void sign_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_exit(f, save, sign_act);
}

CS_MUTANT(fixup, sign, "fixup_sign", fixup_entry, sign_exit,
	  "the fix-up's sign flipped", KRSEQ_PLACE_TASK)

/*
 * A fix-up on the window's first instruction kills only where that
 * instruction adds the offset to the register. x86_64's loads the offset
 * into it, overwriting whatever a fix-up put there: there the mutant
 * would be an equivalent one, which no exploration can kill.
 */
#ifndef __x86_64__
static void on_add_act(struct krseq_irq_frame *f,
		       const struct krseq_rseq_cs *cs)
{
	fixup_by(f, cs, cs->start_ip, 1);
}

static void on_add_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_exit(f, save, on_add_act);
}

CS_MUTANT(fixup, on_add, "fixup_on_add", fixup_entry, on_add_exit,
	  "a fix-up applied on the offset-adding instruction, before the "
	  "register holds any offset",
	  KRSEQ_PLACE_TASK)
#define ON_ADD &fixup_mut_on_add,
#else
#define ON_ADD
#endif

const struct krseq_scheme *const krseq_mutants_fixup[] = {
	CS_MUTANT_LIST(fixup), ON_ADD &fixup_mut_sign, NULL
};
