// SPDX-License-Identifier: MIT
/*
 * MARKER's kernel side against two bugs the s390 series' review found,
 * each written as a variant with the scheme API:
 *
 *  - t_marker_v3: exit puts the marker back only after a fix-up (v3).
 *    One interrupt cannot show it: the section goes on with its byte
 *    closed, and the op still lands right. A second interrupt in the same
 *    section, after the offset was added, that migrates the task finds the
 *    byte closed and fixes nothing up. So every pair of boundaries of the
 *    add is tried: a plain interrupt at the first, a migration at the
 *    second, whose handler the first one arms.
 *  - t_marker_nofixup: exit never moves the register. The explorer's
 *    migration finds it, as it finds ATOMIC.
 *
 * The scheme itself passes both, with fix-ups done.
 */
#include "util.h"

#include <krseq/explore.h>
#include <krseq/percpu.h>
#include <krseq/scheme.h>

#include <stdlib.h>

#define MAX_PCS 512
#define XOR 0x5a5a5a5a5a5a5a5aull
#define ADDEND 0x1234ull

static void v3_entry(struct krseq_irq_frame *f, unsigned long *save)
{
	struct krseq_thread_area *ta = krseq_frame_task(f);

	save[0] = ta->marker;
	ta->marker = 0;
}

static void v3_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	int n = krseq_frame_marker_reg((unsigned int)save[0]);

	if (n >= 0 && krseq_frame_cpu(f) != krseq_frame_entry_cpu(f) &&
	    !krseq_frame_adds_offset(f, (unsigned int)n)) {
		krseq_frame_fixup(f, (unsigned int)n,
				  krseq_frame_offset_delta(f), NULL);
		krseq_frame_task(f)->marker = (unsigned char)save[0];
	}
}

static const struct krseq_kernel_side v3_side = {
	.name = "t_marker_v3",
	.entry = v3_entry,
	.exit = v3_exit,
};

static void nofixup_exit(struct krseq_irq_frame *f, unsigned long *save)
{
	krseq_frame_task(f)->marker = (unsigned char)save[0];
}

static const struct krseq_kernel_side nofixup_side = {
	.name = "t_marker_nofixup",
	.entry = v3_entry,
	.exit = nofixup_exit,
};

static int id_v3, id_nofixup;

static int setup(void **state)
{
	(void)state;
	id_v3 = krseq_scheme_register(&(struct krseq_scheme){
		.name = "t_marker_v3",
		.variant_of = "marker",
		.kernel = &v3_side,
		.flags = KRSEQ_SCHEME_FIXES_UP | KRSEQ_SCHEME_NO_IRQ_RESTART });
	id_nofixup = krseq_scheme_register(&(struct krseq_scheme){
		.name = "t_marker_nofixup",
		.variant_of = "marker",
		.kernel = &nofixup_side,
		.flags = KRSEQ_SCHEME_FIXES_UP | KRSEQ_SCHEME_NO_IRQ_RESTART });
	return id_v3 > 0 && id_nofixup > 0 ? 0 : -1;
}

/* The pair run: the op, and what the two interrupts saw. */
static uint64_t *var;
static krseq_seq_fn seq;
static uintptr_t second_pc;
static int second_armed, old_cpu;

static void run(void)
{
	seq(var, ADDEND, 0);
}

/* The other task's update to the copy of the CPU the task left. */
static void offcpu(void *arg, int cpu)
{
	(void)arg;
	old_cpu = cpu;
	*krseq_per_cpu_ptr(var, cpu) ^= XOR;
}

static const struct krseq_forced_irq second = {
	.offcpu = offcpu,
	.preempt = true,
};

static void first_irq(void *arg)
{
	(void)arg;
	second_armed = krseq_trap_arm((void *)second_pc, &second) == 0;
}

static const struct krseq_forced_irq first = { .irq = first_irq };

/*
 * Every pair (i < j) of the add's boundaries: a plain interrupt at i, a
 * migration at j. Returns how many pairs lost or misplaced the add; *runs
 * counts the pairs where both interrupts landed.
 */
static int pairs_lost(int scheme, int *runs)
{
	uintptr_t pcs[MAX_PCS];
	int n, lost = 0;

	assert_int_equal(krseq_scheme_select(scheme), 0);
	seq = krseq_scheme_seq(scheme, KRSEQ_OP_ADD, 8);
	assert_non_null(seq);
	n = krseq_fn_boundaries((uintptr_t)seq, run, pcs, MAX_PCS);
	assert_true(n > 0);
	*runs = 0;
	for (int i = 0; i < n; i++) {
		for (int j = i + 1; j < n; j++) {
			uint64_t x0[2], o, w;
			int now;
			bool ok, hit;

			for (int c = 0; c < 2; c++)
				*krseq_per_cpu_ptr(var, c) = x0[c] =
					0x100000ull * (uint64_t)(c + 1);
			second_pc = pcs[j];
			second_armed = 0;
			old_cpu = -1;
			assert_int_equal(krseq_trap_arm((void *)pcs[i], &first),
					 0);
			run();
			/* Whether the last trap armed was hit: the second,
			 * once the first has armed it. */
			hit = krseq_trap_disarm();
			if (!second_armed || !hit || old_cpu < 0)
				continue;
			(*runs)++;
			now = krseq_smp_processor_id();
			o = *krseq_per_cpu_ptr(var, old_cpu);
			w = *krseq_per_cpu_ptr(var, now);
			/* Before the switch on the old copy, or after it on
			 * the new one. */
			ok = now != old_cpu &&
			     ((o == ((x0[old_cpu] + ADDEND) ^ XOR) &&
			       w == x0[now]) ||
			      (o == (x0[old_cpu] ^ XOR) &&
			       w == x0[now] + ADDEND));
			lost += !ok;
		}
	}
	assert_int_equal(krseq_scheme_select(KRSEQ_PCP_MARKER), 0);
	return lost;
}

static void test_v3_needs_two_interrupts(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);
	struct krseq_stats before, after;
	int runs_good, runs_v3, lost_good, lost_v3;

	(void)state;
	test_init(&c);
	var = krseq_alloc_percpu(uint64_t);
	assert_non_null(var);
	krseq_stats_get(&before);
	lost_good = pairs_lost(KRSEQ_PCP_MARKER, &runs_good);
	krseq_stats_get(&after);
	lost_v3 = pairs_lost(id_v3, &runs_v3);
	print_message("marker: %d pairs, %d lost; t_marker_v3: %d pairs, "
		      "%d lost\n",
		      runs_good, lost_good, runs_v3, lost_v3);
	assert_true(runs_good > 0);
	assert_int_equal(runs_v3, runs_good);
	assert_int_equal(lost_good, 0);
	assert_true(after.fixups > before.fixups);
	assert_true(lost_v3 > 0);
	assert_int_equal(krseq_exit(), 0);
}

/*
 * A breakpoint on the offset-adding instruction (the series' v3 kprobe):
 * an interrupt that migrates the task with its PC there, while a trap is
 * written over that instruction, must decode the instruction the trap
 * replaced. At every boundary: while the migrating interrupt has the task
 * off its CPU, a plain one is armed at the same PC, which fires when the
 * task resumes.
 */
static void offcpu_arm_same_pc(void *arg, int cpu)
{
	offcpu(arg, cpu);
	second_armed = krseq_trap_arm((void *)second_pc,
				      &(const struct krseq_forced_irq){ 0 }) ==
		       0;
}

static void test_breakpoint_on_add(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);
	const struct krseq_forced_irq migrate = {
		.offcpu = offcpu_arm_same_pc,
		.preempt = true,
	};
	uintptr_t pcs[MAX_PCS];
	int n, runs = 0, lost = 0;

	(void)state;
	test_init(&c);
	var = krseq_alloc_percpu(uint64_t);
	assert_non_null(var);
	seq = krseq_scheme_seq(KRSEQ_PCP_MARKER, KRSEQ_OP_ADD, 8);
	n = krseq_fn_boundaries((uintptr_t)seq, run, pcs, MAX_PCS);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		uint64_t x0[2], o, w;
		int now;
		bool hit;

		for (int k = 0; k < 2; k++)
			*krseq_per_cpu_ptr(var, k) = x0[k] =
				0x100000ull * (uint64_t)(k + 1);
		second_pc = pcs[i];
		second_armed = 0;
		old_cpu = -1;
		assert_int_equal(krseq_trap_arm((void *)pcs[i], &migrate), 0);
		run();
		hit = krseq_trap_disarm();
		if (!second_armed || !hit || old_cpu < 0)
			continue;
		runs++;
		now = krseq_smp_processor_id();
		o = *krseq_per_cpu_ptr(var, old_cpu);
		w = *krseq_per_cpu_ptr(var, now);
		lost += !(
			now != old_cpu &&
			((o == ((x0[old_cpu] + ADDEND) ^ XOR) && w == x0[now]) ||
			 (o == (x0[old_cpu] ^ XOR) && w == x0[now] + ADDEND)));
	}
	print_message("breakpoint at each of %d boundaries: %d lost\n", runs,
		      lost);
	assert_true(runs > 0);
	assert_int_equal(lost, 0);
	assert_int_equal(krseq_exit(), 0);
}

static void test_nofixup_caught(void **state)
{
	struct krseq_explore_totals tot;

	(void)state;
	memset(&tot, 0, sizeof(tot));
	assert_int_equal(krseq_explore_schemes(1u << id_nofixup, KRSEQ_ADV_ALL,
					       &tot, NULL, NULL, NULL),
			 0);
	assert_true(tot.strategy[id_nofixup].runs > 0);
	assert_true(tot.strategy[id_nofixup].adv_violations[KRSEQ_ADV_MIGRATE] >
		    0);
	assert_int_equal(tot.fixups, 0);
	memset(&tot, 0, sizeof(tot));
	assert_int_equal(krseq_explore_schemes(1u << KRSEQ_PCP_MARKER,
					       KRSEQ_ADV_ALL, &tot, NULL, NULL,
					       NULL),
			 0);
	assert_true(tot.strategy[KRSEQ_PCP_MARKER].runs > 0);
	assert_int_equal(tot.violations, 0);
	assert_true(tot.fixups > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3_needs_two_interrupts),
		cmocka_unit_test(test_breakpoint_on_add),
		cmocka_unit_test(test_nofixup_caught),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
