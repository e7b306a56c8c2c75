// SPDX-License-Identifier: MIT
/*
 * One out-of-line function per built-in op x size x strategy, for the
 * explorer to interrupt: each performs exactly one op on its size's
 * per-CPU variable, with operands and result passed through globals so
 * that the function holds the op and nothing else.
 */
#include "explore_internal.h"

#include <krseq/percpu.h>

#include <errno.h>

/*
 * The variables come from krseq_alloc_percpu() when exploring starts: the
 * library defines no static per-CPU data, which would have to share one
 * offset with the program's, far away in the address space.
 */
uint8_t *krseq_xv1;
uint16_t *krseq_xv2;
uint32_t *krseq_xv4;
uint64_t *krseq_xv8;
krseq_u128 *krseq_xv16;
unsigned long *krseq_xnested;
volatile uint64_t krseq_xarg1, krseq_xarg2, krseq_xret;
volatile uint64_t krseq_xarg1_hi, krseq_xarg2_hi, krseq_xret_hi;

/* clang-format off */
/* probe_<scheme>_<op>_<size>: a violation's backtrace names all three. */
#define PROBE_FN(S, op, N)                                                     \
	KRSEQ__CAT(KRSEQ__CAT(KRSEQ__CAT(probe_, KRSEQ_SCHEME_ID(S)), _##op##_), N)
#define P(S, N, op, body)                                                      \
	static __attribute__((noinline, used)) void                            \
	PROBE_FN(S, op, N)(void)                                               \
	{                                                                      \
		__typeof__(*krseq_xv##N) a1 = (__typeof__(*krseq_xv##N))krseq_xarg1, \
					 a2 = (__typeof__(*krseq_xv##N))krseq_xarg2; \
		(void)a1; (void)a2;                                            \
		body;                                                          \
	}

/* Each op as the explorer runs it, by its name in KRSEQ_FOR_EACH_OP. */
#define BODY_read(S, N) krseq_xret = krseq_pcp_read(S, *krseq_xv##N)
#define BODY_write(S, N) krseq_pcp_write(S, *krseq_xv##N, a1)
#define BODY_add(S, N) krseq_pcp_add(S, *krseq_xv##N, a1)
#define BODY_sub(S, N) krseq_pcp_sub(S, *krseq_xv##N, a1)
#define BODY_inc(S, N) krseq_pcp_inc(S, *krseq_xv##N)
#define BODY_dec(S, N) krseq_pcp_dec(S, *krseq_xv##N)
#define BODY_and(S, N) krseq_pcp_and(S, *krseq_xv##N, a1)
#define BODY_or(S, N) krseq_pcp_or(S, *krseq_xv##N, a1)
#define BODY_xchg(S, N) krseq_xret = krseq_pcp_xchg(S, *krseq_xv##N, a1)
#define BODY_cmpxchg(S, N)                                                     \
	krseq_xret = krseq_pcp_cmpxchg(S, *krseq_xv##N, a1, a2)
#define BODY_try_cmpxchg(S, N)                                                 \
	krseq_xret = krseq_pcp_try_cmpxchg(S, *krseq_xv##N, &a1, a2)
#define BODY_add_return(S, N)                                                  \
	krseq_xret = krseq_pcp_add_return(S, *krseq_xv##N, a1)
#define BODY_sub_return(S, N)                                                  \
	krseq_xret = krseq_pcp_sub_return(S, *krseq_xv##N, a1)
#define BODY_inc_return(S, N) krseq_xret = krseq_pcp_inc_return(S, *krseq_xv##N)
#define BODY_dec_return(S, N) krseq_xret = krseq_pcp_dec_return(S, *krseq_xv##N)

#define PROBE(op, OP, S, N) P(S, N, op, BODY_##op(S, N))
#define PROBES_N(S, N) KRSEQ_IF_CELL(S, N)(KRSEQ_FOR_EACH_OP(PROBE, S, N))

#define ARG128(n) (((krseq_u128)krseq_xarg##n##_hi << 64) | krseq_xarg##n)
#define PROBES16(S)                                                            \
	static __attribute__((noinline, used)) void PROBE_FN(S, cmpxchg, 16)(void) \
	{                                                                      \
		krseq_u128 r = krseq_pcp_cmpxchg128(S, *krseq_xv16, ARG128(1), \
						    ARG128(2));                \
		krseq_xret = (uint64_t)r;                                      \
		krseq_xret_hi = (uint64_t)(r >> 64);                           \
	}                                                                      \
	static __attribute__((noinline, used)) void                            \
	PROBE_FN(S, try_cmpxchg, 16)(void)                                     \
	{                                                                      \
		krseq_u128 o = ARG128(1);                                      \
		krseq_xret = krseq_pcp_try_cmpxchg128(S, *krseq_xv16, &o,      \
						      ARG128(2));              \
		krseq_xret_hi = 0;                                             \
	}

#define PROBES(S, ...)                                                         \
	PROBES_N(S, 1) PROBES_N(S, 2) PROBES_N(S, 4) PROBES_N(S, 8)            \
	KRSEQ_IF_CELL(S, 16)(PROBES16(S))
KRSEQ_FOR_EACH_SCHEME(PROBES)

/* A missing cell's row is left NULL: the explorer reports it n/a. */
#define ENTRY(op, OP, S, N) [KRSEQ_OP_##OP] = PROBE_FN(S, op, N),
#define ROW_N(S, z, N)                                                         \
	KRSEQ_IF_CELL(S, N)([z] = { KRSEQ_FOR_EACH_OP(ENTRY, S, N) },)
#define ROW(S, ...)                                                            \
	[S] = { ROW_N(S, 0, 1) ROW_N(S, 1, 2) ROW_N(S, 2, 4) ROW_N(S, 3, 8) },
#define ROW16(S, ...)                                                          \
	KRSEQ_IF_CELL(S, 16)([S] = { PROBE_FN(S, cmpxchg, 16),                 \
				     PROBE_FN(S, try_cmpxchg, 16) },)
/* clang-format on */

/* [strategy][size index][op] */
void (*const krseq_probes[KRSEQ_NR_SCHEMES][4][KRSEQ_NR_OPS])(void) = {
	KRSEQ_FOR_EACH_SCHEME(ROW)
};

/* [strategy][cmpxchg, try_cmpxchg] at 16 bytes */
void (*const krseq_probes16[KRSEQ_NR_SCHEMES][2])(void) = {
	KRSEQ_FOR_EACH_SCHEME(ROW16)
};

int krseq_probe_vars_alloc(void *vars[5])
{
	krseq_xv1 = vars[0] = krseq_alloc_percpu(uint8_t);
	krseq_xv2 = vars[1] = krseq_alloc_percpu(uint16_t);
	krseq_xv4 = vars[2] = krseq_alloc_percpu(uint32_t);
	krseq_xv8 = vars[3] = krseq_alloc_percpu(uint64_t);
	krseq_xv16 = vars[4] = krseq_alloc_percpu(krseq_u128);
	krseq_xnested = krseq_alloc_percpu(unsigned long);
	return krseq_xv1 && krseq_xv2 && krseq_xv4 && krseq_xv8 && krseq_xv16 &&
			       krseq_xnested ?
		       0 :
		       -ENOMEM;
}

/* A RESTART section of the nested handler's own, on its own variable. */
void krseq_probe_nested_section(void)
{
	krseq_pcp_inc(KRSEQ_PCP_RESTART, *krseq_xnested);
}
