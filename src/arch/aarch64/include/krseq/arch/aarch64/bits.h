/* SPDX-License-Identifier: MIT */
/*
 * aarch64: the instructions of <krseq/arch/template.h>'s helpers.
 *
 * The running CPU's offset is krseq_ta.percpu_offset, TPIDR_EL1's stand-in.
 * It is read through a memory operand inside each sequence, so that in the
 * armed ones the read is inside the window and a restart or fix-up covers
 * it; the thread area's base register then also serves the arming store,
 * which keeps an armed sequence three instructions (adrp, add, str) above
 * the plain one.
 *
 * The descriptor's address is formed once, before label 1
 * (KRSEQ_ASM_ARM_ONCE): no window writes [cs], so the restart stub goes
 * straight back to the store.
 */
#ifndef KRSEQ_ARCH_AARCH64_BITS_H
#define KRSEQ_ARCH_AARCH64_BITS_H

#include <stdint.h>
#include <krseq/arch/template.h>

/* The register a FIXUP sequence forms the per-CPU address in (tpl + offset). */
#define KRSEQ_ARCH_FIXUP_REG 9

/* Set by a constructor in lse.c; 0 (LL/SC, always correct) until then. */
extern int krseq_arch_has_lse;

/*
 * krseq codegen compiles one alternative at a time, as the kernel patches
 * one in place: KRSEQ_A64_ALT_LSE or KRSEQ_A64_ALT_LLSC.
 */
#if defined(KRSEQ_A64_ALT_LLSC)
#define krseq__a64_lse() 0
#elif defined(__ARM_FEATURE_ATOMICS) || defined(KRSEQ_A64_ALT_LSE)
#define krseq__a64_lse() 1
#else
#define krseq__a64_lse() __builtin_expect(krseq_arch_has_lse, 1)
#endif

/* Assembler text is laid out by hand. */
/* clang-format off */

/* The template's helpers. */
#define KRSEQ_ASM_LOAD_CS(cs)                                                 \
	"adrp	%[" cs "], 8f\n\t"                                            \
	"add	%[" cs "], %[" cs "], :lo12:8f\n"
#define KRSEQ_ASM_STORE_RSEQ_CS(cs) "str	%[" cs "], %[rseq]\n"
/* KSEQ's disarm. */
#define KRSEQ_ASM_STORE_RSEQ_NULL "str\txzr, %[rseq]\n\t"
#define KRSEQ_ASM_JUMP(to) "b	" to
#define KRSEQ_ASM_PROGBITS "%%progbits"

/* The arming operands of every armed sequence. */
#define KRSEQ__A64_OUT_ARMED                                                  \
	, [cs] "=&r"(krseq__cs), KRSEQ_ASM_RSEQ_OUT

#define KRSEQ__A64_LSE ".arch_extension lse\n\t"

/*
 * "Q", a bare base register: every sequence then reaches the thread area
 * the same way, so the simulation's cost of locating it (the TLS address)
 * is equal across sequences and only the protection differs, as in the
 * kernel, where the offset is one mrs of TPIDR_EL1 in all of them. With
 * "m", plain alone could use [tp, tls_offset] and save the add that an
 * armed sequence needs anyway to reach two fields of the thread area.
 */
#ifdef KRSEQ_ABI_KERNEL
/* The kernel's offset is TPIDR_EL1 itself (tools/codegen/kernel/). */
#define KRSEQ__A64_PCPU [pcpu] "i"(0)
#define KRSEQ__A64_OFF(r) "mrs	%[" r "], tpidr_el1\n\t"
#else
#define KRSEQ__A64_PCPU [pcpu] "Q"(krseq_ta.percpu_offset)
#define KRSEQ__A64_OFF(r) "ldr	%[" r "], %[pcpu]\n\t"
#endif

/* clang-format on */

#endif /* KRSEQ_ARCH_AARCH64_BITS_H */
