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
 *
 * Its mutants are the series' review findings, one change each: the
 * check of the PC against the offset-adding instruction inverted or left
 * out, the fix-up's sign flipped, the byte not put back or put back only
 * after a fix-up (v3), the entry hook after a marker op (v1), and the
 * byte left in place under per-CPU placement.
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

/* What an exit does with the byte at entry: each mutant changes one. */
enum {
	FIX_CORRECT,
	FIX_ON_ADD, /* the offset-adding instruction not checked for */
	FIX_INVERTED, /* fixed up only on it */
	FIX_NEGATED, /* by minus the difference */
	PUT_NEVER, /* the byte not put back */
	PUT_IF_FIXED, /* put back only after a fix-up */
};

static void marker_exit_as(struct krseq_irq_frame *f, unsigned long *save,
			   int how)
{
	int n = krseq_frame_marker_reg((unsigned int)save[SAVE_MARKER]);
	bool fixed = false;

	if (n >= 0) {
		bool on_add = how != FIX_ON_ADD &&
			      krseq_frame_adds_offset(f, (unsigned int)n);

		if ((unsigned long)krseq_frame_cpu(f) != save[SAVE_CPU] &&
		    on_add == (how == FIX_INVERTED)) {
			krseq_frame_fixup(f, (unsigned int)n,
					  (how == FIX_NEGATED ? -1 : 1) *
						  krseq_frame_offset_delta(f),
					  NULL);
			fixed = true;
		} else {
			krseq_frame_hit(f, NULL);
		}
	}
	if (how == PUT_NEVER || (how == PUT_IF_FIXED && !fixed))
		return;
	krseq_frame_task(f)->marker = (unsigned char)save[SAVE_MARKER];
	krseq_barrier();
}

static void marker_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	marker_exit_as(f, save, FIX_CORRECT);
}

const struct krseq_kernel_side krseq_kernel_marker = {
	.name = "marker",
	.entry = marker_entry,
	.exit = marker_exit,
};

#define MARKER_EXIT(how)                                                       \
	static void marker_exit_##how(struct krseq_irq_frame *f,               \
				      unsigned long *save)                     \
	{                                                                      \
		marker_exit_as(f, save, how);                                  \
	}
/*
 * A fix-up on the instruction that brings the offset in kills only where
 * it adds the offset to the register: aarch64's ldr loads it, overwriting
 * whatever a fix-up put there (an equivalent mutant, which no exploration
 * can kill).
 */
#ifndef __aarch64__
MARKER_EXIT(FIX_ON_ADD)
#define ON_ADD &mut_on_add,
#else
#define ON_ADD
#endif
MARKER_EXIT(FIX_INVERTED)
MARKER_EXIT(FIX_NEGATED)
MARKER_EXIT(PUT_NEVER)
MARKER_EXIT(PUT_IF_FIXED)

/* v1: a marker op in the entry path closes the byte before it is kept. */
static void op_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_seq_fn op =
		krseq_scheme_seq(krseq_scheme_find("marker"), KRSEQ_OP_ADD, 8);

	if (op)
		op(krseq_entry_percpu(), 1, 0);
	marker_entry(f, save);
}

/* The byte left where it is at entry; exit finds it where the task is. */
static void unsaved_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	save[SAVE_MARKER] = krseq_frame_task(f)->marker;
	save[SAVE_CPU] = (unsigned long)krseq_frame_entry_cpu(f);
}

static void unsaved_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	save[SAVE_MARKER] = krseq_frame_task(f)->marker;
	marker_exit(f, save);
}

#define MUTANT(m, nm, e, x, b, pl) KRSEQ_MUTANT(mut_##m, nm, e, x, NULL, b, pl);
MUTANT(inverted, "exit_inverted", marker_entry, marker_exit_FIX_INVERTED,
       "the exit check inverted: fixes up only on the offset-adding "
       "instruction (the s390 series' v3)",
       KRSEQ_PLACE_TASK)
MUTANT(no_restore, "no_restore", marker_entry, marker_exit_PUT_NEVER,
       "the restore skipped: the byte stays closed after the interrupt",
       KRSEQ_PLACE_TASK)
MUTANT(if_acted, "restore_if_acted", marker_entry, marker_exit_PUT_IF_FIXED,
       "the byte put back only after a fix-up (v3)", KRSEQ_PLACE_TASK)
MUTANT(op_entry, "entry_after_op", op_entry, marker_exit,
       "the entry hook moved after a marker op in the entry path (v1)",
       KRSEQ_PLACE_TASK)
#ifndef __aarch64__
MUTANT(on_add, "fixup_on_add", marker_entry, marker_exit_FIX_ON_ADD,
       "a fix-up applied on the ag (the offset-adding instruction), "
       "before the register holds any offset",
       KRSEQ_PLACE_TASK)
#endif
MUTANT(sign, "fixup_sign", marker_entry, marker_exit_FIX_NEGATED,
       "the fix-up's sign flipped", KRSEQ_PLACE_TASK)
MUTANT(unsaved, "cpu_unsaved", unsaved_entry, unsaved_exit,
       "per-CPU placement without the entry save and exit restore: the "
       "byte is left where it is, as if it moved with the task",
       KRSEQ_PLACE_CPU)

const struct krseq_scheme *const krseq_mutants_marker[] = {
	&mut_inverted, ON_ADD &mut_sign, &mut_no_restore,
	&mut_if_acted, &mut_op_entry,	 &mut_unsaved,
	NULL
};
