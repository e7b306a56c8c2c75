/* SPDX-License-Identifier: MIT */
/* The hand-written sections of tests/arch/<arch>/sections.S. */
#ifndef KRSEQ_TEST_ASM_SECTIONS_H
#define KRSEQ_TEST_ASM_SECTIONS_H

#include <krseq/krseq.h>

typedef void seq_fn(struct krseq_thread_area *ta, long *var);

struct asm_seq {
	const char *name;
	seq_fn *fn;
	void *const *pcs; /* boundaries, zero-terminated */
	void *commit; /* first boundary after the update is done, or NULL */
};

seq_fn krseq_test_rs_inc, krseq_test_plain_inc;
extern void *const krseq_test_rs_inc_pcs[], *const krseq_test_plain_inc_pcs[];
void krseq_test_site(void);
extern char krseq_test_dummy[];

#ifdef __aarch64__
#include <sys/auxv.h>
#ifndef HWCAP_ATOMICS
#define HWCAP_ATOMICS (1 << 8)
#endif
seq_fn krseq_test_fixup_inc_lse, krseq_test_fixup_inc_llsc;
seq_fn krseq_test_atomic_inc_lse, krseq_test_atomic_inc_llsc;
extern void *const krseq_test_fixup_inc_lse_pcs[],
	*const krseq_test_fixup_inc_llsc_pcs[],
		*const krseq_test_atomic_inc_lse_pcs[],
			*const krseq_test_atomic_inc_llsc_pcs[];
extern void *const krseq_test_fixup_lse_commit,
	*const krseq_test_fixup_llsc_commit,
		*const krseq_test_atomic_lse_commit,
			*const krseq_test_atomic_llsc_commit;

/* LSE when the CPU has it, as the ops choose (qemu -cpu cortex-a57: not). */
static inline bool test_have_lse(void)
{
	return getauxval(AT_HWCAP) & HWCAP_ATOMICS;
}

static inline struct asm_seq test_fixup_seq(void)
{
	return test_have_lse() ?
		       (struct asm_seq){ "fixup_lse", krseq_test_fixup_inc_lse,
					 krseq_test_fixup_inc_lse_pcs,
					 krseq_test_fixup_lse_commit } :
		       (struct asm_seq){ "fixup_llsc",
					 krseq_test_fixup_inc_llsc,
					 krseq_test_fixup_inc_llsc_pcs,
					 krseq_test_fixup_llsc_commit };
}

static inline struct asm_seq test_atomic_seq(void)
{
	return test_have_lse() ?
		       (struct asm_seq){ "atomic_lse",
					 krseq_test_atomic_inc_lse,
					 krseq_test_atomic_inc_lse_pcs,
					 krseq_test_atomic_lse_commit } :
		       (struct asm_seq){ "atomic_llsc",
					 krseq_test_atomic_inc_llsc,
					 krseq_test_atomic_inc_llsc_pcs,
					 krseq_test_atomic_llsc_commit };
}
#else
seq_fn krseq_test_fixup_inc, krseq_test_atomic_inc;
extern void *const krseq_test_fixup_inc_pcs[],
	*const krseq_test_atomic_inc_pcs[];
extern void *const krseq_test_fixup_commit, *const krseq_test_atomic_commit;

static inline struct asm_seq test_fixup_seq(void)
{
	return (struct asm_seq){ "fixup", krseq_test_fixup_inc,
				 krseq_test_fixup_inc_pcs,
				 krseq_test_fixup_commit };
}

static inline struct asm_seq test_atomic_seq(void)
{
	return (struct asm_seq){ "atomic", krseq_test_atomic_inc,
				 krseq_test_atomic_inc_pcs,
				 krseq_test_atomic_commit };
}
#endif

#endif
