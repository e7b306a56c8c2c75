// SPDX-License-Identifier: MIT
/*
 * x86_64 finds a function's boundaries by single-stepping only the
 * function: what it calls runs free up to a breakpoint on the return
 * address. The boundaries after a call must still be found, for each
 * call, and those of the function called must not.
 */
#include "util.h"

#include <krseq/explore.h>

#define MAX_PCS 16

#ifdef __x86_64__
static unsigned long helper_calls;

/* Called from the stepped function: a few instructions of its own. */
__attribute__((noinline, used)) void krseq_test_bnd_helper(void)
{
	helper_calls++;
	__asm__ volatile("" ::: "memory");
}

/* Two calls out, each followed by instructions of the function's own. */
void krseq_test_bnd_fn(void);
__asm__(".text\n"
	".globl krseq_test_bnd_fn\n"
	".type krseq_test_bnd_fn, @function\n"
	"krseq_test_bnd_fn:\n"
	"	.cfi_startproc\n"
	"	subq $8, %rsp\n" /* 4 bytes; the stack aligned for a call */
	"	.cfi_adjust_cfa_offset 8\n"
	"	call krseq_test_bnd_helper\n" /* 5 */
	"	nop\n" /* 1 */
	"	call krseq_test_bnd_helper\n" /* 5 */
	"	addq $8, %rsp\n" /* 4 */
	"	.cfi_adjust_cfa_offset -8\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size krseq_test_bnd_fn, .-krseq_test_bnd_fn\n");

static void test_calls_out(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);
	static const unsigned int expect[] = { 0, 4, 9, 10, 15, 19 };
	uintptr_t fn = (uintptr_t)krseq_test_bnd_fn, pcs[MAX_PCS];
	unsigned long flags;
	int n;

	(void)state;
	test_init(&c);
	flags = krseq_local_irq_save();
	n = krseq_fn_boundaries(fn, krseq_test_bnd_fn, pcs, MAX_PCS);
	krseq_local_irq_restore(flags);
	if (n < 0)
		fail_msg("krseq_fn_boundaries: %d: %s", n, krseq_last_error());
	assert_int_equal(helper_calls, 2);
	assert_int_equal(n, sizeof(expect) / sizeof(expect[0]));
	for (int i = 0; i < n; i++)
		if (pcs[i] != fn + expect[i])
			fail_msg("boundary %d at +%lu, expected +%u", i,
				 (unsigned long)(pcs[i] - fn), expect[i]);
	/* The breakpoints are gone: the function runs as written. */
	krseq_test_bnd_fn();
	assert_int_equal(helper_calls, 4);
	assert_int_equal(krseq_exit(), 0);
}
#else
static void test_calls_out(void **state)
{
	(void)state;
	skip(); /* aarch64 and s390x decode the whole function */
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
