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

#define LOOP(S, sn, op, sz)                                                    \
	static __attribute__((noinline))                                       \
	uint64_t loop_##sn##_##op##_##sz(unsigned long n)                      \
	{                                                                      \
		bench_t##sz x = krseq_pcp_read(KRSEQ_PCP_UNSAFE, v##sz);       \
		for (unsigned long i = 0; i < n; i++)                          \
			B_##op(S, v##sz, bench_t##sz, x, i);                   \
		return (uint64_t)x + krseq_pcp_read(KRSEQ_PCP_UNSAFE, v##sz);  \
	}
#define LOOPS_OF_OP(S, sn, op)                                                 \
	LOOP(S, sn, op, 1)                                                     \
	LOOP(S, sn, op, 2) LOOP(S, sn, op, 4) LOOP(S, sn, op, 8)
#define ENTRIES_OF_OP(S, sn, op)                                               \
	[S][BOP_##op] = { loop_##sn##_##op##_1, loop_##sn##_##op##_2,          \
			  loop_##sn##_##op##_4, loop_##sn##_##op##_8 },

#define FOR_EACH_OP(M, S, sn)                                                  \
	M(S, sn, read)                                                         \
	M(S, sn, write)                                                        \
	M(S, sn, add)                                                          \
	M(S, sn, sub)                                                          \
	M(S, sn, inc)                                                          \
	M(S, sn, dec)                                                          \
	M(S, sn, and)                                                          \
	M(S, sn, or)                                                           \
	M(S, sn, xchg)                                                         \
	M(S, sn, cmpxchg)                                                      \
	M(S, sn, try_cmpxchg)                                                  \
	M(S, sn, add_return)                                                   \
	M(S, sn, sub_return)                                                   \
	M(S, sn, inc_return)                                                   \
	M(S, sn, dec_return)

#ifdef __x86_64__
#define FOR_EACH_SEGMENT(M) M(KRSEQ_PCP_SEGMENT, segment)
#else
#define FOR_EACH_SEGMENT(M)
#endif
#define FOR_EACH_STRATEGY(M)                                                   \
	FOR_EACH_SEGMENT(M)                                                    \
	M(KRSEQ_PCP_ATOMIC, atomic)                                            \
	M(KRSEQ_PCP_PREEMPT, preempt)                                          \
	M(KRSEQ_PCP_IRQ, irq)                                                  \
	M(KRSEQ_PCP_RESTART, restart)                                          \
	M(KRSEQ_PCP_RESTART_SCHED, restart_sched)                              \
	M(KRSEQ_PCP_FIXUP, fixup)                                              \
	M(KRSEQ_PCP_UNSAFE, unsafe)

#define STRATEGY_LOOPS(S, sn) FOR_EACH_OP(LOOPS_OF_OP, S, sn)
#define STRATEGY_ENTRIES(S, sn) FOR_EACH_OP(ENTRIES_OF_OP, S, sn)

FOR_EACH_STRATEGY(STRATEGY_LOOPS)

static const bench_loop_fn loops[BENCH_NR_STRATEGIES][BENCH_NR_OPS]
				[BENCH_NR_SIZES] = { FOR_EACH_STRATEGY(
					STRATEGY_ENTRIES) };

bench_loop_fn bench_loop(int strategy, enum bench_op op, int size_index)
{
	if (strategy <= 0 || strategy >= BENCH_NR_STRATEGIES ||
	    (unsigned int)op >= BENCH_NR_OPS || size_index < 0 ||
	    size_index >= BENCH_NR_SIZES)
		return NULL;
	return loops[strategy][op][size_index];
}
