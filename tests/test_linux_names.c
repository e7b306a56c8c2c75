// SPDX-License-Identifier: MIT
/*
 * The kernel names of <krseq/linux.h>, used as kernel per-CPU code uses
 * them. The first part is written as a kernel test module would be: an
 * init function that checks with WARN() and says so with pr_info(); the
 * harness runs it as a task and asserts that no warning fired. The rest
 * checks each name's meaning on the simulated machine, each paired with
 * the case that shows the check can fail.
 */
#define pr_fmt(fmt) "linux_names: " fmt

#include "util.h"
#include "asm_sections.h"

#include <krseq/linux.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The module scaffolding kernel code expects from outside. */
#define __init
#define module_init(fn) static int (*const module_init_fn)(void) = fn
#define MODULE_LICENSE(l)

/* ---- module-style part ---- */

struct pcp_stats {
	local_lock_t lock;
	u64 events;
	s32 delta;
};

DECLARE_PER_CPU_ALIGNED(long, mod_aligned);
DEFINE_PER_CPU_ALIGNED(long, mod_aligned);
EXPORT_PER_CPU_SYMBOL(mod_aligned);
DECLARE_PER_CPU_SHARED_ALIGNED(struct pcp_stats, mod_stats);
DEFINE_PER_CPU_SHARED_ALIGNED(struct pcp_stats, mod_stats) = {
	.lock = INIT_LOCAL_LOCK(lock),
};
EXPORT_PER_CPU_SYMBOL_GPL(mod_stats);
DECLARE_PER_CPU_READ_MOSTLY(int, mod_mostly);
DEFINE_PER_CPU_READ_MOSTLY(int, mod_mostly) = 7;
DECLARE_PER_CPU_PAGE_ALIGNED(char, mod_page);
DEFINE_PER_CPU_PAGE_ALIGNED(char, mod_page);
static DEFINE_PER_CPU(u64, mod_u64);
static DEFINE_PER_CPU(u128, mod_u128) __attribute__((aligned(16)));
static unsigned long __percpu *mod_dyn;

#define CHECK(cond)                                                            \
	WARN(!(cond), "check failed: %s (cpu %d)", #cond, smp_processor_id())

static int __init percpu_names_init(void)
{
	unsigned int cpus = 0;
	unsigned long flags;
	u64 old64;
	s64 wide;
	u128 old128;
	int cpu;

	pr_info("start\n");
	BUILD_BUG_ON(sizeof(u8) != 1 || sizeof(s16) != 2 || sizeof(u32) != 4 ||
		     sizeof(s64) != 8);

	for_each_online_cpu(cpu) cpus++;
	CHECK(cpus == num_online_cpus());
	CHECK(num_online_cpus() == num_possible_cpus());
	cpus = 0;
	for_each_present_cpu(cpu)
	{
		CHECK(cpu_online(cpu));
		cpus++;
	}
	CHECK(cpus == nr_cpu_ids);
	CHECK(!cpu_online(nr_cpu_ids));
	CHECK(!cpu_online(-1));

	for_each_possible_cpu(cpu)
	{
		CHECK((uintptr_t)per_cpu_ptr(&mod_aligned, cpu) %
			      KRSEQ_CACHELINE ==
		      0);
		CHECK((uintptr_t)per_cpu_ptr(&mod_stats, cpu) %
			      KRSEQ_CACHELINE ==
		      0);
		CHECK((uintptr_t)per_cpu_ptr(&mod_page, cpu) %
			      KRSEQ_PAGE_SIZE ==
		      0);
		CHECK(per_cpu(mod_mostly, cpu) == 7);
	}

	mod_dyn = alloc_percpu_gfp(unsigned long, GFP_KERNEL);
	CHECK(mod_dyn != NULL);
	for_each_possible_cpu(cpu) CHECK(*per_cpu_ptr(mod_dyn, cpu) == 0);

	/* get_cpu() pins: preemption off until put_cpu(). */
	cpu = get_cpu();
	CHECK(cpu == smp_processor_id());
	CHECK(preempt_count() == 1);
	this_cpu_inc(*mod_dyn);
	put_cpu();
	CHECK(preempt_count() == 0);

	get_cpu_var(mod_aligned) += 5;
	CHECK(preempt_count() == 1);
	CHECK(__this_cpu_read(mod_aligned) == 5);
	put_cpu_var(mod_aligned);
	CHECK(preempt_count() == 0);

	{
		struct pcp_stats *s = get_cpu_ptr(&mod_stats);

		CHECK(preempt_count() == 1);
		CHECK(s == this_cpu_ptr(&mod_stats));
		s->events++;
		put_cpu_ptr(&mod_stats);
	}

	preempt_disable_nested();
	CHECK(preempt_count() == 1);
	preempt_enable_nested();

	/* local_lock: preemption (or interrupts) off, owner checked. */
	local_lock(&mod_stats.lock);
	CHECK(!preemptible());
	__this_cpu_add(mod_stats.events, 2);
	lockdep_assert_preemption_disabled();
	local_unlock(&mod_stats.lock);
	lockdep_assert_preemption_enabled();
	local_lock_irqsave(&mod_stats.lock, flags);
	CHECK(irqs_disabled());
	lockdep_assert_irqs_disabled();
	__this_cpu_inc(mod_stats.events);
	local_unlock_irqrestore(&mod_stats.lock, flags);
	CHECK(!irqs_disabled());
	lockdep_assert_irqs_enabled();

	/*
	 * The 64- and 128-bit cmpxchg forms, *ovalp wider than the counter;
	 * pinned, as the values are one CPU's.
	 */
	preempt_disable();
	this_cpu_write(mod_u64, 10);
	CHECK(this_cpu_cmpxchg64(mod_u64, 10, 11) == 10);
	old64 = 11;
	CHECK(this_cpu_try_cmpxchg64(mod_u64, &old64, 12));
	CHECK(__this_cpu_cmpxchg64(mod_u64, 12, 13) == 12);
	CHECK(raw_cpu_cmpxchg64(mod_u64, 13, 14) == 13);
	old64 = 0;
	CHECK(!__this_cpu_try_cmpxchg64(mod_u64, &old64, 1) && old64 == 14);
	CHECK(raw_cpu_try_cmpxchg64(mod_u64, &old64, 15));
	old128 = 0;
	CHECK(raw_cpu_cmpxchg128(mod_u128, old128, (u128)1 << 100) == 0);
	CHECK(__this_cpu_cmpxchg128(mod_u128, (u128)1 << 100, 3) ==
	      (u128)1 << 100);
	wide = -1;
	CHECK(!raw_cpu_try_cmpxchg128(mod_u128, &wide, 4) && wide == 3);
	CHECK(__this_cpu_try_cmpxchg128(mod_u128, &wide, 5));
	CHECK(this_cpu_read(mod_u64) == 15);
	preempt_enable();
	CHECK(in_task() && !in_interrupt() && !in_hardirq() && !in_nmi());
	CHECK(READ_ONCE(mod_dyn) != NULL);

	pr_info("done\n");
	return 0;
}
module_init(percpu_names_init);
MODULE_LICENSE("GPL");

/* ---- the harness ---- */

static struct krseq_stats stats(void)
{
	struct krseq_stats st;

	krseq_stats_get(&st);
	return st;
}

/* stderr of fn(), for the messages the kernel would log. */
static char captured[8192];

static void capture(void (*fn)(void))
{
	char path[] = "/tmp/krseq_names_XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	unlink(path);
	dup2(fd, 2);
	fn();
	dup2(saved, 2);
	close(saved);
	n = pread(fd, captured, sizeof(captured) - 1, 0);
	close(fd);
	captured[n > 0 ? n : 0] = '\0';
}

static int module_ret;

static void *module_task(void *arg)
{
	(void)arg;
	module_ret = module_init_fn();
	return NULL;
}

static void run_module(void)
{
	krseq_task_join(krseq_task_create(module_task, NULL));
}

static void test_module(void **state)
{
	struct krseq_stats before = stats(), after;

	(void)state;
	capture(run_module);
	after = stats();
	printf("%s", captured);
	assert_int_equal(module_ret, 0);
	assert_int_equal(after.warnings, before.warnings);
	assert_int_equal(after.lockdep_failures, before.lockdep_failures);
	assert_int_equal(after.preempt_check_failures,
			 before.preempt_check_failures);
	assert_non_null(strstr(captured, "linux_names: start\n"));
	assert_non_null(strstr(captured, "linux_names: done\n"));
}

static int occurrences(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

/* WARN*() fire, are counted, return the condition; ONCE fires once. */
static int warn_rets;

static void warn_some(void)
{
	warn_rets = 0;
	warn_rets += WARN(1 + 1 == 2, "two is %d", 2);
	warn_rets += WARN(0, "never");
	warn_rets += WARN_ON(sizeof(long) > 1);
	warn_rets += WARN_ON(0);
	for (int i = 0; i < 3; i++)
		warn_rets += WARN_ON_ONCE(i >= 0);
	pr_warn("a warning line %d\n", 1);
	pr_err("an error line\n");
	printk(KERN_INFO "printk at level %s\n", "info");
	pr_notice("a notice\n");
	pr_debug("never printed without DEBUG %d\n", 1);
}

static void test_warn(void **state)
{
	struct krseq_stats before = stats();

	(void)state;
	capture(warn_some);
	assert_int_equal(warn_rets, 5);
	assert_int_equal(stats().warnings - before.warnings, 3);
	assert_non_null(strstr(captured, "krseq: WARNING: CPU: "));
	assert_non_null(strstr(captured, " task 0 at "));
	assert_non_null(strstr(captured, ": two is 2\n"));
	assert_null(strstr(captured, "never"));
	assert_non_null(strstr(captured, ": WARN_ON(sizeof(long) > 1)\n"));
	assert_non_null(strstr(captured, ": WARN_ON_ONCE(i >= 0)\n"));
	assert_int_equal(occurrences(captured, "WARN_ON_ONCE("), 1);
	assert_non_null(strstr(captured, "linux_names: a warning line 1\n"));
	assert_non_null(strstr(captured, "linux_names: an error line\n"));
	/* The level is dropped: the line starts with the text. */
	assert_non_null(strstr(captured, "\nprintk at level info\n"));
	assert_null(strstr(captured, KERN_SOH));
	assert_non_null(strstr(captured, "linux_names: a notice\n"));
	assert_null(strstr(captured, "never printed"));
}

/* min()/max() evaluate each argument once and keep the kernel's types. */
static void test_minmax(void **state)
{
	int i = 0;

	(void)state;
	assert_int_equal(min(i++, 10), 0);
	assert_int_equal(i, 1);
	assert_int_equal(max(i++, -5), 1);
	assert_int_equal(i, 2);
	assert_int_equal(min_t(long, -1, 1UL), -1);
	assert_int_equal(max_t(unsigned int, 3, 7), 7);
}

/* BUG_ON(true) stops the process with the message; false does nothing. */
static void child_bug(void)
{
	BUG_ON(nr_cpu_ids > 0);
}

static void test_bug(void **state)
{
	struct test_child c;
	const char *buf = c.out;

	(void)state;
	BUG_ON(0);
	test_run_child(child_bug, &c);
	assert_true(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGABRT);
	assert_non_null(strstr(buf, "krseq: kernel BUG at "));
	assert_non_null(strstr(buf, ": BUG_ON(nr_cpu_ids > 0) (CPU "));
	assert_non_null(strstr(buf, ", task 0)\n"));
}

/* Each lockdep assert, failing once, and local_lock misuse. */
static DEFINE_PER_CPU(local_lock_t, misuse_lock) = INIT_LOCAL_LOCK(misuse_lock);

static void lockdep_failures(void)
{
	unsigned long flags;

	lockdep_assert_preemption_disabled(); /* preemptible: fails */
	lockdep_assert_irqs_disabled(); /* fails */
	preempt_disable();
	lockdep_assert_preemption_enabled(); /* fails */
	preempt_enable();
	local_irq_save(flags);
	lockdep_assert_irqs_enabled(); /* fails */
	local_irq_restore(flags);
	local_lock(&misuse_lock);
	local_lock(&misuse_lock); /* taken twice: fails */
	local_unlock(&misuse_lock);
	local_unlock(&misuse_lock); /* not held: fails */
}

static void test_lockdep(void **state)
{
	struct krseq_stats before = stats();

	(void)state;
	capture(lockdep_failures);
	assert_int_equal(stats().lockdep_failures - before.lockdep_failures, 6);
	assert_int_equal(preempt_count(), 0);
	assert_non_null(
		strstr(captured, "lockdep_assert_preemption_disabled()"));
	assert_non_null(
		strstr(captured, "lockdep_assert_preemption_enabled()"));
	assert_non_null(strstr(captured, "lockdep_assert_irqs_disabled()"));
	assert_non_null(strstr(captured, "lockdep_assert_irqs_enabled()"));
	assert_non_null(strstr(captured, "taken again, held by task 0"));
	assert_non_null(
		strstr(captured, "released by task 0, held by no task"));
	/* Once per call site: the same failures again print nothing. */
	capture(lockdep_failures);
	assert_int_equal(stats().lockdep_failures - before.lockdep_failures,
			 12);
	assert_string_equal(captured, "");
}

/* in_*() and irqs_disabled() in a hard irq handler and in an NMI. */
struct ctx {
	bool task, interrupt, hardirq, nmi, irqs_off;
};
static struct ctx seen[KRSEQ_NR_IRQS];

static void record(enum krseq_irq src, void *arg)
{
	(void)arg;
	seen[src] = (struct ctx){ in_task(), in_interrupt(), in_hardirq(),
				  in_nmi(), irqs_disabled() };
	lockdep_assert_irqs_disabled();
	lockdep_assert_preemption_disabled();
}

static void test_context(void **state)
{
	struct krseq_stats before = stats();

	(void)state;
	assert_true(in_task());
	assert_false(in_interrupt() || in_hardirq() || in_nmi());
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, record, NULL), 0);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_NMI, record, NULL), 0);
	krseq_raise(KRSEQ_IRQ_IPI);
	krseq_raise(KRSEQ_IRQ_NMI);
	krseq_free_irq(KRSEQ_IRQ_IPI, record, NULL);
	krseq_free_irq(KRSEQ_IRQ_NMI, record, NULL);
	assert_false(seen[KRSEQ_IRQ_IPI].task);
	assert_true(seen[KRSEQ_IRQ_IPI].interrupt);
	assert_true(seen[KRSEQ_IRQ_IPI].hardirq);
	assert_false(seen[KRSEQ_IRQ_IPI].nmi);
	assert_true(seen[KRSEQ_IRQ_IPI].irqs_off);
	assert_false(seen[KRSEQ_IRQ_NMI].task);
	assert_true(seen[KRSEQ_IRQ_NMI].interrupt);
	assert_true(seen[KRSEQ_IRQ_NMI].hardirq);
	assert_true(seen[KRSEQ_IRQ_NMI].nmi);
	assert_int_equal(stats().lockdep_failures, before.lockdep_failures);
	assert_true(in_task() && !in_nmi());
}

/*
 * migrate_disable(): preemptible (preempt_count 0, __this_cpu_*() not
 * reported), preempted 10 times at a known instruction while two hogs
 * share the two CPUs, and always given its CPU back, under a policy that
 * moves a task at every switch: which the control, without
 * migrate_disable(), shows it does. The hogs yield, so the CPU comes back
 * without waiting for a timer.
 */
#define PIN_PREEMPTIONS 10

static DEFINE_PER_CPU(long, pinned_count);
static _Atomic bool hog_stop;

static void *hog(void *arg)
{
	(void)arg;
	while (!atomic_load(&hog_stop)) {
		test_spin(1000);
		krseq_yield();
	}
	return NULL;
}

static struct krseq_task_stats my_stats(void)
{
	struct krseq_task_stats s;

	krseq_task_stats(krseq_current(), &s);
	return s;
}

struct pin {
	bool disable;
	int moves, preemptions, migrations, hits;
	uint64_t reports;
};

static void *pin_task(void *arg)
{
	struct krseq_forced_irq f = { .preempt = true };
	struct pin *p = arg;
	struct krseq_task_stats s0, s1;
	struct krseq_stats st;
	int cpu;

	if (p->disable)
		migrate_disable();
	cpu = raw_smp_processor_id();
	s0 = my_stats();
	for (int i = 0; i < PIN_PREEMPTIONS; i++) {
		if (krseq_trap_arm((void *)krseq_test_site, &f))
			break;
		krseq_test_site();
		p->hits += krseq_trap_disarm();
		if (p->disable && (preempt_count() != 0 || !preemptible()))
			p->reports = UINT64_MAX; /* preemption disabled */
		if (p->disable)
			__this_cpu_inc(pinned_count);
		if (raw_smp_processor_id() != cpu) {
			p->moves++;
			cpu = raw_smp_processor_id();
		}
	}
	s1 = my_stats();
	p->preemptions = (int)(s1.preemptions - s0.preemptions);
	p->migrations = (int)(s1.migrations - s0.migrations);
	if (p->disable)
		migrate_enable();
	krseq_stats_get(&st);
	if (p->reports != UINT64_MAX)
		p->reports = st.preempt_check_failures;
	return NULL;
}

static void run_pinned(struct pin *p)
{
	struct krseq_task *h[2], *t;

	atomic_store(&hog_stop, false);
	for (int i = 0; i < 2; i++)
		assert_non_null(h[i] = krseq_task_create(hog, NULL));
	assert_non_null(t = krseq_task_create(pin_task, p));
	krseq_task_join(t);
	atomic_store(&hog_stop, true);
	for (int i = 0; i < 2; i++)
		krseq_task_join(h[i]);
}

static void test_migrate_disable(void **state)
{
	struct pin on = { .disable = true }, off = { .disable = false };
	uint64_t reports = stats().preempt_check_failures;

	(void)state;
	run_pinned(&on);
	run_pinned(&off);
	print_message("migrate_disable: %d forced, %d preemptions, %d "
		      "migrations, %d moves seen; without: %d forced, %d "
		      "preemptions, %d migrations\n",
		      on.hits, on.preemptions, on.migrations, on.moves,
		      off.hits, off.preemptions, off.migrations);
	assert_int_equal(on.hits, PIN_PREEMPTIONS);
	assert_true(on.preemptions >= PIN_PREEMPTIONS);
	assert_int_equal(on.migrations, 0);
	assert_int_equal(on.moves, 0);
	assert_int_equal(on.reports, reports);
	assert_int_equal(off.hits, PIN_PREEMPTIONS);
	assert_true(off.preemptions >= PIN_PREEMPTIONS);
	/* Under "always" every switch moves it. */
	assert_true(off.migrations >= PIN_PREEMPTIONS);
}

static int setup(void **state)
{
	struct krseq_config c =
		test_config(2, 200, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_ALWAYS);

	(void)state;
	test_init(&c);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module),
		cmocka_unit_test(test_warn),
		cmocka_unit_test(test_minmax),
		cmocka_unit_test(test_bug),
		cmocka_unit_test(test_lockdep),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_migrate_disable),
	};

	return cmocka_run_group_tests(tests, setup, test_teardown);
}
