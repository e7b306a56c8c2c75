/* SPDX-License-Identifier: MIT */
/*
 * x86_64 per-CPU ops: instructions only. What each sequence must do is
 * specified, and done in C, by <krseq/arch/generic.h>, which is included
 * after this header and supplies whatever is not defined here. One file
 * per scheme, written against <krseq/arch/template.h>; bits.h has the
 * arch's instructions for the template's helpers.
 */
#ifndef KRSEQ_ARCH_X86_64_H
#define KRSEQ_ARCH_X86_64_H

#include <krseq/arch/x86_64/plain.h>
#include <krseq/arch/x86_64/atomic.h>
#include <krseq/arch/x86_64/restart.h>
#include <krseq/arch/x86_64/kseq.h>
#include <krseq/arch/x86_64/fixup.h>
#include <krseq/arch/x86_64/marker.h>
#include <krseq/arch/x86_64/segment.h>

#endif /* KRSEQ_ARCH_X86_64_H */
