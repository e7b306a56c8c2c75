/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU operations under every protection strategy, as the kernel's
 * percpu-defs.h: the families, the size dispatch and the checks are here;
 * the instructions are in src/arch/<arch>/include/krseq/arch/<arch>/, one
 * file per scheme (<krseq/arch/template.h>), with C fallbacks in
 * <krseq/arch/generic.h>.
 *
 * Every op exists under every strategy, called explicitly:
 *
 *	krseq_pcp_add_return(KRSEQ_PCP_RESTART, var, 1);
 *
 * and the kernel's this_cpu_*() names use KRSEQ_PCP_DEFAULT, chosen at
 * compile time like a config option: -DKRSEQ_PCP_DEFAULT=KRSEQ_PCP_RESTART.
 * raw_cpu_*() and __this_cpu_*() are unprotected, as in the kernel; the
 * latter reports a call from preemptible code, as CONFIG_DEBUG_PREEMPT.
 */
#ifndef KRSEQ_PERCPU_H
#define KRSEQ_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <krseq/krseq.h>

#if defined(__x86_64__)
#include <krseq/arch/x86_64.h>
#elif defined(__aarch64__)
#include <krseq/arch/aarch64.h>
#elif defined(__s390x__)
#include <krseq/arch/s390x.h>
#else
#error "krseq: per-CPU ops exist for x86_64, aarch64 and s390x"
#endif
#include <krseq/arch/generic.h>

/* The strategies of DESIGN.md section 1, and what each has: the registry. */
#include <krseq/schemes.h>

#ifndef KRSEQ_PCP_DEFAULT
#ifdef __x86_64__
#define KRSEQ_PCP_DEFAULT KRSEQ_PCP_SEGMENT
#else
#define KRSEQ_PCP_DEFAULT KRSEQ_PCP_PREEMPT
#endif
#endif
/* For the sizes the default scheme has no sequence for (this_cpu_*()). */
#ifndef KRSEQ_PCP_DEFAULT_FALLBACK
#define KRSEQ_PCP_DEFAULT_FALLBACK KRSEQ_PCP_PREEMPT
#endif
#if KRSEQ_PCP_DEFAULT < 1 || KRSEQ_PCP_DEFAULT >= KRSEQ_NR_SCHEMES
#error "KRSEQ_PCP_DEFAULT must be one of the KRSEQ_PCP_* strategies"
#else
_Static_assert(KRSEQ_SCHEME_SIZES_HERE(KRSEQ_PCP_DEFAULT) != KRSEQ_SIZES_NONE,
	       "KRSEQ_PCP_DEFAULT: the " KRSEQ_SCHEME_NAME(
		       KRSEQ_PCP_DEFAULT) " scheme has no sequence on this "
					  "arch: " KRSEQ_SCHEME_WHY(
						  KRSEQ_PCP_DEFAULT));
#endif
#if KRSEQ_PCP_DEFAULT_FALLBACK < 1 ||                                          \
	KRSEQ_PCP_DEFAULT_FALLBACK >= KRSEQ_NR_SCHEMES
#error "KRSEQ_PCP_DEFAULT_FALLBACK must be one of the KRSEQ_PCP_* strategies"
#else
_Static_assert(KRSEQ_SCHEME_SIZES_HERE(KRSEQ_PCP_DEFAULT_FALLBACK) ==
		       KRSEQ_SIZES_ALL,
	       "KRSEQ_PCP_DEFAULT_FALLBACK must have every size on this arch");
#endif

/*
 * A missing cell called explicitly: a compile error saying why. One
 * declaration per scheme, chosen by the size dispatch below.
 */
#define krseq__na_decl(n, name, q, k, e, x, f, a, b, c, why)                   \
	uint64_t krseq__na_##n(const void *, ...) __attribute__((error(        \
		"krseq: the " name " scheme has no sequence for this size on " \
		"this arch: " why)));
KRSEQ_FOR_EACH_SCHEME(krseq__na_decl)
#undef krseq__na_decl

#define krseq__cat_(a, b) a##b
#define krseq__cat(a, b) krseq__cat_(a, b)
#define krseq__arch_fn(S, op)                                                  \
	krseq__cat(krseq__cat(krseq_arch_, KRSEQ__F(KRSEQ__SEQ, S)), _##op)
#define krseq__enter(S) KRSEQ__F(KRSEQ__ENTER, S)
#define krseq__exit(S) KRSEQ__F(KRSEQ__EXIT, S)
#define krseq__na(S, size, fn)                                                 \
	__builtin_choose_expr(KRSEQ_SCHEME_HAS_HERE(S, size), fn,              \
			      krseq__cat(krseq__na_, S))

/* The function for var's size: picked at compile time, never a call. */
#define krseq__sized(S, op, var)                                               \
	krseq__na(S, sizeof(var), krseq__sized_(S, op, var))
#define krseq__sized_(S, op, var)                                              \
	__builtin_choose_expr(                                                 \
		sizeof(var) == 1, krseq__cat(krseq__arch_fn(S, op), _1),       \
		__builtin_choose_expr(                                         \
			sizeof(var) == 2,                                      \
			krseq__cat(krseq__arch_fn(S, op), _2),                 \
			__builtin_choose_expr(                                 \
				sizeof(var) == 4,                              \
				krseq__cat(krseq__arch_fn(S, op), _4),         \
				krseq__cat(krseq__arch_fn(S, op), _8))))

#define krseq__size_check(var, name)                                           \
	_Static_assert(sizeof(var) == 1 || sizeof(var) == 2 ||                 \
			       sizeof(var) == 4 || sizeof(var) == 8,           \
		       "krseq: " name "() on a per-CPU variable that is not "  \
		       "1, 2, 4 or 8 bytes (16-byte cmpxchg is *_cmpxchg128)")

#define krseq__u64(x) ((uint64_t)(uintptr_t)(x))
#define krseq__as(var, x) ((__typeof__(var))(uintptr_t)(x))

/* An op with no result, and one whose result is the value found. */
#define krseq__pcp_void(S, op, name, var, ...)                                 \
	do {                                                                   \
		krseq__size_check(var, name);                                  \
		krseq__enter(S);                                               \
		krseq__sized(S, op, var)((void *)&(var), ##__VA_ARGS__);       \
		krseq__exit(S);                                                \
	} while (0)

#define krseq__pcp_ret(S, op, name, var, ...)                                  \
	({                                                                     \
		uint64_t krseq__r;                                             \
		krseq__size_check(var, name);                                  \
		{                                                              \
			krseq__enter(S);                                       \
			krseq__r = krseq__sized(S, op, var)((void *)&(var),    \
							    ##__VA_ARGS__);    \
			krseq__exit(S);                                        \
		}                                                              \
		krseq__as(var, krseq__r);                                      \
	})

/* Every op, with the strategy explicit. */
#define krseq_pcp_read(S, var) krseq__pcp_ret(S, read, "this_cpu_read", var)
#define krseq_pcp_write(S, var, v)                                             \
	krseq__pcp_void(S, write, "this_cpu_write", var, krseq__u64(v))
#define krseq_pcp_add(S, var, v)                                               \
	krseq__pcp_void(S, add, "this_cpu_add", var, krseq__u64(v))
#define krseq_pcp_sub(S, var, v)                                               \
	krseq__pcp_void(S, add, "this_cpu_sub", var, -krseq__u64(v))
#define krseq_pcp_inc(S, var) krseq_pcp_add(S, var, 1)
#define krseq_pcp_dec(S, var)                                                  \
	krseq__pcp_void(S, add, "this_cpu_dec", var, -1ull)
#define krseq_pcp_and(S, var, v)                                               \
	krseq__pcp_void(S, and, "this_cpu_and", var, krseq__u64(v))
#define krseq_pcp_or(S, var, v)                                                \
	krseq__pcp_void(S, or, "this_cpu_or", var, krseq__u64(v))
#define krseq_pcp_xchg(S, var, v)                                              \
	krseq__pcp_ret(S, xchg, "this_cpu_xchg", var, krseq__u64(v))
#define krseq_pcp_cmpxchg(S, var, o, n)                                        \
	krseq__pcp_ret(S, cmpxchg, "this_cpu_cmpxchg", var, krseq__u64(o),     \
		       krseq__u64(n))
#define krseq_pcp_add_return(S, var, v)                                        \
	({                                                                     \
		uint64_t krseq__v = krseq__u64(v);                             \
		krseq__as(var, krseq__u64(krseq__pcp_ret(                      \
				       S, fetch_add, "this_cpu_add_return",    \
				       var, krseq__v)) +                       \
				       krseq__v);                              \
	})
#define krseq_pcp_sub_return(S, var, v)                                        \
	krseq_pcp_add_return(S, var, -krseq__u64(v))
#define krseq_pcp_inc_return(S, var) krseq_pcp_add_return(S, var, 1)
#define krseq_pcp_dec_return(S, var) krseq_pcp_add_return(S, var, -1ull)
/*
 * true if it stored; else *ovalp is given the value found. As the kernel's
 * generic form, *ovalp is read by value: it may be any integer type (an s64
 * for an s32 counter, as percpu_counter_add_batch() passes), converted to
 * var's type to compare, and the value found is converted back to *ovalp's
 * type. A pointer of var's own type would read and write only the first
 * sizeof(var) bytes of a wider *ovalp: its high half on big-endian s390x.
 */
#define krseq__try_cmpxchg(cmpxchg, S, var, ovalp, n)                          \
	({                                                                     \
		__typeof__(*(ovalp)) *krseq__op = (ovalp);                     \
		__typeof__(var) krseq__o = *krseq__op;                         \
		__typeof__(var) krseq__c = cmpxchg(S, var, krseq__o, n);       \
		bool krseq__ok = krseq__c == krseq__o;                         \
		if (!krseq__ok)                                                \
			*krseq__op = krseq__c;                                 \
		krseq__ok;                                                     \
	})
#define krseq_pcp_try_cmpxchg(S, var, ovalp, n)                                \
	krseq__try_cmpxchg(krseq_pcp_cmpxchg, S, var, ovalp, n)

/* 16 bytes: cmpxchg only, on the arches' double-width instructions. */
#define krseq__size16_check(var)                                               \
	_Static_assert(sizeof(var) == 16, "krseq: this_cpu_cmpxchg128() on "   \
					  "a variable that is not 16 bytes")
#define krseq_pcp_cmpxchg128(S, var, o, n)                                     \
	({                                                                     \
		krseq_u128 krseq__r;                                           \
		krseq__size16_check(var);                                      \
		{                                                              \
			krseq__enter(S);                                       \
			krseq__r = krseq__na(                                  \
				S, 16,                                         \
				krseq__cat(krseq__arch_fn(S, cmpxchg), _16))(  \
				(void *)&(var), (krseq_u128)(o),               \
				(krseq_u128)(n));                              \
			krseq__exit(S);                                        \
		}                                                              \
		(__typeof__(var))krseq__r;                                     \
	})
#define krseq_pcp_try_cmpxchg128(S, var, ovalp, n)                             \
	krseq__try_cmpxchg(krseq_pcp_cmpxchg128, S, var, ovalp, n)

/* The kernel's *_cmpxchg64(): cmpxchg on a variable that must be 8 bytes. */
#define krseq__size8_check(var)                                                \
	_Static_assert(sizeof(var) == 8, "krseq: this_cpu_cmpxchg64() on a "   \
					 "variable that is not 8 bytes")
#define krseq_pcp_cmpxchg64(S, var, o, n)                                      \
	({                                                                     \
		krseq__size8_check(var);                                       \
		krseq_pcp_cmpxchg(S, var, o, n);                               \
	})
#define krseq_pcp_try_cmpxchg64(S, var, ovalp, n)                              \
	krseq__try_cmpxchg(krseq_pcp_cmpxchg64, S, var, ovalp, n)

/*
 * this_cpu_*: the compile-time default strategy; at a size it has no
 * sequence for on this arch, KRSEQ_PCP_DEFAULT_FALLBACK (the choice is the
 * registry's, made at compile time; the unchosen side emits no code).
 */
#define krseq__dflt(var, pcp, ...)                                             \
	__builtin_choose_expr(                                                 \
		KRSEQ_SCHEME_HAS_HERE(KRSEQ_PCP_DEFAULT, sizeof(var)),         \
		({ pcp(KRSEQ_PCP_DEFAULT, __VA_ARGS__); }),                    \
		({ pcp(KRSEQ_PCP_DEFAULT_FALLBACK, __VA_ARGS__); }))
#define krseq_this_cpu_read(var) krseq__dflt(var, krseq_pcp_read, var)
#define krseq_this_cpu_write(var, v) krseq__dflt(var, krseq_pcp_write, var, v)
#define krseq_this_cpu_add(var, v) krseq__dflt(var, krseq_pcp_add, var, v)
#define krseq_this_cpu_sub(var, v) krseq__dflt(var, krseq_pcp_sub, var, v)
#define krseq_this_cpu_inc(var) krseq__dflt(var, krseq_pcp_inc, var)
#define krseq_this_cpu_dec(var) krseq__dflt(var, krseq_pcp_dec, var)
#define krseq_this_cpu_and(var, v) krseq__dflt(var, krseq_pcp_and, var, v)
#define krseq_this_cpu_or(var, v) krseq__dflt(var, krseq_pcp_or, var, v)
#define krseq_this_cpu_xchg(var, v) krseq__dflt(var, krseq_pcp_xchg, var, v)
#define krseq_this_cpu_cmpxchg(var, o, n)                                      \
	krseq__dflt(var, krseq_pcp_cmpxchg, var, o, n)
#define krseq_this_cpu_try_cmpxchg(var, op, n)                                 \
	krseq__dflt(var, krseq_pcp_try_cmpxchg, var, op, n)
#define krseq_this_cpu_add_return(var, v)                                      \
	krseq__dflt(var, krseq_pcp_add_return, var, v)
#define krseq_this_cpu_sub_return(var, v)                                      \
	krseq__dflt(var, krseq_pcp_sub_return, var, v)
#define krseq_this_cpu_inc_return(var)                                         \
	krseq__dflt(var, krseq_pcp_inc_return, var)
#define krseq_this_cpu_dec_return(var)                                         \
	krseq__dflt(var, krseq_pcp_dec_return, var)
#define krseq_this_cpu_cmpxchg128(var, o, n)                                   \
	krseq__dflt(var, krseq_pcp_cmpxchg128, var, o, n)
#define krseq_this_cpu_try_cmpxchg128(var, op, n)                              \
	krseq__dflt(var, krseq_pcp_try_cmpxchg128, var, op, n)
#define krseq_this_cpu_cmpxchg64(var, o, n)                                    \
	krseq__dflt(var, krseq_pcp_cmpxchg64, var, o, n)
#define krseq_this_cpu_try_cmpxchg64(var, op, n)                               \
	krseq__dflt(var, krseq_pcp_try_cmpxchg64, var, op, n)

/* raw_cpu_*: the caller keeps the task on its CPU; no protection. */
#define krseq_raw_cpu_read(var) krseq_pcp_read(KRSEQ_PCP_UNSAFE, var)
#define krseq_raw_cpu_write(var, v) krseq_pcp_write(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_add(var, v) krseq_pcp_add(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_sub(var, v) krseq_pcp_sub(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_inc(var) krseq_pcp_inc(KRSEQ_PCP_UNSAFE, var)
#define krseq_raw_cpu_dec(var) krseq_pcp_dec(KRSEQ_PCP_UNSAFE, var)
#define krseq_raw_cpu_and(var, v) krseq_pcp_and(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_or(var, v) krseq_pcp_or(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_xchg(var, v) krseq_pcp_xchg(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_cmpxchg(var, o, n)                                       \
	krseq_pcp_cmpxchg(KRSEQ_PCP_UNSAFE, var, o, n)
#define krseq_raw_cpu_try_cmpxchg(var, op, n)                                  \
	krseq_pcp_try_cmpxchg(KRSEQ_PCP_UNSAFE, var, op, n)
#define krseq_raw_cpu_add_return(var, v)                                       \
	krseq_pcp_add_return(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_sub_return(var, v)                                       \
	krseq_pcp_sub_return(KRSEQ_PCP_UNSAFE, var, v)
#define krseq_raw_cpu_inc_return(var)                                          \
	krseq_pcp_inc_return(KRSEQ_PCP_UNSAFE, var)
#define krseq_raw_cpu_dec_return(var)                                          \
	krseq_pcp_dec_return(KRSEQ_PCP_UNSAFE, var)
#define krseq_raw_cpu_cmpxchg64(var, o, n)                                     \
	krseq_pcp_cmpxchg64(KRSEQ_PCP_UNSAFE, var, o, n)
#define krseq_raw_cpu_try_cmpxchg64(var, op, n)                                \
	krseq_pcp_try_cmpxchg64(KRSEQ_PCP_UNSAFE, var, op, n)
#define krseq_raw_cpu_cmpxchg128(var, o, n)                                    \
	krseq_pcp_cmpxchg128(KRSEQ_PCP_UNSAFE, var, o, n)
#define krseq_raw_cpu_try_cmpxchg128(var, op, n)                               \
	krseq_pcp_try_cmpxchg128(KRSEQ_PCP_UNSAFE, var, op, n)

/*
 * __this_cpu_*: unprotected too, but the caller claims it cannot move to
 * another CPU: from preemptible code that is a bug, reported as
 * CONFIG_DEBUG_PREEMPT does, which accepts a task with migration disabled.
 */
void krseq_this_cpu_preempt_check(const char *op);
#define krseq__checked(name, expr)                                             \
	({                                                                     \
		if (krseq_preemptible() && !krseq_ta.migration_disabled)       \
			krseq_this_cpu_preempt_check(name);                    \
		expr;                                                          \
	})
#define krseq___this_cpu_read(var)                                             \
	krseq__checked("__this_cpu_read", krseq_raw_cpu_read(var))
#define krseq___this_cpu_write(var, v)                                         \
	krseq__checked("__this_cpu_write", krseq_raw_cpu_write(var, v))
#define krseq___this_cpu_add(var, v)                                           \
	krseq__checked("__this_cpu_add", krseq_raw_cpu_add(var, v))
#define krseq___this_cpu_sub(var, v)                                           \
	krseq__checked("__this_cpu_sub", krseq_raw_cpu_sub(var, v))
#define krseq___this_cpu_inc(var)                                              \
	krseq__checked("__this_cpu_inc", krseq_raw_cpu_inc(var))
#define krseq___this_cpu_dec(var)                                              \
	krseq__checked("__this_cpu_dec", krseq_raw_cpu_dec(var))
#define krseq___this_cpu_and(var, v)                                           \
	krseq__checked("__this_cpu_and", krseq_raw_cpu_and(var, v))
#define krseq___this_cpu_or(var, v)                                            \
	krseq__checked("__this_cpu_or", krseq_raw_cpu_or(var, v))
#define krseq___this_cpu_xchg(var, v)                                          \
	krseq__checked("__this_cpu_xchg", krseq_raw_cpu_xchg(var, v))
#define krseq___this_cpu_cmpxchg(var, o, n)                                    \
	krseq__checked("__this_cpu_cmpxchg", krseq_raw_cpu_cmpxchg(var, o, n))
#define krseq___this_cpu_try_cmpxchg(var, op, n)                               \
	krseq__checked("__this_cpu_try_cmpxchg",                               \
		       krseq_raw_cpu_try_cmpxchg(var, op, n))
#define krseq___this_cpu_add_return(var, v)                                    \
	krseq__checked("__this_cpu_add_return",                                \
		       krseq_raw_cpu_add_return(var, v))
#define krseq___this_cpu_sub_return(var, v)                                    \
	krseq__checked("__this_cpu_sub_return",                                \
		       krseq_raw_cpu_sub_return(var, v))
#define krseq___this_cpu_inc_return(var)                                       \
	krseq__checked("__this_cpu_inc_return", krseq_raw_cpu_inc_return(var))
#define krseq___this_cpu_dec_return(var)                                       \
	krseq__checked("__this_cpu_dec_return", krseq_raw_cpu_dec_return(var))

#define krseq___this_cpu_cmpxchg64(var, o, n)                                  \
	krseq__checked("__this_cpu_cmpxchg64",                                 \
		       krseq_raw_cpu_cmpxchg64(var, o, n))
#define krseq___this_cpu_try_cmpxchg64(var, op, n)                             \
	krseq__checked("__this_cpu_try_cmpxchg64",                             \
		       krseq_raw_cpu_try_cmpxchg64(var, op, n))
#define krseq___this_cpu_cmpxchg128(var, o, n)                                 \
	krseq__checked("__this_cpu_cmpxchg128",                                \
		       krseq_raw_cpu_cmpxchg128(var, o, n))
#define krseq___this_cpu_try_cmpxchg128(var, op, n)                            \
	krseq__checked("__this_cpu_try_cmpxchg128",                            \
		       krseq_raw_cpu_try_cmpxchg128(var, op, n))

#endif /* KRSEQ_PERCPU_H */
