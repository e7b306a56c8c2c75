// SPDX-License-Identifier: MIT
/*
 * The explorer's adversaries of the kernel side (prologue, kprobe,
 * nmi-entry): the built-in kernel sides survive kprobe and nmi-entry, and
 * each adversary kills a kernel side that is wrong the way review found
 * the s390 series wrong, written with the public scheme API as a variant;
 * the same variant survives the task-side adversaries, so it is the new
 * adversary that kills it. prologue is an entry path that is itself wrong
 * (a per-CPU op before the save, v1's bug): it must kill RESTART.
 */
#include "util.h"

#include <krseq/explore.h>
#include <krseq/scheme.h>

#include <string.h>

static int fixup_decode_id, restart_no_nmi_id;

/*
 * ---- FIXUP whose exit decodes the instruction at the PC and fixes up only
 * if it is the window's instruction that the interrupt came in on: text
 * is read twice, and a breakpoint placed in between makes the decode see
 * another instruction, as the series' v3 saw a kprobe instead of its ag.
 */

static bool fixup_cs(const struct krseq_rseq_cs *cs)
{
	return cs->flags & KRSEQ_CS_FIXUP;
}

/* save[2]: the bytes at the PC, at entry. */
static void decode_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, fixup_cs);
	krseq_frame_insn(f, (unsigned char *)&save[2], sizeof(save[2]));
}

static void decode_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_covering(f, save, i);
		unsigned char insn[sizeof(save[2])];

		if (!cs)
			continue;
		krseq_frame_insn(f, insn, sizeof(insn));
		if (krseq_frame_cpu(f) != krseq_frame_entry_cpu(f) &&
		    krseq_frame_pc(f) > cs->start_ip &&
		    !memcmp(insn, &save[2], sizeof(insn)))
			krseq_frame_fixup(f, cs->fixup_reg,
					  krseq_frame_offset_delta(f), cs);
		else
			krseq_frame_hit(f, cs);
	}
	krseq_cs_restore(f, save);
}

static const struct krseq_kernel_side fixup_decode = {
	.name = "t_fixup_decode",
	.entry = decode_entry,
	.exit = decode_exit,
};

/* ---- RESTART, whose exit leaves NMIs alone: its own side otherwise. */

static const struct krseq_kernel_side *restart_side(void)
{
	return krseq_scheme_get(KRSEQ_PCP_RESTART)->kernel;
}

static void restart_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	restart_side()->entry(f, save);
}

/* Wrong: "an NMI never returns into a window", but its entry took one. */
static void no_nmi_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	if (krseq_frame_source(f) == KRSEQ_IRQ_NMI)
		return;
	restart_side()->exit(f, save);
}

static const struct krseq_kernel_side restart_no_nmi = {
	.name = "t_restart_no_nmi",
	.entry = restart_entry,
	.exit = no_nmi_exit,
};

static void explore(int id, unsigned int adv_mask,
		    struct krseq_explore_totals *t)
{
	memset(t, 0, sizeof(*t));
	if (krseq_explore_schemes(1u << id, adv_mask, t, NULL, NULL, NULL))
		fail_msg("explore %s: %s", krseq_scheme_get(id)->name,
			 krseq_last_error());
	assert_true(t->strategy[id].runs > 0);
}

static void test_builtins_survive(void **state)
{
	static const int ids[] = { KRSEQ_PCP_RESTART, KRSEQ_PCP_RESTART_SCHED,
				   KRSEQ_PCP_FIXUP, KRSEQ_PCP_PREEMPT,
				   KRSEQ_PCP_IRQ };
	struct krseq_explore_totals t;

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		explore(ids[i],
			(1u << KRSEQ_ADV_KPROBE) | (1u << KRSEQ_ADV_NMI_ENTRY),
			&t);
		if (t.strategy[ids[i]].violations)
			fail_msg("%s: %lu violations under kprobe, nmi-entry",
				 krseq_scheme_get(ids[i])->name,
				 t.strategy[ids[i]].violations);
	}
}

/* v1: an entry path with a per-CPU op before the save clobbers it. */
static void test_prologue_kills_restart(void **state)
{
	struct krseq_explore_totals t;

	(void)state;
	explore(KRSEQ_PCP_RESTART, 1u << KRSEQ_ADV_PROLOGUE, &t);
	assert_true(t.strategy[KRSEQ_PCP_RESTART]
			    .adv_violations[KRSEQ_ADV_PROLOGUE] > 0);
	/* The same scheme, the same op, without the prologue. */
	explore(KRSEQ_PCP_RESTART, 1u << KRSEQ_ADV_IRQ, &t);
	assert_int_equal(t.strategy[KRSEQ_PCP_RESTART].violations, 0);
}

static void killed_only_by(int id, enum krseq_adversary adv)
{
	struct krseq_explore_totals t;

	explore(id, KRSEQ_ADV_TASK, &t);
	if (t.strategy[id].violations)
		fail_msg("%s: %lu violations under the task's adversaries",
			 krseq_scheme_get(id)->name, t.strategy[id].violations);
	explore(id, 1u << adv, &t);
	if (!t.strategy[id].adv_violations[adv])
		fail_msg("%s survives %s", krseq_scheme_get(id)->name,
			 krseq_adversary_name(adv));
}

static void test_kprobe_kills_decoding_fixup(void **state)
{
	(void)state;
	killed_only_by(fixup_decode_id, KRSEQ_ADV_KPROBE);
}

static void test_nmi_entry_kills_restart_no_nmi(void **state)
{
	(void)state;
	killed_only_by(restart_no_nmi_id, KRSEQ_ADV_NMI_ENTRY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins_survive),
		cmocka_unit_test(test_prologue_kills_restart),
		cmocka_unit_test(test_kprobe_kills_decoding_fixup),
		cmocka_unit_test(test_nmi_entry_kills_restart_no_nmi),
	};

	fixup_decode_id = krseq_scheme_register(&(struct krseq_scheme){
		.name = "t_fixup_decode",
		.variant_of = "fixup",
		.kernel = &fixup_decode,
	});
	restart_no_nmi_id = krseq_scheme_register(&(struct krseq_scheme){
		.name = "t_restart_no_nmi",
		.variant_of = "restart",
		.kernel = &restart_no_nmi,
	});
	if (fixup_decode_id < 0 || restart_no_nmi_id < 0) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
