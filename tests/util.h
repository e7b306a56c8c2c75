/* SPDX-License-Identifier: MIT */
#ifndef KRSEQ_TEST_UTIL_H
#define KRSEQ_TEST_UTIL_H

#include <krseq/krseq.h>

#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static inline uint64_t test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Busy work that stays in the program's own text: a safe point. */
static inline void test_spin(unsigned int n)
{
	for (volatile unsigned int i = 0; i < n; i++)
		;
}

static inline struct krseq_config test_config(int cpus, unsigned int tick_us,
					      enum krseq_preempt_model model,
					      enum krseq_migrate migrate)
{
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;

	c.nr_cpus = cpus;
	c.tick_us = tick_us;
	c.model = model;
	c.migrate = migrate;
	c.seed = 42;
	return c;
}

static inline void test_init(const struct krseq_config *c)
{
	int err = krseq_init(c);

	if (err)
		fail_msg("krseq_init: %d: %s", err, krseq_last_error());
}

/* The teardown of every group whose setup called test_init(). */
static inline int test_teardown(void **state)
{
	(void)state;
	krseq_exit();
	return 0;
}

static inline long test_sum(long *var)
{
	long sum = 0;
	int cpu;

	krseq_for_each_possible_cpu(cpu)
		sum += *krseq_per_cpu_ptr(var, cpu);
	return sum;
}

static inline void test_zero(long *var)
{
	int cpu;

	krseq_for_each_possible_cpu(cpu)
		*krseq_per_cpu_ptr(var, cpu) = 0;
}

/* Long enough for qemu-user and the sanitizers; a hang hits it. */
#define TEST_CHILD_BOUND_MS 60000

struct test_child {
	int status;
	bool hung;
	char out[16384];
};

/*
 * Runs fn in its own process group, stderr and stdout captured, for a case
 * that may kill or hang its process: a child still running at the bound is
 * killed, and the test fails saying so.
 */
static inline void test_run_child(void (*fn)(void), struct test_child *c)
{
	uint64_t deadline = test_now_ms() + TEST_CHILD_BOUND_MS;
	size_t len = 0;
	int fds[2];
	pid_t pid;

	memset(c, 0, sizeof(*c));
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		fn();
		fflush(NULL);
		_exit(0);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		uint64_t now = test_now_ms();
		ssize_t n;

		if (now >= deadline) {
			c->hung = true;
			break;
		}
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		n = read(fds[0], c->out + len, sizeof(c->out) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	if (c->hung)
		kill(-pid, SIGKILL);
	assert_int_equal(waitpid(pid, &c->status, 0), pid);
	if (!c->hung) /* its children, if any, go with it */
		kill(-pid, SIGKILL);
	print_message("%s", c->out);
	if (c->hung)
		fail_msg("the child hung: still running after %d ms",
			 TEST_CHILD_BOUND_MS);
}

static inline void test_expect_exit_ok(const struct test_child *c)
{
	if (WIFSIGNALED(c->status))
		fail_msg("the child died of signal %d (%s)",
			 WTERMSIG(c->status), strsignal(WTERMSIG(c->status)));
	assert_true(WIFEXITED(c->status));
	assert_int_equal(WEXITSTATUS(c->status), 0);
}

static inline void test_expect_in(const struct test_child *c, const char *text)
{
	if (!strstr(c->out, text))
		fail_msg("the child's output lacks \"%s\"", text);
}

#endif
