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

/*
 * Names come from C functions: the hand-written sections carry no unwind
 * information, without which libunwind on s390x and aarch64 will not
 * start a cursor on them.
 */
static void expect_name(const struct krseq_rseq_cs *cs, const char *fn,
			void *fn_addr)
{
	char name[128];
	unsigned long off;

	assert_int_equal(
		krseq_symbolize(cs->start_ip, name, sizeof(name), &off), 0);
	print_message("descriptor at %s+%#lx\n", name, off);
	assert_string_equal(name, fn);
	assert_int_equal(off, cs->start_ip - (uintptr_t)fn_addr);
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

/* The first descriptor whose window starts in fn (a few hundred bytes). */
static const struct krseq_rseq_cs *section_in(void (*fn)(void),
					      unsigned int *idx)
{
	struct krseq_section_stats st;
	uintptr_t lo = (uintptr_t)fn;

	for (unsigned int i = 0; krseq_section_stats(i, &st) == 0; i++)
		if (st.cs->start_ip >= lo && st.cs->start_ip < lo + 256) {
			*idx = i;
			return st.cs;
		}
	fail_msg("no descriptor in the function at %p", (void *)fn);
	return NULL;
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
	unsigned int ridx, fidx;
	const struct krseq_rseq_cs *rcs = section_in(restart_inc, &ridx);
	const struct krseq_rseq_cs *fcs = section_in(fixup_inc, &fidx);

	(void)state;
	expect_name(rcs, "restart_inc", (void *)restart_inc);
	expect_name(fcs, "fixup_inc", (void *)fixup_inc);

	test_zero(&counter);
	krseq_section_stats_reset();
	assert_int_equal(krseq_trap_arm((void *)(uintptr_t)rcs->start_ip, &f),
			 0);
	restart_inc();
	assert_true(krseq_trap_disarm());
	assert_int_equal(test_sum(&counter), 2);
	expect_counts(ridx, 1, 1, 0);

	/* On the offset-adding instruction a migration needs no fix-up. */
	krseq_section_stats_reset();
	assert_int_equal(krseq_trap_arm((void *)(uintptr_t)fcs->start_ip, &m),
			 0);
	fixup_inc();
	assert_true(krseq_trap_disarm());
	assert_true(moved);
	expect_counts(fidx, 1, 0, 0);
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
