// SPDX-License-Identifier: MIT
/*
 * Preemption models, preempt_count, the soft interrupt mask and NMI
 * nesting. Each property is paired with the case that shows the check
 * could fail.
 */
#include "util.h"

#include <stdatomic.h>
#include <string.h>

static uint64_t end_ms;
static _Atomic int spinners_running;

static void *spinner(void *arg)
{
	(void)arg;
	atomic_fetch_add(&spinners_running, 1);
	while (test_now_ms() < end_ms) {
		test_spin(2000);
		krseq_cond_resched();
	}
	return NULL;
}

static struct krseq_task *start_spinners(struct krseq_task **t, int n,
					 unsigned int ms)
{
	end_ms = test_now_ms() + ms;
	atomic_store(&spinners_running, 0);
	for (int i = 0; i < n; i++)
		assert_non_null(t[i] = krseq_task_create(spinner, NULL));
	return t[0];
}

static void join_all(struct krseq_task **t, int n)
{
	for (int i = 0; i < n; i++)
		krseq_task_join(t[i]);
}

/* preempt_disable() holds the CPU across many ticks; enable gives it up. */
struct pinned {
	int ticks, cpu_changes, need_resched_seen;
	uint64_t preempt_before, preempt_after;
};

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

static void *pinned_task(void *arg)
{
	struct pinned *p = arg;
	uint64_t t0, deadline = test_now_ms() + 20000;
	uint64_t until;
	int cpu;

	krseq_preempt_disable();
	cpu = krseq_smp_processor_id();
	t0 = my_ticks();
	p->preempt_before = my_preemptions();
	/*
	 * 30 ticks, over at least 30 tick periods: qemu may hand over a burst
	 * of ticks queued while the task waited, all inside the slice's first
	 * period, when no reschedule is asked for yet.
	 */
	until = test_now_ms() + 30 * 100 / 1000 + 1;
	while ((my_ticks() - t0 < 30 || test_now_ms() < until) &&
	       test_now_ms() < deadline) {
		test_spin(1000);
		if (krseq_smp_processor_id() != cpu ||
		    krseq_this_cpu_offset() != krseq_cpu_offset(cpu))
			p->cpu_changes++;
		if (krseq_ta.need_resched)
			p->need_resched_seen = 1;
	}
	p->ticks = (int)(my_ticks() - t0);
	krseq_preempt_enable();
	p->preempt_after = my_preemptions();
	return NULL;
}

/*
 * One attempt: three spinners and the pinned task on two CPUs. It proves
 * something only if a reschedule was asked for while the task was pinned;
 * under qemu the host's scheduling sometimes leaves no task waiting for
 * the whole span (not understood yet), so an attempt without that request
 * is repeated, and the CPU must never change in any attempt.
 */
static struct pinned pin_once(void)
{
	struct krseq_config c =
		test_config(2, 100, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);
	struct krseq_task *spin[3], *t;
	struct pinned p = { 0 };

	test_init(&c);
	start_spinners(spin, 3, 20000);
	/* Contention first, so that every tick asks for a reschedule. */
	while (atomic_load(&spinners_running) < 3)
		krseq_usleep(1000);
	t = krseq_task_create(pinned_task, &p);
	krseq_task_join(t);
	end_ms = 0;
	join_all(spin, 3);
	krseq_exit();
	print_message("pinned: %d ticks, %d CPU changes, need_resched %d, "
		      "preempted at enable %d\n",
		      p.ticks, p.cpu_changes, p.need_resched_seen,
		      (int)(p.preempt_after - p.preempt_before));
	return p;
}

static void test_preempt_disable_pins(void **state)
{
	struct pinned p;
	int attempt = 0;

	(void)state;
	do {
		p = pin_once();
		assert_true(p.ticks >= 30);
		assert_int_equal(p.cpu_changes, 0);
	} while (!p.need_resched_seen && ++attempt < 5);
	/* It would have been preempted: the request was there ... */
	assert_true(p.need_resched_seen);
	/* ... and preempt_enable() honoured it. */
	assert_true(p.preempt_after > p.preempt_before);
}

/* Under NONE, ticks never preempt; the same load under FULL does. */
static struct krseq_stats run_contended(enum krseq_preempt_model m)
{
	struct krseq_config c = test_config(2, 100, m, KRSEQ_MIGRATE_RANDOM);
	struct krseq_task *t[4];
	struct krseq_stats st;

	test_init(&c);
	start_spinners(t, 4, 300);
	join_all(t, 4);
	krseq_stats_get(&st);
	krseq_exit();
	return st;
}

static void test_none_never_preempts(void **state)
{
	struct krseq_stats none = run_contended(KRSEQ_PREEMPT_NONE);
	struct krseq_stats full = run_contended(KRSEQ_PREEMPT_FULL);

	(void)state;
	print_message("NONE: %lu ticks, %lu preemptions, %lu voluntary; "
		      "FULL: %lu ticks, %lu preemptions\n",
		      (unsigned long)none.irqs[KRSEQ_IRQ_TICK],
		      (unsigned long)none.preemptions,
		      (unsigned long)none.voluntary,
		      (unsigned long)full.irqs[KRSEQ_IRQ_TICK],
		      (unsigned long)full.preemptions);
	assert_true(none.irqs[KRSEQ_IRQ_TICK] > 0);
	assert_int_equal(none.preemptions, 0);
	assert_true(none.voluntary > 0);
	assert_true(full.preemptions > 0);
}

/*
 * LAZY: the tick's request is lazy and only a later tick promotes it, so a
 * task is never preempted by the first tick of its slice, nor before a
 * tick of its slice promoted the request. Under FULL no tick promotes anything: the same
 * observation there shows the check can fail.
 */
struct slice_obs {
	_Atomic long preemptions, early, after_promotion;
};
static struct slice_obs obs;
static uint64_t promotions_seen; /* one CPU: one handler at a time */
static __thread uint64_t slice_preempt_seen, slice_ticks;
static __thread bool slice_promoted;
/* Only the slicers are judged: task 0 takes ticks too, across runs. */
static __thread bool is_slicer;
/* A slicer's first slice began before it counted: judge from its end. */
static __thread bool whole_slice;

/*
 * Runs after the runtime's tick work. A changed preemption count means the
 * last slice ended at the previous tick on this task: judge that tick.
 */
static void lazy_tick(enum krseq_irq src, void *arg)
{
	uint64_t p = my_preemptions();
	struct krseq_stats st;

	(void)src;
	(void)arg;
	if (!is_slicer)
		return;
	if (p != slice_preempt_seen) {
		if (slice_ticks && whole_slice) {
			atomic_fetch_add(&obs.preemptions, 1);
			if (slice_ticks < 2)
				atomic_fetch_add(&obs.early, 1);
			if (slice_promoted)
				atomic_fetch_add(&obs.after_promotion, 1);
		}
		slice_preempt_seen = p;
		slice_ticks = 0;
		slice_promoted = false;
		whole_slice = true;
	}
	slice_ticks++;
	krseq_stats_get(&st);
	if (st.lazy_promotions != promotions_seen)
		slice_promoted = true;
	promotions_seen = st.lazy_promotions;
}

static void *slicer(void *arg)
{
	(void)arg;
	slice_preempt_seen = my_preemptions();
	is_slicer = true;
	while (test_now_ms() < end_ms)
		test_spin(500);
	return NULL;
}

static struct slice_obs run_slices(enum krseq_preempt_model m,
				   struct krseq_stats *st)
{
	struct krseq_config c = test_config(1, 500, m, KRSEQ_MIGRATE_NEVER);
	struct krseq_task *t[2];
	struct slice_obs r;

	memset(&obs, 0, sizeof(obs));
	promotions_seen = 0;
	test_init(&c);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_TICK, lazy_tick, NULL), 0);
	end_ms = test_now_ms() + 400;
	for (int i = 0; i < 2; i++)
		assert_non_null(t[i] = krseq_task_create(slicer, NULL));
	join_all(t, 2);
	krseq_stats_get(st);
	krseq_exit();
	r.preemptions = atomic_load(&obs.preemptions);
	r.early = atomic_load(&obs.early);
	r.after_promotion = atomic_load(&obs.after_promotion);
	return r;
}

static void test_lazy_waits_for_promotion(void **state)
{
	struct krseq_stats lst, fst;
	struct slice_obs lazy = run_slices(KRSEQ_PREEMPT_LAZY, &lst);
	struct slice_obs full = run_slices(KRSEQ_PREEMPT_FULL, &fst);

	(void)state;
	print_message("LAZY: %ld preemptions, %ld in a slice's first tick, "
		      "%ld after a promotion, %lu promotions; FULL: %ld "
		      "preemptions, %ld after a promotion\n",
		      (long)lazy.preemptions, (long)lazy.early,
		      (long)lazy.after_promotion,
		      (unsigned long)lst.lazy_promotions,
		      (long)full.preemptions, (long)full.after_promotion);
	assert_true(lazy.preemptions > 0);
	assert_int_equal(lazy.early, 0);
	assert_int_equal(lazy.after_promotion, lazy.preemptions);
	assert_true(lst.preemptions <= lst.lazy_promotions);
	assert_true(full.preemptions > 0);
	assert_int_equal(full.after_promotion, 0);
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

/* A task that never gives its CPU up becomes a watchdog report. */
static _Atomic int stuck_reports;
static char stuck_text[16384];

/*
 * Keep the first report: it is made while the hog holds the CPU. Later
 * ones (the other task may wait again while the hog lets go, on a slow
 * host) describe a machine already moving.
 */
static void on_stuck(const char *report, void *arg)
{
	(void)arg;
	if (atomic_load(&stuck_reports) == 0)
		strncpy(stuck_text, report, sizeof(stuck_text) - 1);
	atomic_fetch_add(&stuck_reports, 1);
}

static void *hog(void *arg)
{
	uint64_t deadline = test_now_ms() + 20000;

	(void)arg;
	krseq_preempt_disable();
	while (!atomic_load(&stuck_reports) && test_now_ms() < deadline)
		test_spin(1000);
	krseq_preempt_enable();
	return NULL;
}

static void test_watchdog_reports_stuck_machine(void **state)
{
	struct krseq_config c =
		test_config(1, 200, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	struct krseq_task *t[2];

	(void)state;
	c.watchdog_ms = 300;
	c.on_stuck = on_stuck;
	test_init(&c);
	for (int i = 0; i < 2; i++)
		assert_non_null(t[i] = krseq_task_create(hog, NULL));
	join_all(t, 2);
	krseq_exit();
	print_message("%s", stuck_text);
	assert_true(atomic_load(&stuck_reports) >= 1);
	assert_non_null(strstr(stuck_text, "has waited"));
	assert_non_null(strstr(stuck_text, "for a CPU (limit 300 ms)"));
	assert_non_null(strstr(stuck_text, "cpu0  task"));
	assert_non_null(strstr(stuck_text, "waiting"));
	/* The CPU holder's backtrace, taken by an NMI, names the hog. */
	assert_non_null(strstr(stuck_text, "hog+"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preempt_disable_pins),
		cmocka_unit_test(test_none_never_preempts),
		cmocka_unit_test(test_lazy_waits_for_promotion),
		cmocka_unit_test_setup_teardown(test_masked_irq_replayed_once,
						setup_quiet, test_teardown),
		cmocka_unit_test_setup_teardown(test_nmi_nests_into_irq,
						setup_quiet, test_teardown),
		cmocka_unit_test(test_watchdog_reports_stuck_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
