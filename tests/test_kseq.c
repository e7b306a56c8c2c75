// SPDX-License-Identifier: MIT
/*
 * KSEQ's two flavours are correct only for the reasons src/schemes/kseq.c
 * gives; each broken twin below drops one of them and the explorer must
 * catch it, with the adversary that reaches the hole:
 *
 *  - kseq_late: the irq flavour's sequence with its window (and restart
 *    label) starting after the arming store, the literal reading of
 *    "_start: compute per-cpu addr". Its pointer is not put back across an
 *    interrupt, so the restarted run is unarmed: a second interrupt there
 *    (the explorer interrupts a restarted run again at the same boundary)
 *    is not restarted and its update is lost. Written with the library's
 *    own sequence template, so only the window's start differs from kseq.
 *  - kseq_nodisarm: the irq flavour's sequence without its disarm store.
 *    An interrupt past the commit takes the stale pointer out of the slot
 *    and puts nothing back, so the slot no longer reads as it does after
 *    an uninterrupted run (the explorer's "sched_rseq not restored"): the
 *    irq flavour may leave its pointer unsaved only because the sequence
 *    empties the slot itself.
 *  - kseq_noswitch: kseq_sched's sequences under a kernel side that saves
 *    and restores the pointer but has no switch-out check: a migration in
 *    the window goes unnoticed.
 *
 * The built-ins themselves are explored beside them (0 violations), so a
 * twin caught is a difference of the kernel side or of the window, not of
 * the explorer.
 */
#include "util.h"

#include <krseq/explore.h>
#include <krseq/scheme.h>

#include <errno.h>

/* clang-format off */
#define KRSEQ__ARM_kseq_late KRSEQ__ARM_kseq
#define KRSEQ__OUT_kseq_late KRSEQ__OUT_kseq
#define KRSEQ__END_kseq_late KRSEQ_ASM_KSEQ(KRSEQ_CS_KSEQ_IRQ, 2b)
#define KRSEQ__ARM_kseq_nodisarm KRSEQ__ARM_kseq
#define KRSEQ__OUT_kseq_nodisarm KRSEQ__OUT_kseq
/* One more expansion, so that the flags reach KRSEQ_CS_ASM's # as 0x17. */
#define NODISARM_CS(flags) KRSEQ_CS_ASM(8, flags, 1b, 3b, 1b, 0)
#define KRSEQ__END_kseq_nodisarm NODISARM_CS(KRSEQ_CS_KSEQ_IRQ)
#if defined(__x86_64__)
KRSEQ__X86_GS(kseq_late, 8)
KRSEQ__X86_GS(kseq_nodisarm, 8)
#elif defined(__aarch64__)
KRSEQ__A64_DIRECT(kseq_late, 8, "x", "", "")
KRSEQ__A64_DIRECT(kseq_nodisarm, 8, "x", "", "")
#else
KRSEQ__S390_GEN_PR(kseq_late, 8, uint64_t, "lg", "stg", "clgr")
KRSEQ__S390_GEN_PR(kseq_nodisarm, 8, uint64_t, "lg", "stg", "clgr")
#endif
/* clang-format on */

static uint64_t late_add(void *pcp, uint64_t a1, uint64_t a2)
{
	(void)a2;
	krseq_arch_kseq_late_add_8(pcp, a1);
	return 0;
}

static uint64_t late_xchg(void *pcp, uint64_t a1, uint64_t a2)
{
	(void)a2;
	return krseq_arch_kseq_late_xchg_8(pcp, a1);
}

static uint64_t nodisarm_add(void *pcp, uint64_t a1, uint64_t a2)
{
	(void)a2;
	krseq_arch_kseq_nodisarm_add_8(pcp, a1);
	return 0;
}

static bool kseq_sched_cs(const struct krseq_rseq_cs *cs)
{
	return (cs->flags & KRSEQ_CS_KSEQ) &&
	       !(cs->flags & KRSEQ_CS_RESTART_IRQ);
}

static void noswitch_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, kseq_sched_cs);
}

static void noswitch_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_restore(f, save);
}

static const struct krseq_kernel_side noswitch_side = {
	.name = "kseq_noswitch",
	.entry = noswitch_entry,
	.exit = noswitch_exit,
};

/*
 * The irq flavour's entry as first written: it takes the descriptor out of
 * its slot whether or not the interrupt hit the window. An NMI in the entry
 * path, before the interrupted interrupt's hooks, then takes the task's
 * window from under it.
 */
static bool kseq_irq_cs(const struct krseq_rseq_cs *cs)
{
	return (cs->flags & KRSEQ_CS_KSEQ) &&
	       (cs->flags & KRSEQ_CS_RESTART_IRQ);
}

static void consume_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_cs_save(f, save, kseq_irq_cs);
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_covering(f, save, i);

		if (cs) {
			krseq_frame_restart(f, cs->abort_ip, cs);
			break;
		}
	}
	save[0] = save[1] = 0;
}

static const struct krseq_kernel_side consume_side = {
	.name = "kseq_consume",
	.entry = consume_entry,
};

static int late, nodisarm, noswitch, consume;

/* Registered before any machine is up: the explorer brings up its own. */
__attribute__((constructor)) static void register_twins(void)
{
	struct krseq_scheme s = {
		.name = "kseq_late",
		.flags = KRSEQ_SCHEME_ARMED | KRSEQ_SCHEME_RESTARTS,
		.why = "this test writes add and xchg at 8 bytes only",
	};

	s.seq[3][KRSEQ_OP_ADD] = late_add;
	s.seq[3][KRSEQ_OP_XCHG] = late_xchg;
	late = krseq_scheme_register(&s);
	s.name = "kseq_nodisarm";
	s.seq[3][KRSEQ_OP_ADD] = nodisarm_add;
	s.seq[3][KRSEQ_OP_XCHG] = NULL;
	s.why = "this test writes add at 8 bytes only";
	nodisarm = krseq_scheme_register(&s);
	consume = krseq_scheme_register(&(struct krseq_scheme){
		.name = "kseq_consume",
		.variant_of = "kseq",
		.kernel = &consume_side,
	});
	noswitch = krseq_scheme_register(&(struct krseq_scheme){
		.name = "kseq_noswitch",
		.variant_of = "kseq_sched",
		.kernel = &noswitch_side,
	});
}

/* Violations of scheme id under each adversary of mask. */
static unsigned long explore(int id, unsigned int mask)
{
	struct krseq_explore_totals tot = { 0 };

	if (krseq_explore_schemes(1u << id, mask, &tot, NULL, NULL, NULL))
		fail_msg("explore %s: %s", krseq_scheme_name(id),
			 krseq_last_error());
	assert_true(tot.strategy[id].runs > 0);
	print_message("%s: %lu runs, %lu violations\n", krseq_scheme_name(id),
		      tot.strategy[id].runs, tot.strategy[id].violations);
	return tot.strategy[id].violations;
}

#define ADV(a) (1u << KRSEQ_ADV_##a)

static void test_irq_flavour_needs_window_at_arming(void **state)
{
	(void)state;
	assert_true(late > 0);
	assert_int_equal(explore(KRSEQ_PCP_KSEQ, KRSEQ_ADV_ALL), 0);
	assert_true(explore(late, ADV(IRQ)) > 0);
}

/*
 * Taking the window only when the interrupt hit it is what makes the irq
 * flavour survive an NMI in the entry path; taking it always is caught,
 * and only there.
 */
static void test_irq_flavour_takes_only_a_hit_window(void **state)
{
	(void)state;
	assert_true(consume > 0);
	assert_true(explore(consume, ADV(NMI_ENTRY)) > 0);
	assert_int_equal(explore(consume, ADV(IRQ) | ADV(MIGRATE)), 0);
}

/*
 * Without the disarm store a handler's own section, which lands after the
 * commit, leaves its descriptor in the task's slot: the slot is not as the
 * task left it.
 */
static void test_irq_flavour_needs_disarm(void **state)
{
	(void)state;
	assert_true(nodisarm > 0);
	assert_true(explore(nodisarm, KRSEQ_ADV_ALL) > 0);
}

static void test_sched_flavour_needs_switch_out_check(void **state)
{
	(void)state;
	assert_true(noswitch > 0);
	assert_int_equal(explore(KRSEQ_PCP_KSEQ_SCHED, KRSEQ_ADV_ALL), 0);
	assert_true(explore(noswitch, ADV(MIGRATE)) > 0);
	/* A plain interrupt never needed the check: not caught there. */
	assert_int_equal(explore(noswitch, ADV(IRQ) | ADV(NESTED)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_irq_flavour_needs_window_at_arming),
		cmocka_unit_test(test_irq_flavour_takes_only_a_hit_window),
		cmocka_unit_test(test_irq_flavour_needs_disarm),
		cmocka_unit_test(test_sched_flavour_needs_switch_out_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
