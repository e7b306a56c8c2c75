// SPDX-License-Identifier: MIT
/*
 * The timed loops of krseq bench, one per strategy x op x size, generated
 * so that each inlines its op with the strategy a compile-time constant,
 * as a kernel build would. Each loop is a chain of N ops on the same
 * per-CPU variable; ops that return a value feed it into the next operand,
 * and the result goes to bench_sink, so nothing can be dropped or hoisted
 * (the ops are volatile asm too).
 */
#include "bench.h"

#include <krseq/percpu.h>
#include <krseq/scheme.h>

volatile uint64_t bench_sink;

static KRSEQ_DEFINE_PER_CPU(uint8_t, v1);
static KRSEQ_DEFINE_PER_CPU(uint16_t, v2);
static KRSEQ_DEFINE_PER_CPU(uint32_t, v4);
static KRSEQ_DEFINE_PER_CPU(uint64_t, v8);
typedef uint8_t bench_t1;
typedef uint16_t bench_t2;
typedef uint32_t bench_t4;
typedef uint64_t bench_t8;

/* One op of the chain: x carries the dependency, i is the loop counter. */
#define B_read(S, v, T, x, i) (x += krseq_pcp_read(S, v))
#define B_write(S, v, T, x, i) krseq_pcp_write(S, v, i)
#define B_add(S, v, T, x, i) krseq_pcp_add(S, v, i)
#define B_sub(S, v, T, x, i) krseq_pcp_sub(S, v, i)
#define B_inc(S, v, T, x, i) krseq_pcp_inc(S, v)
#define B_dec(S, v, T, x, i) krseq_pcp_dec(S, v)
#define B_and(S, v, T, x, i) krseq_pcp_and(S, v, ~(i & 0x10))
#define B_or(S, v, T, x, i) krseq_pcp_or(S, v, i)
#define B_xchg(S, v, T, x, i) (x = krseq_pcp_xchg(S, v, (T)(x + 1)))
/* Succeeds unless another task or a handler changed the copy. */
#define B_cmpxchg(S, v, T, x, i)                                               \
	do {                                                                   \
		T o_ = krseq_pcp_cmpxchg(S, v, x, (T)(x + 1));                 \
		x = o_ == x ? (T)(x + 1) : o_;                                 \
	} while (0)
#define B_try_cmpxchg(S, v, T, x, i)                                           \
	do {                                                                   \
		if (krseq_pcp_try_cmpxchg(S, v, &x, (T)(x + 1)))               \
			x++;                                                   \
	} while (0)
#define B_add_return(S, v, T, x, i) (x = krseq_pcp_add_return(S, v, x | 1))
#define B_sub_return(S, v, T, x, i) (x = krseq_pcp_sub_return(S, v, x | 1))
#define B_inc_return(S, v, T, x, i) (x ^= krseq_pcp_inc_return(S, v))
#define B_dec_return(S, v, T, x, i) (x ^= krseq_pcp_dec_return(S, v))

#define LOOP(op, OP, S, sz)                                                    \
	static __attribute__((noinline))                                       \
	uint64_t loop_##S##_##op##_##sz(unsigned long n)                       \
	{                                                                      \
		bench_t##sz x = krseq_pcp_read(KRSEQ_PCP_UNSAFE, v##sz);       \
		for (unsigned long i = 0; i < n; i++)                          \
			B_##op(S, v##sz, bench_t##sz, x, i);                   \
		return (uint64_t)x + krseq_pcp_read(KRSEQ_PCP_UNSAFE, v##sz);  \
	}
/* A cell the arch has no sequence for has no loop: bench says n/a. */
#define LOOPS_N(S, sz) KRSEQ_IF_CELL(S, sz)(KRSEQ_FOR_EACH_OP(LOOP, S, sz))
#define LOOPS(S, ...) LOOPS_N(S, 1) LOOPS_N(S, 2) LOOPS_N(S, 4) LOOPS_N(S, 8)
#define ENTRY(op, OP, S, z, sz) [S][BOP_##op][z] = loop_##S##_##op##_##sz,
#define ENTRIES_N(S, z, sz)                                                    \
	KRSEQ_IF_CELL(S, sz)(KRSEQ_FOR_EACH_OP(ENTRY, S, z, sz))
#define ENTRIES(S, ...)                                                        \
	ENTRIES_N(S, 0, 1)                                                     \
	ENTRIES_N(S, 1, 2) ENTRIES_N(S, 2, 4) ENTRIES_N(S, 3, 8)

KRSEQ_FOR_EACH_SCHEME(LOOPS)

static const bench_loop_fn loops[KRSEQ_NR_SCHEMES][BENCH_NR_OPS]
				[BENCH_NR_SIZES] = { KRSEQ_FOR_EACH_SCHEME(
					ENTRIES) };

/*
 * A scheme a program registered (<krseq/scheme.h>): its sequence called
 * through a pointer, one call per op, on the same variables. The loop is
 * one for every such scheme: bench_loop() points it at the sequence asked
 * for, so call a loop before asking for another.
 */
static krseq_seq_fn registered_seq;
static void *registered_var;

static __attribute__((noinline)) uint64_t loop_registered(unsigned long n)
{
	krseq_seq_fn fn = registered_seq;
	void *var = registered_var;
	uint64_t x = 0;

	for (unsigned long i = 0; i < n; i++)
		x ^= fn(var, i | 1, x);
	return x;
}

bench_loop_fn bench_loop(int strategy, enum bench_op op, int size_index)
{
	static void *const vars[BENCH_NR_SIZES] = { &v1, &v2, &v4, &v8 };

	if (strategy >= KRSEQ_NR_SCHEMES && size_index >= 0 &&
	    size_index < BENCH_NR_SIZES) {
		registered_seq = krseq_scheme_seq(strategy, (enum krseq_op)op,
						  bench_sizes[size_index]);
		registered_var = vars[size_index];
		return registered_seq ? loop_registered : NULL;
	}
	if (strategy <= 0 || strategy >= KRSEQ_NR_SCHEMES ||
	    (unsigned int)op >= BENCH_NR_OPS || size_index < 0 ||
	    size_index >= BENCH_NR_SIZES)
		return NULL;
	return loops[strategy][op][size_index];
}
