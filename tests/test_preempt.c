// SPDX-License-Identifier: MIT
/*
 * Preemption models, preempt_count, the soft interrupt mask and NMI
 * nesting. Each property is paired with the case that shows the check
 * could fail.
 *
 * No case waits for a timer: every event judged is forced. A tick is a
 * trap at a known instruction of the program (a safe point) with .tick
 * set, on a machine with no timer (tick_us 0): the tick's own scheduler
 * work runs there, exactly as for the timer's. With two CPUs and migration
 * "always", the CPU the task does not hold is idle, so every such tick asks
 * for a switch, as it does when a task waits: the request is there at a
 * known point, every time.
 */
#include "util.h"
#include "asm_sections.h"

#include <stdatomic.h>
#include <string.h>

static uint64_t my_ticks(void)
{
	struct krseq_task_stats s;

	krseq_task_stats(krseq_current(), &s);
	return s.ticks;
}

static uint64_t my_preemptions(void)
{
	struct krseq_task_stats s;

	krseq_task_stats(krseq_current(), &s);
	return s.preemptions;
}

static uint64_t lazy_promotions(void)
{
	struct krseq_stats st;

	krseq_stats_get(&st);
	return st.lazy_promotions;
}

/* The calling task (task 0, cmocka's thread) takes one tick at the site. */
static void forced_tick(void)
{
	struct krseq_forced_irq f = { .tick = true };

	assert_int_equal(krseq_trap_arm((void *)krseq_test_site, &f), 0);
	krseq_test_site();
	assert_true(krseq_trap_disarm());
}

/* Two CPUs, no timer, every switch a migration: see the top. */
static void init_forced(enum krseq_preempt_model m)
{
	struct krseq_config c = test_config(2, 0, m, KRSEQ_MIGRATE_ALWAYS);

	test_init(&c);
}

/*
 * preempt_disable() holds the CPU across 30 ticks, each of which asks for a
 * reschedule at a point where FULL would otherwise take it; enable gives
 * the CPU up at once.
 */
static void test_preempt_disable_pins(void **state)
{
	uint64_t t0, p0;
	unsigned long offset;
	int cpu;

	(void)state;
	krseq_preempt_disable();
	cpu = krseq_smp_processor_id();
	offset = krseq_this_cpu_offset();
	t0 = my_ticks();
	p0 = my_preemptions();
	for (int i = 0; i < 30; i++) {
		forced_tick();
		/* It would have been preempted: the request is there ... */
		assert_true(krseq_ta.need_resched);
		assert_int_equal(krseq_smp_processor_id(), cpu);
		assert_true(krseq_this_cpu_offset() == offset);
	}
	assert_int_equal(my_ticks() - t0, 30);
	assert_int_equal(my_preemptions(), p0);
	/* ... and preempt_enable() honoured it: under "always", elsewhere. */
	krseq_preempt_enable();
	assert_int_equal(my_preemptions(), p0 + 1);
	assert_false(krseq_ta.need_resched);
	assert_int_not_equal(krseq_smp_processor_id(), cpu);
}

static int setup_full(void **state)
{
	(void)state;
	init_forced(KRSEQ_PREEMPT_FULL);
	return 0;
}

/* Under NONE, ticks never preempt; the same ticks under FULL do. */
#define MODEL_TICKS 10

static struct krseq_stats ticks_under(enum krseq_preempt_model m,
				      int *left_pending)
{
	struct krseq_stats st;

	init_forced(m);
	*left_pending = 0;
	for (int i = 0; i < MODEL_TICKS; i++) {
		forced_tick();
		*left_pending += krseq_ta.need_resched;
		/* NONE takes the request only here, voluntarily. */
		krseq_cond_resched();
	}
	krseq_stats_get(&st);
	krseq_exit();
	return st;
}

static void test_none_never_preempts(void **state)
{
	int none_pending, full_pending;
	struct krseq_stats none =
		ticks_under(KRSEQ_PREEMPT_NONE, &none_pending);
	struct krseq_stats full =
		ticks_under(KRSEQ_PREEMPT_FULL, &full_pending);

	(void)state;
	print_message("NONE: %lu ticks, %d left a request pending, %lu "
		      "preemptions, %lu voluntary; FULL: %lu ticks, %d "
		      "pending, %lu preemptions\n",
		      (unsigned long)none.irqs[KRSEQ_IRQ_TICK], none_pending,
		      (unsigned long)none.preemptions,
		      (unsigned long)none.voluntary,
		      (unsigned long)full.irqs[KRSEQ_IRQ_TICK], full_pending,
		      (unsigned long)full.preemptions);
	assert_int_equal(none.irqs[KRSEQ_IRQ_TICK], MODEL_TICKS);
	assert_int_equal(none_pending, MODEL_TICKS);
	assert_int_equal(none.preemptions, 0);
	assert_int_equal(none.voluntary, MODEL_TICKS);
	assert_int_equal(full.irqs[KRSEQ_IRQ_TICK], MODEL_TICKS);
	assert_int_equal(full_pending, 0);
	assert_int_equal(full.preemptions, MODEL_TICKS);
}

/*
 * LAZY: the tick's request is lazy and only a later tick promotes it, so a
 * task is never preempted by the first tick of its slice, nor before a
 * tick of its slice promoted the request. Under FULL no tick promotes
 * anything: the same observation there shows the check can fail.
 */
#define SLICES 5
#define SLICE_TICKS_MAX 3 /* LAZY's slice ends at its second tick */

struct slice_obs {
	int preemptions, early, after_promotion, at_plain_irq;
	uint64_t promotions;
};

/* An interrupt that is not a tick, at the same safe point. */
static void forced_plain_irq(void)
{
	struct krseq_forced_irq f = { .irq = NULL };

	assert_int_equal(krseq_trap_arm((void *)krseq_test_site, &f), 0);
	krseq_test_site();
	assert_true(krseq_trap_disarm());
}

static struct slice_obs slices_under(enum krseq_preempt_model m)
{
	struct slice_obs r = { 0 };

	init_forced(m);
	for (int s = 0; s < SLICES; s++) {
		uint64_t p = my_preemptions();

		for (int n = 1; n <= SLICE_TICKS_MAX; n++) {
			uint64_t promo = lazy_promotions();

			forced_tick();
			if (my_preemptions() != p) {
				r.preemptions++;
				r.early += n == 1;
				r.after_promotion += lazy_promotions() != promo;
				break;
			}
			/* A pending lazy request is not taken at an exit. */
			forced_plain_irq();
			if (my_preemptions() != p) {
				r.at_plain_irq++;
				break;
			}
		}
	}
	r.promotions = lazy_promotions();
	krseq_exit();
	return r;
}

static void test_lazy_waits_for_promotion(void **state)
{
	struct slice_obs lazy = slices_under(KRSEQ_PREEMPT_LAZY);
	struct slice_obs full = slices_under(KRSEQ_PREEMPT_FULL);

	(void)state;
	print_message("LAZY: %d preemptions, %d in a slice's first tick, "
		      "%d after a promotion, %d at another interrupt, %lu "
		      "promotions; FULL: %d preemptions, %d after a "
		      "promotion\n",
		      lazy.preemptions, lazy.early, lazy.after_promotion,
		      lazy.at_plain_irq, (unsigned long)lazy.promotions,
		      full.preemptions, full.after_promotion);
	assert_int_equal(lazy.preemptions, SLICES);
	assert_int_equal(lazy.early, 0);
	assert_int_equal(lazy.after_promotion, lazy.preemptions);
	assert_int_equal(lazy.at_plain_irq, 0);
	assert_int_equal(lazy.promotions, SLICES);
	assert_int_equal(full.preemptions, SLICES);
	assert_int_equal(full.after_promotion, 0);
	assert_int_equal(full.promotions, 0);
}
/* A masked interrupt is deferred, then replayed exactly once. */
static _Atomic int ipi_count, nmi_count, nmi_depth, ipi_depth;

static void count_ipi(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	atomic_fetch_add(&ipi_count, 1);
	ipi_depth = (int)krseq_ta.irq_depth;
}

static int setup_quiet(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_RANDOM);

	(void)state;
	test_init(&c);
	ipi_count = nmi_count = nmi_depth = ipi_depth = 0;
	return 0;
}

static void test_masked_irq_replayed_once(void **state)
{
	struct krseq_stats st;
	unsigned long flags;

	(void)state;
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, count_ipi, NULL), 0);
	flags = krseq_local_irq_save();
	krseq_raise(KRSEQ_IRQ_IPI);
	assert_int_equal(atomic_load(&ipi_count), 0);
	assert_true(krseq_ta.irq_pending != 0);
	krseq_local_irq_restore(flags);
	assert_int_equal(atomic_load(&ipi_count), 1);
	assert_int_equal(krseq_ta.irq_pending, 0);
	/* Nothing is left to replay a second time. */
	flags = krseq_local_irq_save();
	krseq_local_irq_restore(flags);
	assert_int_equal(atomic_load(&ipi_count), 1);
	/* Unmasked, it runs at once. */
	krseq_raise(KRSEQ_IRQ_IPI);
	assert_int_equal(atomic_load(&ipi_count), 2);
	krseq_stats_get(&st);
	assert_int_equal(st.deferred, 1);
	assert_int_equal(st.replayed, 1);
	assert_int_equal(st.irqs[KRSEQ_IRQ_IPI], 2);
	assert_int_equal(ipi_depth, 1);
	assert_int_equal(krseq_ta.irq_depth, 0);
	assert_false(krseq_irqs_disabled());
}

/* A forced tick that finds the mask set is replayed once, as a tick. */
static void test_masked_tick_replayed_once(void **state)
{
	uint64_t t0 = my_ticks();
	struct krseq_stats st;
	unsigned long flags;

	(void)state;
	flags = krseq_local_irq_save();
	forced_tick();
	assert_int_equal(my_ticks(), t0);
	krseq_local_irq_restore(flags);
	assert_int_equal(my_ticks(), t0 + 1);
	flags = krseq_local_irq_save();
	krseq_local_irq_restore(flags);
	assert_int_equal(my_ticks(), t0 + 1);
	krseq_stats_get(&st);
	assert_int_equal(st.deferred, 1);
	assert_int_equal(st.replayed, 1);
	assert_int_equal(st.irqs[KRSEQ_IRQ_TICK], 1);
	assert_int_equal(st.irqs[KRSEQ_IRQ_FORCED], 0);
	assert_int_equal(st.irqs[KRSEQ_IRQ_IPI], 0);
}

static void count_nmi(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	atomic_fetch_add(&nmi_count, 1);
	nmi_depth = (int)krseq_ta.irq_depth;
}

static void ipi_raises_nmi(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	krseq_raise(KRSEQ_IRQ_NMI);
	/* The NMI ran inside this handler and returned to it. */
	if (atomic_load(&nmi_count) == 1)
		atomic_fetch_add(&ipi_count, 1);
	ipi_depth = (int)krseq_ta.irq_depth;
}

static void test_nmi_nests_into_irq(void **state)
{
	unsigned long flags;

	(void)state;
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_NMI, count_nmi, NULL), 0);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, ipi_raises_nmi, NULL),
			 0);
	krseq_raise(KRSEQ_IRQ_IPI);
	assert_int_equal(atomic_load(&nmi_count), 1);
	assert_int_equal(atomic_load(&ipi_count), 1);
	assert_int_equal(nmi_depth, 2);
	assert_int_equal(ipi_depth, 1);
	assert_int_equal(krseq_ta.irq_depth, 0);
	/* The soft mask does not hold an NMI back. */
	flags = krseq_local_irq_save();
	krseq_raise(KRSEQ_IRQ_NMI);
	assert_int_equal(atomic_load(&nmi_count), 2);
	assert_int_equal(nmi_depth, 1);
	krseq_local_irq_restore(flags);
}

/*
 * A task that never gives its CPU up becomes a watchdog report. The hog
 * takes the one CPU before the other task exists, and creates it: from its
 * first moment the other task waits for a CPU the hog holds, and no timer
 * interrupts the hog, so the NMI that asks for its backtrace lands in its
 * own loop.
 */
static _Atomic int stuck_reports;
static char stuck_text[16384];

static void on_stuck(const char *report, void *arg)
{
	(void)arg;
	if (atomic_load(&stuck_reports) == 0)
		strncpy(stuck_text, report, sizeof(stuck_text) - 1);
	atomic_fetch_add(&stuck_reports, 1);
}

static void *waiter(void *arg)
{
	(void)arg;
	return NULL;
}

static void *hog(void *arg)
{
	struct krseq_task **other = arg;
	/* Only so that a broken watchdog fails instead of hanging. */
	uint64_t deadline = test_now_ms() + 20000;

	krseq_preempt_disable();
	*other = krseq_task_create(waiter, NULL);
	while (*other && !atomic_load(&stuck_reports) &&
	       test_now_ms() < deadline)
		test_spin(1000);
	krseq_preempt_enable();
	if (*other)
		krseq_task_join(*other);
	return NULL;
}

static void test_watchdog_reports_stuck_machine(void **state)
{
	struct krseq_config c =
		test_config(1, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	struct krseq_task *t, *other = NULL;

	(void)state;
	c.watchdog_ms = 300;
	c.on_stuck = on_stuck;
	test_init(&c);
	assert_non_null(t = krseq_task_create(hog, &other));
	krseq_task_join(t);
	krseq_exit();
	print_message("%s", stuck_text);
	assert_non_null(other);
	assert_int_equal(atomic_load(&stuck_reports), 1);
	assert_non_null(strstr(stuck_text, "task 2 has waited"));
	assert_non_null(strstr(stuck_text, "for a CPU (limit 300 ms)"));
	assert_non_null(strstr(stuck_text, "cpu0  task 1"));
	assert_non_null(strstr(stuck_text, "waiting"));
	/* The CPU holder's backtrace, taken by an NMI, names the hog. */
	assert_non_null(strstr(stuck_text, "cpu0, task 1:"));
	assert_non_null(strstr(stuck_text, "hog+"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_preempt_disable_pins,
						setup_full, test_teardown),
		cmocka_unit_test(test_none_never_preempts),
		cmocka_unit_test(test_lazy_waits_for_promotion),
		cmocka_unit_test_setup_teardown(test_masked_irq_replayed_once,
						setup_quiet, test_teardown),
		cmocka_unit_test_setup_teardown(test_masked_tick_replayed_once,
						setup_quiet, test_teardown),
		cmocka_unit_test_setup_teardown(test_nmi_nests_into_irq,
						setup_quiet, test_teardown),
		cmocka_unit_test(test_watchdog_reports_stuck_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
