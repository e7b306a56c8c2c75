/* SPDX-License-Identifier: MIT */
/*
 * aarch64 per-CPU ops: the instructions behind <krseq/arch/generic.h>'s
 * interface, whose header comment is the specification and whose C is the
 * reference semantics. One file per scheme, written against
 * <krseq/arch/template.h>; bits.h has the arch's instructions for the
 * template's helpers, ops.h the op bodies the schemes share.
 */
#ifndef KRSEQ_ARCH_AARCH64_H
#define KRSEQ_ARCH_AARCH64_H

#include <krseq/arch/aarch64/plain.h>
#include <krseq/arch/aarch64/atomic.h>
#include <krseq/arch/aarch64/restart.h>
#include <krseq/arch/aarch64/kseq.h>
#include <krseq/arch/aarch64/fixup.h>
#include <krseq/arch/aarch64/marker.h>

#endif /* KRSEQ_ARCH_AARCH64_H */
