/* SPDX-License-Identifier: MIT */
/* The scheme registry and the kernel sides, inside the runtime. */
#ifndef KRSEQ_SCHEMES_INTERNAL_H
#define KRSEQ_SCHEMES_INTERNAL_H

#include "internal.h"

#include <krseq/scheme.h>

struct krseq_irq_frame {
	ucontext_t *uc;
	struct krseq_task *t;
	enum krseq_irq src;
	int entry_cpu;
	bool preempted;
	unsigned long save[KRSEQ_MAX_SCHEMES][KRSEQ_SCHEME_SAVE];
};

/* The built-in rows' sequences (scheme_seqs.c) and kernel sides. */
extern const krseq_seq_fn krseq_builtin_seqs[KRSEQ_NR_SCHEMES][4][KRSEQ_NR_OPS];
extern const krseq_seq16_fn krseq_builtin_seqs16[KRSEQ_NR_SCHEMES][2];
#define KRSEQ__SIDE_DECL(n, name, q, k, ...)                                   \
	extern const struct krseq_kernel_side krseq_kernel_##k;                \
	extern const struct krseq_scheme *const krseq_mutants_##k[];
KRSEQ_FOR_EACH_SCHEME(KRSEQ__SIDE_DECL)
#undef KRSEQ__SIDE_DECL

/* schemes.c: the kernel sides that run, one per base scheme. */
int krseq_sides_setup(void);
/* kernel_side.c: run them at interrupt entry, and in reverse at exit. */
void krseq_sides_entry(struct krseq_irq_frame *f);
void krseq_sides_exit(struct krseq_irq_frame *f);
extern const struct krseq_kernel_side *krseq_sides[KRSEQ_MAX_SCHEMES];
extern _Atomic int krseq_nr_sides;

#endif /* KRSEQ_SCHEMES_INTERNAL_H */
