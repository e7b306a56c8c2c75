/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU op sequences for s390x. The interface and the C semantics every
 * function must match are in <krseq/arch/generic.h>; these files hold only
 * instructions: one per scheme, written against <krseq/arch/template.h>;
 * bits.h has the arch's instructions for the template's helpers, ops.h
 * the op bodies the schemes share.
 */
#ifndef KRSEQ_ARCH_S390X_H
#define KRSEQ_ARCH_S390X_H

#include <krseq/arch/s390x/plain.h>
#include <krseq/arch/s390x/atomic.h>
#include <krseq/arch/s390x/restart.h>
#include <krseq/arch/s390x/kseq.h>
#include <krseq/arch/s390x/fixup.h>
#include <krseq/arch/s390x/marker.h>

#endif /* KRSEQ_ARCH_S390X_H */
