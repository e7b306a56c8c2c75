// SPDX-License-Identifier: MIT
/*
 * Per-section counts: an interrupt forced inside a hand-written section's
 * window shows up on that descriptor, and only there, named after the
 * function that holds it.
 */
#include "util.h"
#include "asm_sections.h"

#include <krseq/percpu.h>

#include <errno.h>
#include <string.h>

static KRSEQ_DEFINE_PER_CPU(long, counter);

static void bump_this_cpu(void *arg)
{
	(void)arg;
	(*krseq_this_cpu_ptr(&counter))++;
}

static int setup(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);

	(void)state;
	test_init(&c);
	return 0;
}

/* The descriptor whose window holds a boundary of s, and its index. */
static const struct krseq_rseq_cs *section_of(const struct asm_seq *s,
					      unsigned int *idx)
{
	struct krseq_section_stats st;

	for (unsigned int i = 0; krseq_section_stats(i, &st) == 0; i++)
		for (void *const *pc = s->pcs; *pc; pc++)
			if ((uintptr_t)*pc >= st.cs->start_ip &&
			    (uintptr_t)*pc < st.cs->post_commit_ip) {
				*idx = i;
				return st.cs;
			}
	fail_msg("%s: no descriptor covers its boundaries", s->name);
	return NULL;
}

/* Only descriptor idx was counted, with these counts. */
static void expect_counts(unsigned int idx, uint64_t interrupted,
			  uint64_t restarted, uint64_t fixed_up)
{
	struct krseq_section_stats st;

	for (unsigned int i = 0; krseq_section_stats(i, &st) == 0; i++) {
		if (i != idx) {
			assert_int_equal(
				st.interrupted + st.restarted + st.fixed_up, 0);
			continue;
		}
		assert_int_equal(st.interrupted, interrupted);
		assert_int_equal(st.restarted, restarted);
		assert_int_equal(st.fixed_up, fixed_up);
	}
}

static void test_restart_counted(void **state)
{
	struct asm_seq s = { "restart", krseq_test_rs_inc,
			     krseq_test_rs_inc_pcs, NULL };
	struct krseq_forced_irq f = { .irq = bump_this_cpu };
	unsigned int idx;
	const struct krseq_rseq_cs *cs = section_of(&s, &idx);

	(void)state;
	test_zero(&counter);
	krseq_section_stats_reset();
	assert_int_equal(krseq_trap_arm((void *)(uintptr_t)cs->start_ip, &f),
			 0);
	s.fn(&krseq_ta, &counter);
	assert_true(krseq_trap_disarm());
	assert_int_equal(test_sum(&counter), 2);
	expect_counts(idx, 1, 1, 0);
}

static void note_offcpu(void *arg, int old_cpu)
{
	(void)old_cpu;
	*(bool *)arg = true;
}

static void test_fixup_counted(void **state)
{
	struct asm_seq s = test_fixup_seq();
	bool moved = false;
	struct krseq_forced_irq f = { .offcpu = note_offcpu,
				      .arg = &moved,
				      .preempt = true };
	unsigned int idx;
	const struct krseq_rseq_cs *cs = section_of(&s, &idx);
	void *const *pc = s.pcs;

	(void)state;
	/* The first boundary after the offset is added: a fix-up is due. */
	while (*pc && (uintptr_t)*pc <= cs->start_ip)
		pc++;
	assert_true((uintptr_t)*pc < cs->post_commit_ip);
	test_zero(&counter);
	krseq_section_stats_reset();
	assert_int_equal(krseq_trap_arm(*pc, &f), 0);
	s.fn(&krseq_ta, &counter);
	assert_true(krseq_trap_disarm());
	assert_true(moved);
	assert_int_equal(krseq_per_cpu(counter, krseq_smp_processor_id()), 1);
	expect_counts(idx, 1, 0, 1);
}

static __attribute__((noinline)) void restart_inc(void)
{
	krseq_pcp_inc(KRSEQ_PCP_RESTART, counter);
}

static __attribute__((noinline)) void fixup_inc(void)
{
	krseq_pcp_inc(KRSEQ_PCP_FIXUP, counter);
}

/*
 * The descriptors whose windows start in fn, checked to be named after
 * it: those in the next few hundred bytes that the symbol table places in
 * a later function are not fn's.
 */
static int sections_in(void (*fn)(void), const char *name, unsigned int *idx,
		       int max)
{
	struct krseq_section_stats st;
	uintptr_t lo = (uintptr_t)fn;
	int n = 0;

	for (unsigned int i = 0; krseq_section_stats(i, &st) == 0 && n < max;
	     i++) {
		char got[128];
		unsigned long off;

		if (st.cs->start_ip < lo || st.cs->start_ip >= lo + 256)
			continue;
		assert_int_equal(krseq_symbolize(st.cs->start_ip, got,
						 sizeof(got), &off),
				 0);
		if (strcmp(got, name))
			continue;
		print_message("descriptor at %s+%#lx\n", got, off);
		assert_int_equal(off, st.cs->start_ip - lo);
		idx[n++] = i;
	}
	if (!n)
		fail_msg("no descriptor named %s", name);
	return n;
}

static const struct krseq_rseq_cs *cs_at(unsigned int idx)
{
	struct krseq_section_stats st;

	assert_int_equal(krseq_section_stats(idx, &st), 0);
	return st.cs;
}

/*
 * Run fn with f forced at the start of each of its windows in turn until
 * one is reached (aarch64 carries an LSE and an LL/SC window, of which one
 * runs); that one's index.
 */
static unsigned int force_at_start(void (*fn)(void), const unsigned int *idx,
				   int n, const struct krseq_forced_irq *f)
{
	for (int i = 0; i < n; i++) {
		void *pc = (void *)(uintptr_t)cs_at(idx[i])->start_ip;

		krseq_section_stats_reset();
		assert_int_equal(krseq_trap_arm(pc, f), 0);
		fn();
		if (krseq_trap_disarm())
			return idx[i];
	}
	fail_msg("no window of the function at %p was reached", (void *)fn);
	return 0;
}

/*
 * A kernel-style op in C: its section is named after the function. Named
 * before any trap is written: under qemu-user a page whose protection the
 * trap changed no longer shows its file in /proc/self/maps, where
 * libunwind looks for the symbol table.
 */
static void test_named_by_function(void **state)
{
	struct krseq_forced_irq f = { .irq = bump_this_cpu };
	bool moved = false;
	struct krseq_forced_irq m = { .offcpu = note_offcpu,
				      .arg = &moved,
				      .preempt = true };
	unsigned int ridx[4], fidx[4], hit;
	int nr = sections_in(restart_inc, "restart_inc", ridx, 4);
	int nf = sections_in(fixup_inc, "fixup_inc", fidx, 4);

	(void)state;
	test_zero(&counter);
	hit = force_at_start(restart_inc, ridx, nr, &f);
	assert_int_equal(test_sum(&counter), 2);
	expect_counts(hit, 1, 1, 0);

	/* On the offset-adding instruction a migration needs no fix-up. */
	hit = force_at_start(fixup_inc, fidx, nf, &m);
	assert_true(moved);
	expect_counts(hit, 1, 0, 0);
}

/* A trap outside every window counts nothing. */
static void test_outside_not_counted(void **state)
{
	struct asm_seq s = { "plain", krseq_test_plain_inc,
			     krseq_test_plain_inc_pcs, NULL };
	struct krseq_forced_irq f = { .irq = bump_this_cpu };
	struct krseq_section_stats st;

	(void)state;
	krseq_section_stats_reset();
	assert_int_equal(krseq_trap_arm(s.pcs[1], &f), 0);
	s.fn(&krseq_ta, &counter);
	assert_true(krseq_trap_disarm());
	for (unsigned int i = 0; krseq_section_stats(i, &st) == 0; i++)
		assert_int_equal(st.interrupted, 0);
}

static void test_iteration(void **state)
{
	struct krseq_section_stats st;
	unsigned int n = krseq_cs_count(), i;

	(void)state;
	assert_true(n >= 2);
	for (i = 0; krseq_section_stats(i, &st) == 0; i++)
		assert_null(krseq_cs_check(st.cs));
	assert_int_equal(i, n);
	assert_int_equal(krseq_section_stats(n, &st), -ENOENT);
	assert_null(st.cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_by_function),
		cmocka_unit_test(test_iteration),
		cmocka_unit_test(test_restart_counted),
		cmocka_unit_test(test_fixup_counted),
		cmocka_unit_test(test_outside_not_counted),
	};

	return cmocka_run_group_tests(tests, setup, test_teardown);
}
