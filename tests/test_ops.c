// SPDX-License-Identifier: MIT
/*
 * One validator per op, in the spirit of ConcurrencyKit's regressions:
 * every op x size x strategy, against the plain-C answer over many random
 * operands, on the running CPU's copy only, leaving the neighbouring bytes
 * and the other CPUs' copies alone.
 */
#include "util.h"

#include <krseq/percpu.h>
#include <string.h>

#define ITERATIONS 300
#define GUARD 0xa5

/* The variable under test, with a neighbour on each side. */
#define GUARDED(T)                                                             \
	struct {                                                               \
		T lo, v, hi;                                                   \
	}
static KRSEQ_DEFINE_PER_CPU(GUARDED(uint8_t), g1);
static KRSEQ_DEFINE_PER_CPU(GUARDED(uint16_t), g2);
static KRSEQ_DEFINE_PER_CPU(GUARDED(uint32_t), g4);
static KRSEQ_DEFINE_PER_CPU(GUARDED(uint64_t), g8);
static KRSEQ_DEFINE_PER_CPU(GUARDED(krseq_u128), g16)
	__attribute__((aligned(16)));

static uint64_t rng = 0x1234567;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define strategy_names(s) krseq_scheme_name(s)

static unsigned long checks;

/* Fill every CPU's copy with the guard pattern, then set ours to x. */
#define SETUP(g, x)                                                            \
	do {                                                                   \
		int c_;                                                        \
		krseq_for_each_possible_cpu(c_)                                \
			memset(krseq_per_cpu_ptr(&g, c_), GUARD, sizeof(g));   \
		krseq_this_cpu_ptr(&g)->v = (x);                               \
	} while (0)

/* Our copy holds want, the guards are intact, other CPUs untouched. */
static void check_copies(const void *tpl, size_t size, size_t off_v,
			 size_t width, const void *want, int strategy,
			 const char *op, uint64_t x, uint64_t y)
{
	int me = krseq_smp_processor_id(), cpu;

	krseq_for_each_possible_cpu(cpu) {
		const unsigned char *p = krseq_per_cpu_ptr(tpl, cpu);

		for (size_t i = 0; i < size; i++) {
			bool in_v = i >= off_v && i < off_v + width;

			if (cpu == me && in_v) {
				if (p[i] !=
				    ((const unsigned char *)want)[i - off_v])
					fail_msg(
						"%s %s %zu-byte: x=%#lx y=%#lx: "
						"wrong result byte %zu",
						strategy_names(strategy), op,
						width, (unsigned long)x,
						(unsigned long)y, i - off_v);
			} else if (p[i] != GUARD) {
				fail_msg("%s %s %zu-byte: x=%#lx y=%#lx: byte "
					 "%zu of cpu%d's copy touched",
					 strategy_names(strategy), op, width,
					 (unsigned long)x, (unsigned long)y, i,
					 cpu);
			}
		}
	}
	checks++;
}

#define CHECK(S, g, op, want)                                                  \
	do {                                                                   \
		__typeof__(g.v) w_ = (want);                                   \
		check_copies(&g, sizeof(g), offsetof(__typeof__(g), v),        \
			     sizeof(g.v), &w_, S, op, (uint64_t)x,             \
			     (uint64_t)y);                                     \
	} while (0)

#define CHECK_RET(S, op, got, want)                                            \
	do {                                                                   \
		if ((got) != (want))                                           \
			fail_msg("%s %s %zu-byte: x=%#lx y=%#lx: returned "    \
				 "%#lx, expected %#lx",                        \
				 strategy_names(S), op, sizeof(got),           \
				 (unsigned long)x, (unsigned long)y,           \
				 (unsigned long)(got), (unsigned long)(want)); \
	} while (0)

/* All ops at one size under strategy S. */
#define VALIDATE(S, g)                                                         \
	do {                                                                   \
		typedef __typeof__(g.v) T;                                     \
		for (int i = 0; i < ITERATIONS; i++) {                         \
			T x = (T)rnd(), y = (T)rnd(), r, o;                    \
			bool ok;                                               \
			SETUP(g, x);                                           \
			r = krseq_pcp_read(S, g.v);                            \
			CHECK_RET(S, "read", r, x);                            \
			CHECK(S, g, "read", x);                                \
			SETUP(g, x);                                           \
			krseq_pcp_write(S, g.v, y);                            \
			CHECK(S, g, "write", y);                               \
			SETUP(g, x);                                           \
			krseq_pcp_add(S, g.v, y);                              \
			CHECK(S, g, "add", (T)(x + y));                        \
			SETUP(g, x);                                           \
			krseq_pcp_sub(S, g.v, y);                              \
			CHECK(S, g, "sub", (T)(x - y));                        \
			SETUP(g, x);                                           \
			krseq_pcp_inc(S, g.v);                                 \
			CHECK(S, g, "inc", (T)(x + 1));                        \
			SETUP(g, x);                                           \
			krseq_pcp_dec(S, g.v);                                 \
			CHECK(S, g, "dec", (T)(x - 1));                        \
			SETUP(g, x);                                           \
			krseq_pcp_and(S, g.v, y);                              \
			CHECK(S, g, "and", (T)(x & y));                        \
			SETUP(g, x);                                           \
			krseq_pcp_or(S, g.v, y);                               \
			CHECK(S, g, "or", (T)(x | y));                         \
			SETUP(g, x);                                           \
			r = krseq_pcp_xchg(S, g.v, y);                         \
			CHECK_RET(S, "xchg", r, x);                            \
			CHECK(S, g, "xchg", y);                                \
			SETUP(g, x);                                           \
			r = krseq_pcp_cmpxchg(S, g.v, x, y);                   \
			CHECK_RET(S, "cmpxchg hit", r, x);                     \
			CHECK(S, g, "cmpxchg hit", y);                         \
			SETUP(g, x);                                           \
			r = krseq_pcp_cmpxchg(S, g.v, (T)(x ^ 1), y);          \
			CHECK_RET(S, "cmpxchg miss", r, x);                    \
			CHECK(S, g, "cmpxchg miss", x);                        \
			SETUP(g, x);                                           \
			o = x;                                                 \
			ok = krseq_pcp_try_cmpxchg(S, g.v, &o, y);             \
			CHECK_RET(S, "try_cmpxchg hit", ok, true);             \
			CHECK_RET(S, "try_cmpxchg hit", o, x);                 \
			CHECK(S, g, "try_cmpxchg hit", y);                     \
			SETUP(g, x);                                           \
			o = (T)(x ^ 0x80);                                     \
			ok = krseq_pcp_try_cmpxchg(S, g.v, &o, y);             \
			CHECK_RET(S, "try_cmpxchg miss", ok, false);           \
			CHECK_RET(S, "try_cmpxchg miss", o, x);                \
			CHECK(S, g, "try_cmpxchg miss", x);                    \
			SETUP(g, x);                                           \
			r = krseq_pcp_add_return(S, g.v, y);                   \
			CHECK_RET(S, "add_return", r, (T)(x + y));             \
			CHECK(S, g, "add_return", (T)(x + y));                 \
			SETUP(g, x);                                           \
			r = krseq_pcp_sub_return(S, g.v, y);                   \
			CHECK_RET(S, "sub_return", r, (T)(x - y));             \
			CHECK(S, g, "sub_return", (T)(x - y));                 \
			SETUP(g, x);                                           \
			r = krseq_pcp_inc_return(S, g.v);                      \
			CHECK_RET(S, "inc_return", r, (T)(x + 1));             \
			CHECK(S, g, "inc_return", (T)(x + 1));                 \
			SETUP(g, x);                                           \
			r = krseq_pcp_dec_return(S, g.v);                      \
			CHECK_RET(S, "dec_return", r, (T)(x - 1));             \
			CHECK(S, g, "dec_return", (T)(x - 1));                 \
		}                                                              \
	} while (0)

#define VALIDATE128(S)                                                         \
	do {                                                                   \
		for (int i = 0; i < ITERATIONS; i++) {                         \
			krseq_u128 x = ((krseq_u128)rnd() << 64) | rnd(),      \
				   y = ((krseq_u128)rnd() << 64) | rnd(), r,   \
				   o;                                          \
			SETUP(g16, x);                                         \
			r = krseq_pcp_cmpxchg128(S, g16.v, x, y);              \
			CHECK_RET(S, "cmpxchg128 hit", r == x, 1);             \
			CHECK(S, g16, "cmpxchg128 hit", y);                    \
			SETUP(g16, x);                                         \
			o = x ^ ((krseq_u128)1 << 64);                         \
			r = krseq_pcp_cmpxchg128(S, g16.v, o, y);              \
			CHECK_RET(S, "cmpxchg128 miss", r == x, 1);            \
			CHECK(S, g16, "cmpxchg128 miss", x);                   \
			SETUP(g16, x);                                         \
			o = x;                                                 \
			CHECK_RET(S, "try_cmpxchg128 hit",                     \
				  krseq_pcp_try_cmpxchg128(S, g16.v, &o, y),   \
				  true);                                       \
			CHECK(S, g16, "try_cmpxchg128 hit", y);                \
		}                                                              \
	} while (0)

/* A cell the arch has no sequence for is not compiled, and said so. */
#define CELL(S, N, what)                                                       \
	KRSEQ_IF_CELL(S, N)                                                    \
	(what;) if (!krseq_scheme_has(S, KRSEQ_ARCH_HERE, N))                  \
		print_message("%s: %d-byte ops n/a: %s\n",                     \
			      krseq_scheme_name(S), N, KRSEQ_SCHEME_WHY(S));
#define STRATEGY_TEST(S, ...)                                                  \
	KRSEQ_IF_SCHEME(S)                                                     \
	(static void test_##S(void **state) {                                  \
		unsigned long before = checks;                                 \
		(void)state;                                                   \
		CELL(S, 1, VALIDATE(S, g1))                                    \
		CELL(S, 2, VALIDATE(S, g2))                                    \
		CELL(S, 4, VALIDATE(S, g4))                                    \
		CELL(S, 8, VALIDATE(S, g8))                                    \
		CELL(S, 16, VALIDATE128(S))                                    \
		assert_int_equal(krseq_ta.preempt_count, 0);                   \
		assert_false(krseq_irqs_disabled());                           \
		print_message("%s: %lu checks\n", krseq_scheme_name(S),        \
			      checks - before);                                \
	})
KRSEQ_FOR_EACH_SCHEME(STRATEGY_TEST)
#define TEST_ENTRY(S, name, ...)                                               \
	KRSEQ_IF_SCHEME(S)({ name, test_##S, NULL, NULL, NULL }, )

/* The kernel-named families on the default strategy, and the debug check. */
static KRSEQ_DEFINE_PER_CPU(long, fam);

static void test_families(void **state)
{
	struct krseq_stats st;
	long r;

	(void)state;
	krseq_this_cpu_write(fam, 5);
	krseq_this_cpu_add(fam, 3);
	r = krseq_this_cpu_add_return(fam, 2);
	assert_int_equal(r, 10);
	assert_int_equal(krseq_this_cpu_read(fam), 10);
	krseq_raw_cpu_inc(fam);
	assert_int_equal(krseq_raw_cpu_read(fam), 11);
	krseq_preempt_disable();
	krseq___this_cpu_sub(fam, 1);
	krseq_preempt_enable();
	krseq_stats_get(&st);
	assert_int_equal(st.preempt_check_failures, 0);
	/* From preemptible code __this_cpu_*() is reported, not refused. */
	krseq___this_cpu_inc(fam);
	krseq_stats_get(&st);
	assert_int_equal(st.preempt_check_failures, 1);
	assert_int_equal(krseq_this_cpu_read(fam), 11);
}

static int setup(void **state)
{
	struct krseq_config c =
		test_config(2, 0, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_NEVER);

	(void)state;
	test_init(&c);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		KRSEQ_FOR_EACH_SCHEME(TEST_ENTRY)
			cmocka_unit_test(test_families),
	};

	return cmocka_run_group_tests(tests, setup, test_teardown);
}
