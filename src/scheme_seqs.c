// SPDX-License-Identifier: MIT
/*
 * The built-in schemes' sequences, as <krseq/scheme.h> takes a scheme's:
 * one out-of-line function per scheme x op x size, doing exactly that op
 * once with the inline sequence of <krseq/percpu.h>. The explorer
 * interrupts them, and whatever takes a scheme by id calls them; a
 * missing cell is not compiled and its slot stays NULL.
 */
#include "schemes_internal.h"

/* clang-format off */
/* seq_<scheme>_<op>_<size>: a backtrace or a profile names all three. */
#define SEQ_FN(S, op, N)                                                       \
	KRSEQ__CAT(KRSEQ__CAT(KRSEQ__CAT(seq_, KRSEQ_SCHEME_ID(S)), _##op##_), N)
#define T(N) uint##N##_t
/* Each op by its name in KRSEQ_FOR_EACH_OP. */
#define BODY_read(S) return krseq_pcp_read(S, *v)
#define BODY_write(S) krseq_pcp_write(S, *v, a1); return 0
#define BODY_add(S) krseq_pcp_add(S, *v, a1); return 0
#define BODY_sub(S) krseq_pcp_sub(S, *v, a1); return 0
#define BODY_inc(S) krseq_pcp_inc(S, *v); return 0
#define BODY_dec(S) krseq_pcp_dec(S, *v); return 0
#define BODY_and(S) krseq_pcp_and(S, *v, a1); return 0
#define BODY_or(S) krseq_pcp_or(S, *v, a1); return 0
#define BODY_xchg(S) return krseq_pcp_xchg(S, *v, a1)
#define BODY_cmpxchg(S) return krseq_pcp_cmpxchg(S, *v, a1, a2)
#define BODY_try_cmpxchg(S) return krseq_pcp_try_cmpxchg(S, *v, &a1, a2)
#define BODY_add_return(S) return krseq_pcp_add_return(S, *v, a1)
#define BODY_sub_return(S) return krseq_pcp_sub_return(S, *v, a1)
#define BODY_inc_return(S) return krseq_pcp_inc_return(S, *v)
#define BODY_dec_return(S) return krseq_pcp_dec_return(S, *v)

/* The width of each size in bits, for its type. */
#define BITS_1 8
#define BITS_2 16
#define BITS_4 32
#define BITS_8 64
#define SEQ_OP(op, OP, S, N) SEQ_OP_(op, S, N, BITS_##N)
#define SEQ_OP_(op, S, N, B) SEQ_OP__(op, S, N, B)
#define SEQ_OP__(op, S, N, B) SEQ_B(S, B, N, op, BODY_##op(S))
#define SEQ_B(S, B, N, op, body)                                               \
	static __attribute__((noinline, used)) uint64_t                        \
	SEQ_FN(S, op, N)(void *pcp, uint64_t a1_, uint64_t a2_)                \
	{                                                                      \
		T(B) *v = pcp, a1 = (T(B))a1_, a2 = (T(B))a2_;                 \
		(void)a1; (void)a2;                                            \
		body;                                                          \
	}
#define SEQS_N(S, N) KRSEQ_IF_CELL(S, N)(KRSEQ_FOR_EACH_OP(SEQ_OP, S, N))

#define SEQS16(S)                                                              \
	static __attribute__((noinline, used)) krseq_u128                      \
	SEQ_FN(S, cmpxchg, 16)(void *pcp, krseq_u128 o, krseq_u128 n)          \
	{                                                                      \
		return krseq_pcp_cmpxchg128(S, *(krseq_u128 *)pcp, o, n);      \
	}                                                                      \
	static __attribute__((noinline, used)) krseq_u128                      \
	SEQ_FN(S, try_cmpxchg, 16)(void *pcp, krseq_u128 o, krseq_u128 n)      \
	{                                                                      \
		return krseq_pcp_try_cmpxchg128(S, *(krseq_u128 *)pcp, &o, n); \
	}

#define SEQS(S, ...)                                                           \
	SEQS_N(S, 1) SEQS_N(S, 2) SEQS_N(S, 4) SEQS_N(S, 8)                    \
	KRSEQ_IF_CELL(S, 16)(SEQS16(S))
KRSEQ_FOR_EACH_SCHEME(SEQS)

#define ENTRY(op, OP, S, N) [KRSEQ_OP_##OP] = SEQ_FN(S, op, N),
#define ROW_N(S, z, N)                                                         \
	KRSEQ_IF_CELL(S, N)([z] = { KRSEQ_FOR_EACH_OP(ENTRY, S, N) },)
#define ROW(S, ...)                                                            \
	[S] = { ROW_N(S, 0, 1) ROW_N(S, 1, 2) ROW_N(S, 2, 4) ROW_N(S, 3, 8) },
#define ROW16(S, ...)                                                          \
	KRSEQ_IF_CELL(S, 16)([S] = { SEQ_FN(S, cmpxchg, 16),                   \
				     SEQ_FN(S, try_cmpxchg, 16) },)
/* clang-format on */

const krseq_seq_fn krseq_builtin_seqs[KRSEQ_NR_SCHEMES][4][KRSEQ_NR_OPS] = {
	KRSEQ_FOR_EACH_SCHEME(ROW)
};

const krseq_seq16_fn krseq_builtin_seqs16[KRSEQ_NR_SCHEMES][2] = {
	KRSEQ_FOR_EACH_SCHEME(ROW16)
};
