/* SPDX-License-Identifier: MIT */
/*
 * The per-arch interface of the per-CPU ops, and its C fallbacks.
 *
 * An arch's sequences files (src/arch/<arch>/include/krseq/arch/<arch>/,
 * one per scheme, written against <krseq/arch/template.h>) provide, for a
 * sequence SEQ and a size N in 1, 2, 4, 8, all of these at once:
 *
 *   uint64_t krseq_arch_SEQ_read_N(void *tpl);
 *   void     krseq_arch_SEQ_write_N(void *tpl, uint64_t v);
 *   void     krseq_arch_SEQ_add_N(void *tpl, uint64_t v);
 *   uint64_t krseq_arch_SEQ_fetch_add_N(void *tpl, uint64_t v);  (old value)
 *   void     krseq_arch_SEQ_and_N(void *tpl, uint64_t v);
 *   void     krseq_arch_SEQ_or_N(void *tpl, uint64_t v);
 *   uint64_t krseq_arch_SEQ_xchg_N(void *tpl, uint64_t v);       (old value)
 *   uint64_t krseq_arch_SEQ_cmpxchg_N(void *tpl, uint64_t old, uint64_t new);
 *                                      (the value found; stores only if equal)
 * and for N = 16 only cmpxchg, on krseq_u128.
 *
 * tpl is the template address (&var); the running CPU's copy is at
 * tpl + offset. Values are passed zero-extended from N bytes; returned
 * values are zero-extended. Only the N bytes at the copy are touched.
 *
 * The sequences (what each must do, shown by the C below):
 *   plain  - read the offset, then load/op/store: no protection (UNSAFE,
 *            and the body of IRQ).
 *   rs     - plain, armed: one store puts a KRSEQ_CS_FLAVOUR_IRQ descriptor
 *            in krseq_ta.sched_rseq, then the window [start, commit) runs
 *            from the first instruction after that store to just after the
 *            commit store (for read, after the load; for a cmpxchg that
 *            finds another value, the window ends without a store). The
 *            restart label, outside the window, jumps back to the arming
 *            store. No disarm: like userspace rseq, a stale descriptor is
 *            harmless once the PC has left its window. (RESTART)
 *   atomic - compute tpl + offset, then one interrupt-safe atomic
 *            instruction (or an LL/SC or compare-and-swap loop) on it.
 *            (ATOMIC, and the body of PREEMPT)
 *   sched  - atomic, armed with a KRSEQ_CS_FLAVOUR_SCHED descriptor whose
 *            window starts at the offset read and commits with the atomic
 *            instruction. (RESTART_SCHED)
 *   fixup  - atomic, armed with a KRSEQ_CS_FIXUP descriptor: start is the
 *            instruction that reads (and may add) the offset, the address
 *            is in register KRSEQ_ARCH_FIXUP_REG from then on, commit is
 *            just after the atomic instruction (or loop). (FIXUP)
 *   marker - atomic inside an open marker section (no descriptor): one
 *            store writes the number of the register holding tpl into
 *            krseq_ta.marker, the next instruction adds the offset to it
 *            (aarch64: loads the offset into it, then adds tpl), then the
 *            atomic instruction (or loop), then a store of 0. (MARKER)
 *   seg    - x86_64 only: one %gs-prefixed instruction. (SEGMENT)
 *   kseq   - rs in Peter Zijlstra's shape: a KRSEQ_CS_KSEQ_IRQ descriptor
 *            whose window starts at the arming store itself, which is also
 *            the restart label (no stub), and an explicit disarm store of
 *            NULL after the commit. (KSEQ)
 *   kseq_sched - sched in that shape: arming store, then the window from
 *            the address computation to the commit, which is also the
 *            restart label, under a KRSEQ_CS_KSEQ_SCHED descriptor; then
 *            the disarm store. (KSEQ_SCHED)
 *
 * Where an arch has no instructions for plain or atomic at a size (it
 * defines KRSEQ_ARCH_HAS_plain_<N> / KRSEQ_ARCH_HAS_atomic_<N> for the
 * sizes it has), the C here is used: plain in C; atomic with the compiler's __atomic builtins
 * (s390x at 1 and 2 bytes: a compare-and-swap loop on the word). The armed
 * sequences and seg have no fallback: what an arch lacks is a missing cell
 * of the scheme registry, never another scheme's code under its name.
 */
#ifndef KRSEQ_ARCH_GENERIC_H
#define KRSEQ_ARCH_GENERIC_H

#include <stdint.h>
#include <krseq/preempt.h>
#include <krseq/schemes.h>
#include <krseq/thread.h>

typedef unsigned __int128 krseq_u128;

#define krseq__copy(tpl) ((void *)((uintptr_t)(tpl) + krseq_ta.percpu_offset))

/* clang-format off */
#define KRSEQ__GEN_PLAIN(N, T)                                                 \
static inline uint64_t krseq_arch_plain_read_##N(void *tpl)                   \
{ return *(volatile T *)krseq__copy(tpl); }                                    \
static inline void krseq_arch_plain_write_##N(void *tpl, uint64_t v)          \
{ *(volatile T *)krseq__copy(tpl) = (T)v; }                                    \
static inline uint64_t krseq_arch_plain_fetch_add_##N(void *tpl, uint64_t v)  \
{ volatile T *p = krseq__copy(tpl); T o = *p; *p = (T)(o + v); return o; }     \
static inline void krseq_arch_plain_add_##N(void *tpl, uint64_t v)            \
{ volatile T *p = krseq__copy(tpl); *p = (T)(*p + v); }                        \
static inline void krseq_arch_plain_and_##N(void *tpl, uint64_t v)            \
{ volatile T *p = krseq__copy(tpl); *p = (T)(*p & v); }                        \
static inline void krseq_arch_plain_or_##N(void *tpl, uint64_t v)             \
{ volatile T *p = krseq__copy(tpl); *p = (T)(*p | v); }                        \
static inline uint64_t krseq_arch_plain_xchg_##N(void *tpl, uint64_t v)       \
{ volatile T *p = krseq__copy(tpl); T o = *p; *p = (T)v; return o; }           \
static inline uint64_t krseq_arch_plain_cmpxchg_##N(void *tpl, uint64_t o,    \
						    uint64_t n)                \
{ volatile T *p = krseq__copy(tpl); T c = *p;                                  \
  if (c == (T)o) { *p = (T)n; } return c; }

#define KRSEQ__GEN_ATOMIC(N, T)                                                \
static inline uint64_t krseq_arch_atomic_read_##N(void *tpl)                  \
{ return __atomic_load_n((T *)krseq__copy(tpl), __ATOMIC_RELAXED); }           \
static inline void krseq_arch_atomic_write_##N(void *tpl, uint64_t v)         \
{ __atomic_store_n((T *)krseq__copy(tpl), (T)v, __ATOMIC_RELAXED); }           \
static inline uint64_t krseq_arch_atomic_fetch_add_##N(void *tpl, uint64_t v) \
{ return __atomic_fetch_add((T *)krseq__copy(tpl), (T)v, __ATOMIC_RELAXED); }  \
static inline void krseq_arch_atomic_add_##N(void *tpl, uint64_t v)           \
{ __atomic_fetch_add((T *)krseq__copy(tpl), (T)v, __ATOMIC_RELAXED); }         \
static inline void krseq_arch_atomic_and_##N(void *tpl, uint64_t v)           \
{ __atomic_fetch_and((T *)krseq__copy(tpl), (T)v, __ATOMIC_RELAXED); }         \
static inline void krseq_arch_atomic_or_##N(void *tpl, uint64_t v)            \
{ __atomic_fetch_or((T *)krseq__copy(tpl), (T)v, __ATOMIC_RELAXED); }          \
static inline uint64_t krseq_arch_atomic_xchg_##N(void *tpl, uint64_t v)      \
{ return __atomic_exchange_n((T *)krseq__copy(tpl), (T)v, __ATOMIC_RELAXED); } \
static inline uint64_t krseq_arch_atomic_cmpxchg_##N(void *tpl, uint64_t o,   \
						     uint64_t n)               \
{ T e = (T)o;                                                                  \
  __atomic_compare_exchange_n((T *)krseq__copy(tpl), &e, (T)n, 0,              \
			      __ATOMIC_RELAXED, __ATOMIC_RELAXED);             \
  return e; }

/* clang-format on */

#ifndef KRSEQ_ARCH_HAS_plain_1
KRSEQ__GEN_PLAIN(1, uint8_t)
#endif
#ifndef KRSEQ_ARCH_HAS_plain_2
KRSEQ__GEN_PLAIN(2, uint16_t)
#endif
#ifndef KRSEQ_ARCH_HAS_plain_4
KRSEQ__GEN_PLAIN(4, uint32_t)
#endif
#ifndef KRSEQ_ARCH_HAS_plain_8
KRSEQ__GEN_PLAIN(8, uint64_t)
#endif

#ifndef KRSEQ_ARCH_HAS_atomic_1
KRSEQ__GEN_ATOMIC(1, uint8_t)
#endif
#ifndef KRSEQ_ARCH_HAS_atomic_2
KRSEQ__GEN_ATOMIC(2, uint16_t)
#endif
#ifndef KRSEQ_ARCH_HAS_atomic_4
KRSEQ__GEN_ATOMIC(4, uint32_t)
#endif
#ifndef KRSEQ_ARCH_HAS_atomic_8
KRSEQ__GEN_ATOMIC(8, uint64_t)
#endif

/*
 * The armed sequences and SEGMENT have no fallback: a cell an arch lacks is
 * "n/a" in the registry (<krseq/schemes.h>), and these declarations,
 * made from the registry's cells, only keep the size dispatch compiling;
 * a call that reaches one does not compile (the explicit krseq_pcp_*()
 * calls stop earlier, with the registry's reason).
 */
#define KRSEQ__NO_SEQ_ATTR                                                     \
	__attribute__((error("krseq: the arch header has no sequence for "     \
			     "this cell, which the scheme registry claims")))
#define KRSEQ__NO_SEQ(SEQ, N)                                                  \
	uint64_t krseq_arch_##SEQ##_read_##N(void *) KRSEQ__NO_SEQ_ATTR;       \
	void krseq_arch_##SEQ##_write_##N(void *, uint64_t)                    \
		KRSEQ__NO_SEQ_ATTR;                                            \
	void krseq_arch_##SEQ##_add_##N(void *, uint64_t) KRSEQ__NO_SEQ_ATTR;  \
	uint64_t krseq_arch_##SEQ##_fetch_add_##N(void *, uint64_t)            \
		KRSEQ__NO_SEQ_ATTR;                                            \
	void krseq_arch_##SEQ##_and_##N(void *, uint64_t) KRSEQ__NO_SEQ_ATTR;  \
	void krseq_arch_##SEQ##_or_##N(void *, uint64_t) KRSEQ__NO_SEQ_ATTR;   \
	uint64_t krseq_arch_##SEQ##_xchg_##N(void *, uint64_t)                 \
		KRSEQ__NO_SEQ_ATTR;                                            \
	uint64_t krseq_arch_##SEQ##_cmpxchg_##N(void *, uint64_t, uint64_t)    \
		KRSEQ__NO_SEQ_ATTR;
#define KRSEQ__NO_SEQ16(SEQ)                                                   \
	krseq_u128 krseq_arch_##SEQ##_cmpxchg_16(                              \
		void *, krseq_u128, krseq_u128) KRSEQ__NO_SEQ_ATTR;

/* The cells the registry leaves out here, scheme by scheme. */
/* clang-format off */
#define KRSEQ__NO_SEQS(S, name, seq, ...)                                      \
	KRSEQ_IF_NO_CELL(S, 1)(KRSEQ__NO_SEQ(seq, 1))                          \
	KRSEQ_IF_NO_CELL(S, 2)(KRSEQ__NO_SEQ(seq, 2))                          \
	KRSEQ_IF_NO_CELL(S, 4)(KRSEQ__NO_SEQ(seq, 4))                          \
	KRSEQ_IF_NO_CELL(S, 8)(KRSEQ__NO_SEQ(seq, 8))                          \
	KRSEQ_IF_NO_CELL(S, 16)(KRSEQ__NO_SEQ16(seq))
KRSEQ_FOR_EACH_SCHEME(KRSEQ__NO_SEQS)
#undef KRSEQ__NO_SEQS
/* clang-format on */

/* 16-byte cmpxchg: plain in C; the others need the arch's instruction. */
#ifndef KRSEQ_ARCH_HAS_plain_16
static inline krseq_u128 krseq_arch_plain_cmpxchg_16(void *tpl, krseq_u128 o,
						     krseq_u128 n)
{
	volatile krseq_u128 *p = krseq__copy(tpl);
	krseq_u128 c = *p;

	if (c == o)
		*p = n;
	return c;
}
#endif

#ifndef KRSEQ_ARCH_HAS_atomic_16
/* No portable fallback (x86_64 would need libatomic): an error if used. */
krseq_u128 krseq_arch_atomic_cmpxchg_16(void *tpl, krseq_u128 o, krseq_u128 n)
	__attribute__((error("krseq: this arch has no 16-byte cmpxchg yet")));
#endif
#endif /* KRSEQ_ARCH_GENERIC_H */
