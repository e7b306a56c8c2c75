/* SPDX-License-Identifier: MIT */
/*
 * s390x (z196 and later: interlocked-access and distinct-operands
 * facilities): the instructions of <krseq/arch/template.h>'s helpers.
 *
 * Arming is one stg of the descriptor's address, formed by larl, into
 * krseq_ta.sched_rseq right before the window. rs re-forms it on a restart
 * (KRSEQ_ASM_ARM: its offset register carries the descriptor address
 * until the window opens, which saves a register); sched and fixup form it
 * once (KRSEQ_ASM_ARM_ONCE), and sched's restart also reloads the template
 * address, which ag consumes.
 *
 * 16-byte operands must be 16-byte aligned: cdsg and stpq require it.
 */
#ifndef KRSEQ_ARCH_S390X_BITS_H
#define KRSEQ_ARCH_S390X_BITS_H

#include <stdint.h>
#include <krseq/arch/template.h>

#if !defined(__ARCH__) || __ARCH__ < 9
/*
 * laa/lan/lao and the three-operand agrk need z196; a ".machine" in the
 * asm would instead leak into the compiler's own code after it.
 */
#error "krseq: the s390x per-CPU ops need -march=z196 (arch9) or later"
#endif

/* The register that holds the per-CPU address in every fixup sequence. */
#define KRSEQ_ARCH_FIXUP_REG 1
#define KRSEQ__S390_FIXUP_REGNAME "r1"

/* Assembler text is laid out by hand. */
/* clang-format off */

/* The template's helpers. */
#define KRSEQ_ASM_LOAD_CS(cs) "larl\t%[" cs "],8f\n\t"
#define KRSEQ_ASM_STORE_RSEQ_CS(cs) "stg\t%[" cs "],%[rseq]\n"
/* KSEQ's disarm: mvghi takes no index register, hence KRSEQ__S390_RSEQ_Q. */
#define KRSEQ_ASM_STORE_RSEQ_NULL "mvghi\t%[rseq],0\n\t"
#define KRSEQ_ASM_JUMP(to) "jg\t" to
#define KRSEQ_ASM_PROGBITS "@progbits"

/* The arming operands of sched and fixup (rs arms through [o]). */
#define KRSEQ__S390_OUT_ARMED , [cs] "=&a"(krseq__cs), KRSEQ_ASM_RSEQ_OUT
#define KRSEQ__S390_RSEQ_Q [rseq] "=Q"(krseq_ta.sched_rseq)

/* clang-format on */

#endif /* KRSEQ_ARCH_S390X_BITS_H */
