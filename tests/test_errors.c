// SPDX-License-Identifier: MIT
/*
 * Bad input gets the message the README documents: a signal the program
 * already handles, nr_cpus out of range, conflicting settings, a malformed
 * descriptor (refused by the check, and fatal with a backtrace when found
 * armed at interrupt exit), an explorer target without its oracle.
 */
#include "util.h"
#include "asm_sections.h"

#include <krseq/explore.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void expect_init_error(const struct krseq_config *c, int err,
			      const char *msg)
{
	int ret = krseq_init(c);

	if (!ret)
		krseq_exit();
	assert_int_equal(ret, -err);
	if (!strstr(krseq_last_error(), msg))
		fail_msg("message \"%s\" lacks \"%s\"", krseq_last_error(),
			 msg);
}

static void test_nr_cpus_range(void **state)
{
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;

	(void)state;
	c.nr_cpus = 0;
	expect_init_error(&c, EINVAL,
			  "krseq_init: nr_cpus 0 out of range (1..64)");
	c.nr_cpus = KRSEQ_MAX_CPUS + 1;
	expect_init_error(&c, EINVAL,
			  "krseq_init: nr_cpus 65 out of range (1..64)");
	c.nr_cpus = -3;
	expect_init_error(&c, EINVAL, "nr_cpus -3 out of range");
	c.nr_cpus = KRSEQ_MAX_CPUS;
	test_init(&c);
	assert_int_equal(krseq_nr_cpus(), KRSEQ_MAX_CPUS);
	krseq_exit();
}

static void program_handler(int sig)
{
	(void)sig;
}

static void test_signal_already_handled(void **state)
{
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;
	struct sigaction sa, old;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = program_handler;
	sigaction(SIGALRM, &sa, &old);
	expect_init_error(&c, EBUSY,
			  "krseq_init: signal 14 (Alarm clock), wanted for "
			  "sig_tick, already has a handler in this program");
	/* Moving the tick to another signal is the documented way out. */
	c.sig_tick = SIGRTMIN + 2;
	test_init(&c);
	krseq_exit();
	/* Not disturbed: the program's handler is still there. */
	sigaction(SIGALRM, &old, &sa);
	assert_ptr_equal(sa.sa_handler, program_handler);
}

static void test_conflicting_settings(void **state)
{
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;

	(void)state;
	c.sig_ipi = SIGUSR2;
	expect_init_error(&c, EINVAL,
			  "krseq_init: sig_ipi and sig_nmi are both signal");
	c = (struct krseq_config)KRSEQ_CONFIG_DEFAULT;
	c.nr_cpus = 1;
	c.migrate = KRSEQ_MIGRATE_ALWAYS;
	expect_init_error(&c, EINVAL,
			  "krseq_init: migration policy 'always' needs at "
			  "least 2 CPUs");
	c = (struct krseq_config)KRSEQ_CONFIG_DEFAULT;
	c.sig_nmi = SIGKILL;
	expect_init_error(&c, EINVAL, "sig_nmi: 9 is not a usable signal");
	c = (struct krseq_config)KRSEQ_CONFIG_DEFAULT;
	test_init(&c);
	expect_init_error(&c, EBUSY, "krseq_init: the machine is already up");
	krseq_exit();
}

#define WINDOW(f, s, e, r)                                                     \
	{                                                                      \
		.version = KRSEQ_CS_VERSION, .flags = (f),                     \
		.start_ip = (uintptr_t)krseq_test_dummy + (s),                 \
		.post_commit_ip = (uintptr_t)krseq_test_dummy + (e),           \
		.abort_ip = (uintptr_t)krseq_test_dummy + (r)                  \
	}

static KRSEQ_CS_DEFINE(cs_good) = WINDOW(KRSEQ_CS_FLAVOUR_IRQ, 0, 2, 3);
static KRSEQ_CS_DEFINE(cs_backwards) = WINDOW(KRSEQ_CS_FLAVOUR_IRQ, 2, 1, 3);
static KRSEQ_CS_DEFINE(cs_empty) = WINDOW(KRSEQ_CS_FLAVOUR_IRQ, 2, 2, 3);
static KRSEQ_CS_DEFINE(cs_restart_inside) = WINDOW(KRSEQ_CS_FLAVOUR_SCHED, 0, 3,
						   1);
static KRSEQ_CS_DEFINE(cs_no_flags) = WINDOW(0, 0, 2, 3);
static KRSEQ_CS_DEFINE(cs_odd_flags) = WINDOW(0x100, 0, 2, 3);
static KRSEQ_CS_DEFINE(cs_fixup_restart) = WINDOW(KRSEQ_CS_FIXUP |
							  KRSEQ_CS_RESTART_IRQ,
						  0, 2, 3);
static KRSEQ_CS_DEFINE(cs_kseq_good) = WINDOW(KRSEQ_CS_KSEQ_IRQ, 0, 2, 0);
static KRSEQ_CS_DEFINE(cs_kseq_stub) = WINDOW(KRSEQ_CS_KSEQ_SCHED, 0, 2, 3);
static KRSEQ_CS_DEFINE(cs_kseq_no_flavour) = WINDOW(KRSEQ_CS_KSEQ, 0, 2, 0);
static KRSEQ_CS_DEFINE(cs_kseq_fixup) = WINDOW(KRSEQ_CS_KSEQ | KRSEQ_CS_FIXUP,
					       0, 2, 0);
static KRSEQ_CS_DEFINE(cs_version) = { .version = 7,
				       .flags = KRSEQ_CS_FLAVOUR_IRQ };
static KRSEQ_CS_DEFINE(cs_bad_reg) = { .version = KRSEQ_CS_VERSION,
				       .flags = KRSEQ_CS_FIXUP,
				       .start_ip = 16,
				       .post_commit_ip = 32,
				       .fixup_reg = 99 };
/* Well formed, but not where descriptors live. */
static struct krseq_rseq_cs cs_outside = WINDOW(KRSEQ_CS_FLAVOUR_IRQ, 0, 2, 3);

static void expect_refused(const struct krseq_rseq_cs *cs, const char *why)
{
	const char *got = krseq_cs_check(cs);

	if (!got || strcmp(got, why))
		fail_msg("descriptor refused for \"%s\", expected \"%s\"",
			 got ? got : "(accepted)", why);
}

static void test_descriptor_checks(void **state)
{
	(void)state;
	assert_null(krseq_cs_check(&cs_good));
	expect_refused(&cs_backwards, "start is not below commit");
	expect_refused(&cs_empty, "start is not below commit");
	expect_refused(&cs_restart_inside, "restart label inside the window");
	expect_refused(&cs_no_flags, "unknown or missing flags");
	expect_refused(&cs_odd_flags, "unknown or missing flags");
	expect_refused(&cs_fixup_restart, "FIXUP combined with restart flags");
	assert_null(krseq_cs_check(&cs_kseq_good));
	expect_refused(&cs_kseq_stub,
		       "KSEQ restart label is not the window's start");
	expect_refused(&cs_kseq_no_flavour, "KSEQ without a restart flavour");
	expect_refused(&cs_kseq_fixup, "FIXUP combined with restart flags");
	expect_refused(&cs_version, "unknown descriptor version");
	expect_refused(&cs_bad_reg,
		       "fix-up register out of range for this arch");
	expect_refused(&cs_outside, "not a descriptor in any krseq_cs section");
	/* Inside the section but not at a descriptor's start. */
	expect_refused((const struct krseq_rseq_cs *)((char *)&cs_good + 8),
		       "not a descriptor in any krseq_cs section");
	assert_true(krseq_cs_count() >= 10);
}

/* In a child: arm a bad descriptor and take an interrupt. */
__attribute__((noinline)) void child_arms_bad_descriptor(void)
{
	struct krseq_config c = KRSEQ_CONFIG_DEFAULT;

	if (krseq_init(&c))
		_exit(3);
	krseq_ta.sched_rseq = &cs_outside;
	krseq_raise(KRSEQ_IRQ_IPI);
	_exit(0); /* not reached: the exit path aborts */
}

static void test_armed_bad_descriptor_aborts(void **state)
{
	struct test_child c;
	const char *out = c.out;

	(void)state;
	test_run_child(child_arms_bad_descriptor, &c);
	assert_true(WIFSIGNALED(c.status));
	assert_int_equal(WTERMSIG(c.status), SIGABRT);
	assert_non_null(strstr(out, "krseq: rejected sched_rseq descriptor"));
	assert_non_null(
		strstr(out, "not a descriptor in any krseq_cs section"));
	assert_non_null(
		strstr(out, "krseq: backtrace of the interrupted context:"));
	assert_non_null(strstr(out, "child_arms_bad_descriptor"));
}

static unsigned long no_op(void)
{
	return 0;
}

static void test_explore_target_incomplete(void **state)
{
	struct krseq_explore_target t = { .name = "half",
					  .size = 8,
					  .op = no_op };
	struct krseq_explore_totals tot = { 0 };
	struct krseq_config cfg = KRSEQ_CONFIG_DEFAULT;
	void *var;

	(void)state;
	t.state = &var;
	/* No model, no adversary: the explorer cannot say what is right. */
	assert_int_equal(krseq_explore_target(&t, KRSEQ_ADV_ALL, &tot, NULL,
					      NULL),
			 -EINVAL);
	assert_string_equal(krseq_last_error(),
			    "krseq explore: target half needs op, model, "
			    "adversary, size and state (or run and a "
			    "variable)");
	assert_int_equal(tot.runs, 0);
	/* The explorer's machine is down again: a new one comes up. */
	assert_int_equal(krseq_init(&cfg), 0);
	assert_int_equal(krseq_exit(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nr_cpus_range),
		cmocka_unit_test(test_signal_already_handled),
		cmocka_unit_test(test_conflicting_settings),
		cmocka_unit_test(test_descriptor_checks),
		cmocka_unit_test(test_armed_bad_descriptor_aborts),
		cmocka_unit_test(test_explore_target_incomplete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
