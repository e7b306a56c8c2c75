/* SPDX-License-Identifier: MIT */
/*
 * The explorer examples' driver: a correct target and its broken twin,
 * each explored with every adversary.
 */
#ifndef KRSEQ_EXAMPLE_TWINS_H
#define KRSEQ_EXAMPLE_TWINS_H

#include <krseq/explore.h>

/*
 * 0 if correct shows no violation and broken is caught, every violation
 * naming a boundary of broken's own function (the target's name); else 1.
 */
int explore_twins(const struct krseq_explore_target *correct,
		  const struct krseq_explore_target *broken);

#endif
