// SPDX-License-Identifier: MIT
/*
 * The arch's instruction-length decoder (krseq_insn_len) against the
 * explorer's boundaries of every built-in sequence: decoding from a
 * sequence's first boundary, instruction by instruction, must step on
 * every boundary the explorer found and land exactly on its last one
 * (aarch64 and s390x: each length is next - pc; x86_64, whose boundaries
 * are the ones a traced run passed, over the code a jump skipped too).
 * The negative control: a decoder one byte off fails the same check.
 */
#include "util.h"

#include <krseq/explore.h>
#include <krseq/scheme.h>

#define MAX_PCS 512

static krseq_seq_fn seq;
static krseq_seq16_fn seq16;
static void *var;

static void run(void)
{
	if (seq)
		seq(var, 0, 0);
	else
		seq16(var, 0, 0);
}

static unsigned int exact(uintptr_t pc)
{
	return krseq_insn_len(pc);
}

static unsigned int one_off(uintptr_t pc)
{
	return krseq_insn_len(pc) + 1;
}

/* The boundaries of the sequence of run() the decoder misses. */
static int misses(unsigned int (*len)(uintptr_t), const char *name)
{
	uintptr_t pcs[MAX_PCS], pc;
	int n, i = 0;

	n = krseq_fn_boundaries(seq ? (uintptr_t)seq : (uintptr_t)seq16, run,
				pcs, MAX_PCS);
	if (n <= 0)
		fail_msg("%s: no boundaries: %s", name, krseq_last_error());
	for (pc = pcs[0]; pc < pcs[n - 1];) {
		unsigned int l = len(pc);

		if (!l)
			break;
		if (pc == pcs[i])
			i++;
		pc += l;
	}
	if (pc == pcs[n - 1])
		i++;
	if (i != n && len == exact)
		fprintf(stderr,
			"%s: decoding reaches %d of %d boundaries "
			"(stops at +%#lx)\n",
			name, i, n, (unsigned long)(pc - pcs[0]));
	return n - i;
}

static void for_each_seq(int (*each)(const char *, void *), void *arg)
{
	static const int sizes[4] = { 1, 2, 4, 8 };
	char name[64];

	for (int s = 1; s < KRSEQ_NR_SCHEMES; s++) {
		const struct krseq_scheme *sc = krseq_scheme_get(s);

		for (int z = 0; z < 5; z++) {
			for (int op = 0; op < KRSEQ_NR_OPS; op++) {
				seq = z < 4 ? sc->seq[z][op] : NULL;
				seq16 = z == 4 && op < 2 ? sc->seq16[op] : NULL;
				if (!seq && !seq16)
					continue;
				snprintf(name, sizeof(name), "%s %s %d",
					 sc->name,
					 seq16 ? (op ? "try_cmpxchg" :
						       "cmpxchg") :
						 krseq_op_name(
							 (enum krseq_op)op),
					 seq16 ? 16 : sizes[z]);
				each(name, arg);
			}
		}
	}
}

static int count_exact(const char *name, void *arg)
{
	int m = misses(exact, name);

	*(int *)arg += m;
	*((int *)arg + 1) += 1;
	return m;
}

static int count_one_off(const char *name, void *arg)
{
	int m = misses(one_off, name);

	*(int *)arg += m > 0;
	return m;
}

static int setup(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);

	(void)state;
	if (krseq_init(&c))
		return -1;
	var = krseq_alloc_percpu_size(16, 16);
	return var ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	krseq_exit();
	return 0;
}

static void test_lengths_step_on_every_boundary(void **state)
{
	int n[2] = { 0, 0 };

	(void)state;
	for_each_seq(count_exact, n);
	assert_true(n[1] > 0);
	assert_int_equal(n[0], 0);
}

/* Each sequence has more than one instruction: one byte off misses. */
static void test_one_off_decoder_fails(void **state)
{
	int caught = 0, total[2] = { 0, 0 };

	(void)state;
	for_each_seq(count_exact, total);
	for_each_seq(count_one_off, &caught);
	assert_int_equal(caught, total[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths_step_on_every_boundary),
		cmocka_unit_test(test_one_off_decoder_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
