// SPDX-License-Identifier: MIT
/*
 * Misuse and hostile conditions end in a clear message or in a working
 * machine, never in a hang or a silent wrong answer. Every case that could
 * hang or kill its process runs in a child with a bounded wait: a child
 * still running at the bound is killed, and the test fails saying so.
 */
#include "util.h"

#include <krseq/percpu.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* In a child: say what went wrong and leave with status 1. */
static void child_check(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "child: FAILED: %s (%s)\n", what, krseq_last_error());
	_exit(1);
}

/* Several handlers on one source each keep their own argument. */
static int seen_a, seen_b;

static void count_arg(enum krseq_irq src, void *arg)
{
	(void)src;
	(*(int *)arg)++;
}

static void test_irq_handlers_keep_their_args(void **state)
{
	struct krseq_config c =
		test_config(1, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);

	(void)state;
	test_init(&c);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, count_arg, &seen_a),
			 0);
	assert_int_equal(krseq_request_irq(KRSEQ_IRQ_IPI, count_arg, &seen_b),
			 0);
	krseq_raise(KRSEQ_IRQ_IPI);
	assert_int_equal(seen_a, 1);
	assert_int_equal(seen_b, 1);
	/* Each is found by its own argument, and only it goes. */
	krseq_free_irq(KRSEQ_IRQ_IPI, count_arg, &seen_a);
	krseq_raise(KRSEQ_IRQ_IPI);
	assert_int_equal(seen_a, 1);
	assert_int_equal(seen_b, 2);
	krseq_free_irq(KRSEQ_IRQ_IPI, count_arg, &seen_b);
	krseq_raise(KRSEQ_IRQ_IPI);
	assert_int_equal(seen_b, 2);
}

static void expect_env_refused(const char *value)
{
	char want[128];
	int err;

	setenv("KRSEQ_WATCHDOG_MS", value, 1);
	err = krseq_init(NULL);
	if (!err)
		krseq_exit();
	assert_int_equal(err, -EINVAL);
	snprintf(want, sizeof(want),
		 "krseq_init: KRSEQ_WATCHDOG_MS wants a whole number of "
		 "milliseconds from 1 to 3600000, not '%s'",
		 value);
	if (strcmp(krseq_last_error(), want))
		fail_msg("message \"%s\", expected \"%s\"", krseq_last_error(),
			 want);
}

static void test_watchdog_env_validated(void **state)
{
	static const char *const bad[] = {
		"",   "abc", "2s", "0", "-5", "3600001", "99999999999999999999",
		" 5", "+5"
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_env_refused(bad[i]);
	setenv("KRSEQ_WATCHDOG_MS", "1500", 1);
	test_init(NULL);
	assert_int_equal(krseq_config()->watchdog_ms, 1500);
	krseq_exit();
}

static int unset_env(void **state)
{
	(void)state;
	unsetenv("KRSEQ_WATCHDOG_MS");
	return 0;
}

/* krseq_exit() with a task still running: refused, named, no signal. */
static _Atomic bool release_task;

static void *wait_for_release(void *arg)
{
	(void)arg;
	while (!atomic_load(&release_task))
		krseq_usleep(1000);
	return NULL;
}

static void child_exit_with_live_task(void)
{
	struct krseq_config c =
		test_config(2, 100, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_RANDOM);
	struct krseq_task *t;

	child_check(!krseq_init(&c), "krseq_init");
	t = krseq_task_create(wait_for_release, NULL);
	child_check(t != NULL, "krseq_task_create");
	child_check(krseq_exit() == -EBUSY, "krseq_exit refused");
	child_check(strstr(krseq_last_error(), "task 1 (") != NULL,
		    "the message names task 1");
	/* Still up: the task goes on taking ticks, and is joined. */
	krseq_usleep(20000);
	atomic_store(&release_task, true);
	krseq_task_join(t);
	child_check(krseq_exit() == 0, "krseq_exit after the join");
	printf("child ok\n");
}

static void test_exit_with_live_task(void **state)
{
	struct test_child c;

	(void)state;
	test_run_child(child_exit_with_live_task, &c);
	test_expect_exit_ok(&c);
	test_expect_in(&c, "krseq: krseq_exit: 1 task not joined: task 1 (");
	test_expect_in(&c, "join every task with krseq_task_join() first");
	test_expect_in(&c, "child ok");
}

/*
 * A tick far shorter than one signal delivery (1 us): served, and task
 * code still runs between ticks: a fixed amount of work completes while
 * ticks keep coming.
 */
static void child_tick_faster_than_host(void)
{
	struct krseq_config c =
		test_config(1, 1, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	struct krseq_task_stats s;
	unsigned int rounds = 0;

	child_check(!krseq_init(&c), "krseq_init");
	do {
		test_spin(1000);
		rounds++;
		krseq_task_stats(krseq_current(), &s);
	} while (rounds < 2000 || s.ticks < 10);
	child_check(krseq_exit() == 0, "krseq_exit");
	printf("child ok: %u rounds of task code, %lu ticks\n", rounds,
	       (unsigned long)s.ticks);
}

static void test_tick_faster_than_host(void **state)
{
	struct test_child c;

	(void)state;
	test_run_child(child_tick_faster_than_host, &c);
	test_expect_exit_ok(&c);
	test_expect_in(&c, "child ok");
}

/*
 * A handler that raises its own interrupt again: the task never runs
 * another instruction of its own, and nobody waits for a CPU. The
 * watchdog must still say so.
 */
static void reraise(enum krseq_irq src, void *arg)
{
	(void)arg;
	krseq_raise(src);
}

__attribute__((noinline)) static void child_interrupt_storm(void)
{
	struct krseq_config c =
		test_config(1, 1000, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);

	c.watchdog_ms = 300;
	child_check(!krseq_init(&c), "krseq_init");
	child_check(!krseq_request_irq(KRSEQ_IRQ_IPI, reraise, NULL),
		    "krseq_request_irq");
	krseq_raise(KRSEQ_IRQ_IPI);
	fprintf(stderr, "child: the storm ended\n");
	_exit(1);
}

static void test_watchdog_reports_interrupt_storm(void **state)
{
	struct test_child c;

	(void)state;
	test_run_child(child_interrupt_storm, &c);
	assert_true(WIFSIGNALED(c.status));
	assert_int_equal(WTERMSIG(c.status), SIGABRT);
	test_expect_in(&c,
		       "krseq watchdog: task 0 has run none of its own code "
		       "for ");
	test_expect_in(&c, "interrupts all landed at pc");
	test_expect_in(&c, "(limit 300 ms)");
	test_expect_in(&c, "cpu0  task 0");
}

/*
 * The other side of that report: a task that raises its interrupts itself,
 * from its own code, as the explorer raises its adversaries, runs its own
 * code even though every interrupt lands on the one libc PC of the raise.
 */
static void count_irq(enum krseq_irq src, void *arg)
{
	(void)src;
	(*(unsigned long *)arg)++;
}

__attribute__((noinline)) static void child_raises_for_long(void)
{
	struct krseq_config c =
		test_config(1, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	uint64_t until;
	unsigned long n = 0;

	c.watchdog_ms = 300;
	child_check(!krseq_init(&c), "krseq_init");
	child_check(!krseq_request_irq(KRSEQ_IRQ_IPI, count_irq, &n),
		    "krseq_request_irq");
	until = test_now_ms() + 4 * c.watchdog_ms;
	while (test_now_ms() < until)
		krseq_raise(KRSEQ_IRQ_IPI);
	child_check(krseq_exit() == 0, "krseq_exit");
	printf("child ok: %lu interrupts raised\n", n);
}

static void test_watchdog_quiet_on_raising_task(void **state)
{
	struct test_child c;

	(void)state;
	test_run_child(child_raises_for_long, &c);
	test_expect_exit_ok(&c);
	test_expect_in(&c, "child ok");
	assert_null(strstr(c.out, "krseq watchdog"));
}

/*
 * fork() from a task that is not task 0, while other tasks hold the CPUs
 * and wait for them:
 * the child's only task uses the machine (sleeps, preemption points, a
 * task of its own) and brings it down.
 */
static void *nop_task(void *arg)
{
	return arg;
}

static void forked_child(void)
{
	struct krseq_task *t;

	for (int i = 0; i < 5; i++)
		krseq_usleep(1000);
	krseq_preempt_disable();
	krseq_resched_curr(false);
	krseq_preempt_enable();
	t = krseq_task_create(nop_task, &seen_a);
	child_check(t != NULL, "krseq_task_create in the fork child");
	child_check(krseq_task_join(t) == &seen_a, "join in the fork child");
	child_check(krseq_exit() == 0, "krseq_exit in the fork child");
	fprintf(stderr, "fork child ok\n");
	_exit(0);
}

static _Atomic int fork_status = -1;

static void *forker(void *arg)
{
	uint64_t deadline = test_now_ms() + TEST_CHILD_BOUND_MS / 2;
	int status;
	pid_t pid;

	(void)arg;
	krseq_usleep(2000); /* let the others take the CPUs */
	pid = fork();
	if (pid == 0)
		forked_child();
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (test_now_ms() > deadline) {
			fprintf(stderr, "child: the fork child hung\n");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		krseq_usleep(1000);
	}
	atomic_store(&fork_status, status);
	return NULL;
}

/* Holds CPUs and keeps the run queue full: preempted, never asleep. */
static void *spin_until_release(void *arg)
{
	(void)arg;
	while (!atomic_load(&release_task))
		test_spin(1000);
	return NULL;
}

static void child_fork_from_task(void)
{
	struct krseq_config c =
		test_config(2, 1000, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_RANDOM);
	struct krseq_task *t[4];

	child_check(!krseq_init(&c), "krseq_init");
	atomic_store(&release_task, false);
	for (int i = 0; i < 3; i++)
		t[i] = krseq_task_create(spin_until_release, NULL);
	t[3] = krseq_task_create(forker, NULL);
	krseq_task_join(t[3]);
	atomic_store(&release_task, true);
	for (int i = 0; i < 3; i++)
		krseq_task_join(t[i]);
	child_check(krseq_exit() == 0, "krseq_exit");
	child_check(WIFEXITED(fork_status) && !WEXITSTATUS(fork_status),
		    "the fork child exited with status 0");
	printf("child ok\n");
}

static void test_fork_from_task(void **state)
{
	struct test_child c;

	(void)state;
#ifdef __SANITIZE_ADDRESS__
	/*
	 * GCC 12's AddressSanitizer does not hold its allocator's locks
	 * across fork(): a child forked while another thread is inside the
	 * allocator inherits the lock held, and its first new thread blocks
	 * on it for ever (seen here: a thread of the fork child waiting in
	 * SizeClassAllocator64::GetFromAllocator, from AsanThread::Init).
	 * That is the sanitizer's, not the machine's; the other builds run it.
	 */
	skip();
#endif
	test_run_child(child_fork_from_task, &c);
	test_expect_exit_ok(&c);
	test_expect_in(&c, "fork child ok");
	test_expect_in(&c, "child ok");
}

/*
 * A per-CPU op from a thread made with pthread_create() while a task runs
 * (on x86_64 that thread used to inherit the task's CPU in its GS base):
 * reported, fatal, and no CPU's copy is touched.
 */
static KRSEQ_DEFINE_PER_CPU(long, nontask_var);

__attribute__((noinline)) static void *nontask_this_cpu_inc(void *arg)
{
	(void)arg;
	krseq_this_cpu_inc(nontask_var);
	return NULL;
}

__attribute__((noinline)) static void *nontask___this_cpu_inc(void *arg)
{
	(void)arg;
	krseq___this_cpu_inc(nontask_var);
	return NULL;
}

static void *(*nontask_op)(void *);

static void child_nontask_op(void)
{
	struct krseq_config c =
		test_config(2, 1000, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	pthread_t th;

	child_check(!krseq_init(&c), "krseq_init");
	test_zero(&nontask_var);
	child_check(!pthread_create(&th, NULL, nontask_op, NULL),
		    "pthread_create");
	pthread_join(th, NULL);
	fprintf(stderr, "child: the op returned; per-CPU sum %ld\n",
		test_sum(&nontask_var));
	_exit(1);
}

static void expect_nontask_report(void *(*op)(void *), const char *what)
{
	struct test_child c;

	nontask_op = op;
	test_run_child(child_nontask_op, &c);
	if (!WIFSIGNALED(c.status) || WTERMSIG(c.status) != SIGABRT)
		fail_msg("the child was not stopped by the report: %s %d",
			 WIFSIGNALED(c.status) ? "signal" : "exit status",
			 WIFSIGNALED(c.status) ? WTERMSIG(c.status) :
						 WEXITSTATUS(c.status));
	test_expect_in(&c, what);
	test_expect_in(&c, "which is not a krseq task");
}

static void test_nontask_percpu_op(void **state)
{
	(void)state;
	expect_nontask_report(nontask_this_cpu_inc,
			      "krseq: BUG: per-CPU access at "
			      "nontask_this_cpu_inc+");
	expect_nontask_report(nontask___this_cpu_inc,
			      "krseq: BUG: using __this_cpu_inc() from "
			      "thread ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_irq_handlers_keep_their_args,
					  test_teardown),
		cmocka_unit_test_teardown(test_watchdog_env_validated,
					  unset_env),
		cmocka_unit_test(test_exit_with_live_task),
		cmocka_unit_test(test_tick_faster_than_host),
		cmocka_unit_test(test_watchdog_reports_interrupt_storm),
		cmocka_unit_test(test_watchdog_quiet_on_raising_task),
		cmocka_unit_test(test_fork_from_task),
		cmocka_unit_test(test_nontask_percpu_op),
	};

	unsetenv("KRSEQ_WATCHDOG_MS");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
