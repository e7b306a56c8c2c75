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
#define P(S, s, N, op, body)                                                   \
	static __attribute__((noinline, used)) void                            \
	probe_##s##_##op##_##N(void)                                           \
	{                                                                      \
		__typeof__(*krseq_xv##N) a1 = (__typeof__(*krseq_xv##N))krseq_xarg1, \
					 a2 = (__typeof__(*krseq_xv##N))krseq_xarg2; \
		(void)a1; (void)a2;                                            \
		body;                                                          \
	}

#define PROBES_N(S, s, N)                                                      \
	P(S, s, N, read, krseq_xret = krseq_pcp_read(S, *krseq_xv##N))         \
	P(S, s, N, write, krseq_pcp_write(S, *krseq_xv##N, a1))                \
	P(S, s, N, add, krseq_pcp_add(S, *krseq_xv##N, a1))                    \
	P(S, s, N, sub, krseq_pcp_sub(S, *krseq_xv##N, a1))                    \
	P(S, s, N, inc, krseq_pcp_inc(S, *krseq_xv##N))                        \
	P(S, s, N, dec, krseq_pcp_dec(S, *krseq_xv##N))                        \
	P(S, s, N, and, krseq_pcp_and(S, *krseq_xv##N, a1))                    \
	P(S, s, N, or, krseq_pcp_or(S, *krseq_xv##N, a1))                      \
	P(S, s, N, xchg, krseq_xret = krseq_pcp_xchg(S, *krseq_xv##N, a1))    \
	P(S, s, N, cmpxchg,                                                    \
	  krseq_xret = krseq_pcp_cmpxchg(S, *krseq_xv##N, a1, a2))             \
	P(S, s, N, try_cmpxchg,                                                \
	  krseq_xret = krseq_pcp_try_cmpxchg(S, *krseq_xv##N, &a1, a2))        \
	P(S, s, N, add_return,                                                 \
	  krseq_xret = krseq_pcp_add_return(S, *krseq_xv##N, a1))              \
	P(S, s, N, sub_return,                                                 \
	  krseq_xret = krseq_pcp_sub_return(S, *krseq_xv##N, a1))              \
	P(S, s, N, inc_return, krseq_xret = krseq_pcp_inc_return(S, *krseq_xv##N)) \
	P(S, s, N, dec_return, krseq_xret = krseq_pcp_dec_return(S, *krseq_xv##N))

#define PROBES(S, s)                                                           \
	PROBES_N(S, s, 1) PROBES_N(S, s, 2) PROBES_N(S, s, 4) PROBES_N(S, s, 8) \
	PROBES16(S, s)

#define ARG128(n) (((krseq_u128)krseq_xarg##n##_hi << 64) | krseq_xarg##n)
#define PROBES16(S, s)                                                         \
	static __attribute__((noinline, used)) void probe_##s##_cmpxchg_16(void) \
	{                                                                      \
		krseq_u128 r = krseq_pcp_cmpxchg128(S, *krseq_xv16, ARG128(1), \
						    ARG128(2));                \
		krseq_xret = (uint64_t)r;                                      \
		krseq_xret_hi = (uint64_t)(r >> 64);                           \
	}                                                                      \
	static __attribute__((noinline, used)) void                            \
	probe_##s##_try_cmpxchg_16(void)                                       \
	{                                                                      \
		krseq_u128 o = ARG128(1);                                      \
		krseq_xret = krseq_pcp_try_cmpxchg128(S, *krseq_xv16, &o,      \
						      ARG128(2));              \
		krseq_xret_hi = 0;                                             \
	}
#define ROW16(S, s) [S] = { probe_##s##_cmpxchg_16, probe_##s##_try_cmpxchg_16 }

#define ROW_N(S, s, N)                                                         \
	{ probe_##s##_read_##N, probe_##s##_write_##N, probe_##s##_add_##N,    \
	  probe_##s##_sub_##N, probe_##s##_inc_##N, probe_##s##_dec_##N,       \
	  probe_##s##_and_##N, probe_##s##_or_##N, probe_##s##_xchg_##N,       \
	  probe_##s##_cmpxchg_##N, probe_##s##_try_cmpxchg_##N,                \
	  probe_##s##_add_return_##N, probe_##s##_sub_return_##N,              \
	  probe_##s##_inc_return_##N, probe_##s##_dec_return_##N }
#define ROW(S, s) [S] = { ROW_N(S, s, 1), ROW_N(S, s, 2), ROW_N(S, s, 4),      \
			  ROW_N(S, s, 8) }
/* clang-format on */

#ifdef __x86_64__
PROBES(KRSEQ_PCP_SEGMENT, segment)
#endif
PROBES(KRSEQ_PCP_ATOMIC, atomic)
PROBES(KRSEQ_PCP_PREEMPT, preempt)
PROBES(KRSEQ_PCP_IRQ, irq)
PROBES(KRSEQ_PCP_RESTART, restart)
PROBES(KRSEQ_PCP_RESTART_SCHED, restart_sched)
PROBES(KRSEQ_PCP_FIXUP, fixup)
PROBES(KRSEQ_PCP_UNSAFE, unsafe)

/* [strategy][size index][op] */
void (*const krseq_probes[9][4][KRSEQ_NR_OPS])(void) = {
#ifdef __x86_64__
	ROW(KRSEQ_PCP_SEGMENT, segment),
#endif
	ROW(KRSEQ_PCP_ATOMIC, atomic),
	ROW(KRSEQ_PCP_PREEMPT, preempt),
	ROW(KRSEQ_PCP_IRQ, irq),
	ROW(KRSEQ_PCP_RESTART, restart),
	ROW(KRSEQ_PCP_RESTART_SCHED, restart_sched),
	ROW(KRSEQ_PCP_FIXUP, fixup),
	ROW(KRSEQ_PCP_UNSAFE, unsafe),
};

/* [strategy][cmpxchg, try_cmpxchg] at 16 bytes */
void (*const krseq_probes16[9][2])(void) = {
#ifdef __x86_64__
	ROW16(KRSEQ_PCP_SEGMENT, segment),
#endif
	ROW16(KRSEQ_PCP_ATOMIC, atomic),
	ROW16(KRSEQ_PCP_PREEMPT, preempt),
	ROW16(KRSEQ_PCP_IRQ, irq),
	ROW16(KRSEQ_PCP_RESTART, restart),
	ROW16(KRSEQ_PCP_RESTART_SCHED, restart_sched),
	ROW16(KRSEQ_PCP_FIXUP, fixup),
	ROW16(KRSEQ_PCP_UNSAFE, unsafe),
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
