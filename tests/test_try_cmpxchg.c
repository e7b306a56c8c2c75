// SPDX-License-Identifier: MIT
/*
 * try_cmpxchg() with the kernel's by-value semantics: *ovalp may be any
 * integer type. Its value is converted to the variable's type to compare;
 * on failure the value found is stored back converted to *ovalp's type.
 * Every family and strategy, every size, every *ovalp type from s8 to u64
 * (and to 128 bits for the 16-byte forms), over values that differ only
 * in their high bits or sign; then percpu_counter's add_batch pattern (an
 * s64 count for an s32 per-CPU counter) from tasks under preemption.
 */
#include "util.h"
#include "../src/sized.h"

#include <krseq/linux.h>
#include <krseq/scheme.h>
#include <stdatomic.h>
#include <string.h>

#define GUARD 0xa5

/* The variable under test, with a neighbour on each side. */
#define GUARDED(T)                                                             \
	struct {                                                               \
		T lo, v, hi;                                                   \
	}
#define PV(T)                                                                  \
	typedef GUARDED(T) guarded_##T;                                        \
	static DEFINE_PER_CPU(guarded_##T, pv_##T) __attribute__((aligned(16)))
PV(s8);
PV(u8);
PV(s16);
PV(u16);
PV(s32);
PV(u32);
PV(s64);
PV(u64);
PV(s128);
PV(u128);

/*
 * The families, then the strategies explicitly: ids 1 .. KRSEQ_NR_SCHEMES
 * - 1 are the KRSEQ_PCP_* constants.
 */
enum {
	FAM_THIS = KRSEQ_NR_SCHEMES,
	FAM_RAW,
	FAM___THIS,
	NR_FAMS
};
static const char *fam_name(int fam)
{
	static const char *const names[] = { "this_cpu", "raw_cpu",
					     "__this_cpu" };

	return fam >= FAM_THIS ? names[fam - FAM_THIS] : krseq_scheme_name(fam);
}

/* A cell the arch has no sequence for is not compiled: check_family
 * skips its rows. */
#define STRATEGY_CASE(S, OP, v, op, n)                                         \
	case S:                                                                \
		return __builtin_choose_expr(                                  \
			KRSEQ_SCHEME_HAS_HERE(S, sizeof(v)),                   \
			krseq_pcp_##OP(S, v, op, n), false);
#define SCHEME_CASE(S, nm, q, k, e, x, f, a, b, c, w, OP, v, op, n)            \
	KRSEQ_IF_SCHEME(S)(STRATEGY_CASE(S, OP, v, op, n))
/* One call site per family and strategy: each is its own inline code. */
#define EVERY_FAMILY(fam, OP, v, op, n)                                        \
	switch (fam) {                                                         \
	case FAM_THIS:                                                         \
		return this_cpu_##OP(v, op, n);                                \
	case FAM_RAW:                                                          \
		return raw_cpu_##OP(v, op, n);                                 \
	case FAM___THIS:                                                       \
		return __this_cpu_##OP(v, op, n);                              \
		KRSEQ_FOR_EACH_SCHEME(SCHEME_CASE, OP, v, op, n)               \
	}                                                                      \
	fail_msg("no family %d", fam);                                         \
	return false

/* An integer type, and C's conversion of a value to it. */
struct ty {
	const char *name;
	unsigned int size;
	bool sgn;
};
#define TY(T) ((struct ty){ #T, sizeof(T), (T)-1 < (T)1 })

static u128 conv(u128 v, struct ty t)
{
	unsigned int bits = t.size * 8;

	if (bits == 128)
		return v;
	v &= ((u128)1 << bits) - 1;
	if (t.sgn && (v >> (bits - 1)) & 1)
		v |= ~(u128)0 << bits;
	return v;
}

static u128 load(const void *p, struct ty t)
{
	return conv(krseq_load_sized(p, (int)t.size), t);
}

/* One op: var type T, *ovalp type O; nval is passed as an s64 below 16. */
struct row {
	const char *op;
	struct ty t, o, n;
	void *tpl;
	bool (*fn)(int fam, void *ovalp, u128 n);
};

#define FN(OP, T, O, N)                                                        \
	static bool OP##_##T##_##O(int fam, void *ovalp, u128 n)               \
	{                                                                      \
		EVERY_FAMILY(fam, OP, pv_##T.v, (O *)ovalp, (N)n);             \
	}
#define ROW(OP, T, O, N) { #OP, TY(T), TY(O), TY(N), &pv_##T, OP##_##T##_##O },

#define OVALPS(X, OP, T, N)                                                    \
	X(OP, T, s8, N)                                                        \
	X(OP, T, u8, N)                                                        \
	X(OP, T, s16, N)                                                       \
	X(OP, T, u16, N)                                                       \
	X(OP, T, s32, N)                                                       \
	X(OP, T, u32, N)                                                       \
	X(OP, T, s64, N)                                                       \
	X(OP, T, u64, N)
#define OVALPS128(X, OP, T, N)                                                 \
	X(OP, T, s32, N)                                                       \
	X(OP, T, u64, N)                                                       \
	X(OP, T, s64, N)                                                       \
	X(OP, T, s128, N)                                                      \
	X(OP, T, u128, N)
#define EVERY_CASE(X)                                                          \
	OVALPS(X, try_cmpxchg, s8, s64)                                        \
	OVALPS(X, try_cmpxchg, u8, s64)                                        \
	OVALPS(X, try_cmpxchg, s16, s64)                                       \
	OVALPS(X, try_cmpxchg, u16, s64)                                       \
	OVALPS(X, try_cmpxchg, s32, s64)                                       \
	OVALPS(X, try_cmpxchg, u32, s64)                                       \
	OVALPS(X, try_cmpxchg, s64, s64)                                       \
	OVALPS(X, try_cmpxchg, u64, s64)                                       \
	OVALPS(X, try_cmpxchg64, s64, s64)                                     \
	OVALPS(X, try_cmpxchg64, u64, s64)                                     \
	OVALPS128(X, try_cmpxchg128, s128, s128)                               \
	OVALPS128(X, try_cmpxchg128, u128, u128)

EVERY_CASE(FN)
static const struct row rows[] = { EVERY_CASE(ROW) };
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Equal after conversion to a narrower type, negative, at the edges. */
static const int64_t vals[] = {
	0,
	1,
	3,
	5,
	-1,
	-2,
	0x7f,
	0x80,
	0xff,
	0x100,
	0x105,
	0x7fff,
	0x8000,
	0xffff,
	0x10005,
	0x7fffffff,
	(int64_t)0x80000000,
	(int64_t)0xffffffff,
	(int64_t)0x100000005,
	(int64_t)0xffffffff00000003,
	INT64_MAX,
	INT64_MIN,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

/* 128-bit values: the 64-bit ones, half of them with a high half too. */
static u128 value(const struct row *r, unsigned int i, unsigned int salt)
{
	u128 x = (u128)(s128)vals[i];

	if (r->t.size == 16 && (i + salt) & 1)
		x ^= (u128)0x5a5a5a5a5a5a5a5aull << 64;
	return x;
}

static bool guard_ok(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != GUARD)
			return false;
	return true;
}

static unsigned long checks;

/*
 * The kernel's rule: *ovalp's value converted to T is compared; on a
 * match var gets nval converted to T and *ovalp is left alone, else
 * *ovalp gets the value found, converted to O. Nothing else is written.
 */
static void check_one(int fam, const struct row *r, u128 x, u128 ov, u128 n)
{
	unsigned char ob[48] __attribute__((aligned(16)));
	unsigned char *var = this_cpu_ptr((unsigned char *)r->tpl);
	unsigned int ts = r->t.size, os = r->o.size;
	u128 cx = conv(x, r->t), co = conv(ov, r->o);
	bool want = cx == conv(co, r->t), ok;
	u128 want_v = want ? conv(conv(n, r->n), r->t) : cx;
	u128 want_o = want ? co : conv(cx, r->o);

	memset(var, GUARD, 3 * ts);
	krseq_store_sized(var + ts, (int)r->t.size, x);
	memset(ob, GUARD, 3 * os);
	krseq_store_sized(ob + os, (int)r->o.size, ov);
	ok = r->fn(fam, ob + os, n);
	if (ok != want || load(var + ts, r->t) != want_v ||
	    load(ob + os, r->o) != want_o || !guard_ok(var, ts) ||
	    !guard_ok(var + 2 * ts, ts) || !guard_ok(ob, os) ||
	    !guard_ok(ob + 2 * os, os))
		fail_msg("%s_%s: %s var %#llx, %s *ovalp %#llx: returned %d "
			 "(want %d), var %#llx (want %#llx), *ovalp %#llx "
			 "(want %#llx), neighbours %s",
			 fam_name(fam), r->op, r->t.name, (unsigned long long)x,
			 r->o.name, (unsigned long long)co, ok, want,
			 (unsigned long long)load(var + ts, r->t),
			 (unsigned long long)want_v,
			 (unsigned long long)load(ob + os, r->o),
			 (unsigned long long)want_o,
			 guard_ok(var, ts) && guard_ok(var + 2 * ts, ts) &&
					 guard_ok(ob, os) &&
					 guard_ok(ob + 2 * os, os) ?
				 "intact" :
				 "overwritten");
	checks++;
}

/* Every row, every pair of values, and a pair that hits after conversion. */
static void check_family(int fam)
{
	unsigned long before = checks;
	struct krseq_stats st;

	krseq_stats_reset();
	for (unsigned int k = 0; k < NROWS; k++) {
		const struct row *r = &rows[k];

		if (fam < FAM_THIS &&
		    !krseq_scheme_has(fam, KRSEQ_ARCH_HERE, (int)r->t.size)) {
			print_message("%s: %s on %s n/a: %s\n", fam_name(fam),
				      r->op, r->t.name,
				      krseq_scheme_get(fam)->why);
			continue;
		}
		for (unsigned int i = 0; i < NVALS; i++) {
			u128 x = value(r, i, 0);

			preempt_disable();
			for (unsigned int j = 0; j < NVALS; j++)
				check_one(fam, r, x, value(r, j, i),
					  value(r, (i + j) % NVALS, 1) * 3 + 7);
			check_one(fam, r, x, conv(conv(x, r->t), r->o),
				  -value(r, i, 1));
			preempt_enable();
		}
	}
	krseq_stats_get(&st);
	assert_int_equal(st.preempt_check_failures, 0);
	assert_int_equal(preempt_count(), 0);
	assert_false(irqs_disabled());
	print_message("%s: %lu checks\n", fam_name(fam), checks - before);
}

#define FAMILY_TEST(fam, name)                                                 \
	static void test_##name(void **state)                                  \
	{                                                                      \
		(void)state;                                                   \
		check_family(fam);                                             \
	}
FAMILY_TEST(FAM_THIS, this_cpu)
FAMILY_TEST(FAM_RAW, raw_cpu)
FAMILY_TEST(FAM___THIS, __this_cpu)
#define SCHEME_TEST(S, ...) KRSEQ_IF_SCHEME(S)(FAMILY_TEST(S, S))
KRSEQ_FOR_EACH_SCHEME(SCHEME_TEST)
#define SCHEME_ENTRY(S, name, ...)                                             \
	KRSEQ_IF_SCHEME(S)({ name, test_##S, NULL, NULL, NULL }, )

/* The cases, by hand: what a kernel developer would try first. */
static DEFINE_PER_CPU(s32, counter32);

static void test_direct(void **state)
{
	s64 expected = 5;

	(void)state;
	this_cpu_write(counter32, 5);
	assert_true(this_cpu_try_cmpxchg(counter32, &expected, 7));
	assert_int_equal(expected, 5);
	assert_int_equal(this_cpu_read(counter32), 7);
	this_cpu_write(counter32, 3);
	expected = -1;
	assert_false(this_cpu_try_cmpxchg(counter32, &expected, 9));
	assert_true(expected == 3);
	this_cpu_write(counter32, -4);
	expected = 0;
	assert_false(this_cpu_try_cmpxchg(counter32, &expected, 9));
	assert_true(expected == -4);
}

/*
 * percpu_counter_add_batch()'s pattern, written here: an s32 per-CPU
 * delta, an s64 count read by value, folded into the shared total with
 * interrupts off once it reaches the batch. Tasks on fewer CPUs, with a
 * tick and migration: the total and the deltas must account for every
 * amount added, under each strategy that protects against preemption.
 */
#define BATCH 32
#define ADDS 20000
#define TASKS 4

static DEFINE_PER_CPU(s32, delta32);
static _Atomic int64_t total, added;

#define ADD_BATCH(TRY, READ, S, amount)                                        \
	do {                                                                   \
		s64 count_ = READ(S, delta32);                                 \
		do {                                                           \
			if (unlikely(count_ + (amount) >= BATCH ||             \
				     count_ + (amount) <= -BATCH)) {           \
				unsigned long f_;                              \
				local_irq_save(f_);                            \
				count_ = __this_cpu_read(delta32);             \
				atomic_fetch_add(&total, count_ + (amount));   \
				__this_cpu_sub(delta32, count_);               \
				local_irq_restore(f_);                         \
				break;                                         \
			}                                                      \
		} while (!TRY(S, delta32, &count_, count_ + (amount)));        \
	} while (0)

struct adder {
	uint64_t rng;
	void (*add)(s64 amount);
};

static void *adder_task(void *arg)
{
	struct adder *a = arg;
	int64_t sum = 0;

	for (int i = 0; i < ADDS; i++) {
		s64 amount;

		a->rng ^= a->rng << 13;
		a->rng ^= a->rng >> 7;
		a->rng ^= a->rng << 17;
		amount = (s64)(a->rng % 41) - 17;
		a->add(amount);
		sum += amount;
	}
	atomic_fetch_add(&added, sum);
	return NULL;
}

static void run_adders(void (*add)(s64), const char *name)
{
	struct krseq_task *t[TASKS];
	struct adder a[TASKS];
	int64_t deltas = 0;
	int cpu;

	for_each_possible_cpu(cpu) per_cpu(delta32, cpu) = 0;
	atomic_store(&total, 0);
	atomic_store(&added, 0);
	for (int i = 0; i < TASKS; i++) {
		a[i].rng = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
		a[i].add = add;
		assert_non_null(t[i] = krseq_task_create(adder_task, &a[i]));
	}
	for (int i = 0; i < TASKS; i++)
		krseq_task_join(t[i]);
	for_each_possible_cpu(cpu)
	{
		deltas += per_cpu(delta32, cpu);
		if (per_cpu(delta32, cpu) >= BATCH ||
		    per_cpu(delta32, cpu) <= -BATCH)
			fail_msg("%s: cpu%d's delta %d is not below the batch",
				 name, cpu, per_cpu(delta32, cpu));
	}
	if (atomic_load(&total) + deltas != atomic_load(&added))
		fail_msg("%s: counted %lld (total %lld + deltas %lld) for "
			 "%lld added",
			 name, (long long)(atomic_load(&total) + deltas),
			 (long long)atomic_load(&total), (long long)deltas,
			 (long long)atomic_load(&added));
	print_message("%s: %lld added, %lld counted\n", name,
		      (long long)atomic_load(&added),
		      (long long)(atomic_load(&total) + deltas));
}

#define ADDER(name, TRY, READ, S)                                              \
	static void add_##name(s64 amount)                                     \
	{                                                                      \
		ADD_BATCH(TRY, READ, S, amount);                               \
	}
#define DFLT_TRY(S, v, op, n) this_cpu_try_cmpxchg(v, op, n)
#define DFLT_READ(S, v) this_cpu_read(v)
ADDER(default, DFLT_TRY, DFLT_READ, 0)
/* Every scheme that must conserve: not a control, not one the explorer
 * must catch. The counter is 4 bytes. */
#define MUST_CATCH                                                             \
	(KRSEQ_SCHEME_CONTROL | KRSEQ_SCHEME_CAUGHT_IRQ |                      \
	 KRSEQ_SCHEME_CAUGHT_MIGRATE)
#define SCHEME_ADDER(S, ...)                                                   \
	KRSEQ_IF_CELL(S, 4)(ADDER(S, krseq_pcp_try_cmpxchg, krseq_pcp_read, S))
KRSEQ_FOR_EACH_SCHEME(SCHEME_ADDER)
#define RUN_ADDER(S, name, ...)                                                \
	KRSEQ_IF_CELL(S, 4)                                                    \
	(if (!(KRSEQ_SCHEME_FLAGS(S) & MUST_CATCH)) run_adders(add_##S, name);)

static void test_add_batch(void **state)
{
	(void)state;
	run_adders(add_default, "this_cpu (default)");
	KRSEQ_FOR_EACH_SCHEME(RUN_ADDER)
}

static int setup(void **state)
{
	struct krseq_config c =
		test_config(2, 200, KRSEQ_PREEMPT_FULL, KRSEQ_MIGRATE_RANDOM);

	(void)state;
	test_init(&c);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct),
		cmocka_unit_test(test_this_cpu),
		cmocka_unit_test(test_raw_cpu),
		cmocka_unit_test(test___this_cpu),
		KRSEQ_FOR_EACH_SCHEME(SCHEME_ENTRY)
			cmocka_unit_test(test_add_batch),
	};

	return cmocka_run_group_tests(tests, setup, test_teardown);
}
