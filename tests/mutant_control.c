// SPDX-License-Identifier: MIT
/*
 * The mutants' negative control, a module for `krseq --load`: a scheme
 * whose one "mutant" is its own kernel side unchanged. No adversary can
 * kill it, so `krseq explore --mutants` must report it surviving and
 * fail.
 */
#include <krseq/percpu.h>
#include <krseq/scheme.h>

#include <stdio.h>

/* this_cpu_add at 8 bytes with interrupts off: correct with no kernel side. */
static uint64_t ctl_add(void *pcp, uint64_t a1, uint64_t a2)
{
	(void)a2;
	krseq_pcp_add(KRSEQ_PCP_IRQ, *(uint64_t *)pcp, a1);
	return 0;
}

static const struct krseq_scheme unchanged = {
	.name = "unchanged",
	.bug = "none: the scheme's own kernel side, a negative control",
};

static const struct krseq_scheme *const ctl_mutants[] = { &unchanged, NULL };

__attribute__((constructor)) static void register_control(void)
{
	struct krseq_scheme s = {
		.name = "t_ctl",
		.why = "the control writes add at 8 bytes only",
		.mutants = ctl_mutants,
	};

	s.seq[3][KRSEQ_OP_ADD] = ctl_add;
	if (krseq_scheme_register(&s) < 0)
		fprintf(stderr, "mutant_control: %s\n", krseq_last_error());
}
