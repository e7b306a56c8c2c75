/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the instructions of <krseq/arch/template.h>'s helpers, and the
 * size traits every sequences file uses.
 *
 * The running CPU's offset is in the GS base, so plain, rs and seg reach
 * the copy as %gs:var(%rip) once inlined, as the kernel does. atomic,
 * sched and fixup need the copy's address in a register instead: a lock
 * prefix works on any address, and FIXUP needs a register to rewrite, so
 * they add krseq_ta.percpu_offset (%fs-relative TLS) to the template.
 *
 * Arming re-forms the descriptor's address on a restart (KRSEQ_ASM_ARM):
 * the scratch that carries it is reused inside the window.
 */
#ifndef KRSEQ_ARCH_X86_64_BITS_H
#define KRSEQ_ARCH_X86_64_BITS_H

#include <stdint.h>
#include <krseq/arch/template.h>

/*
 * The address register of every FIXUP sequence: %rsi (ModRM 6). Not one
 * of %rax/%rbx/%rcx/%rdx, which cmpxchg and cmpxchg16b take implicitly.
 */
#define KRSEQ_ARCH_FIXUP_REG 6
#define KRSEQ__X86_FIXUP_REGNAME "rsi"

/* Assembler text is laid out by hand. */
/* clang-format off */

/* The template's helpers. The descriptor's address is PIC. */
#define KRSEQ_ASM_LOAD_CS(cs) "leaq 8f(%%rip), %q[" cs "]\n\t"
#define KRSEQ_ASM_STORE_RSEQ_CS(cs) "movq %q[" cs "], %[rseq]\n"
/* KSEQ's disarm. */
#define KRSEQ_ASM_STORE_RSEQ_NULL "movq $0, %[rseq]\n\t"
#define KRSEQ_ASM_JUMP(to) "jmp " to
#define KRSEQ_ASM_PROGBITS "@progbits"

/* Size traits: type, suffix, operand modifier, zero-extending load, imm. */
#define KRSEQ__X86_T_1 uint8_t
#define KRSEQ__X86_T_2 uint16_t
#define KRSEQ__X86_T_4 uint32_t
#define KRSEQ__X86_T_8 uint64_t
#define KRSEQ__X86_S_1 "b"
#define KRSEQ__X86_S_2 "w"
#define KRSEQ__X86_S_4 "l"
#define KRSEQ__X86_S_8 "q"
#define KRSEQ__X86_R_1 "b"
#define KRSEQ__X86_R_2 "w"
#define KRSEQ__X86_R_4 "k"
#define KRSEQ__X86_R_8 "q"
/* Writing a 32-bit register clears bits 63:32, so results come back clean. */
#define KRSEQ__X86_LD_1 "movzbl %%gs:%[var], %k"
#define KRSEQ__X86_LD_2 "movzwl %%gs:%[var], %k"
#define KRSEQ__X86_LD_4 "movl %%gs:%[var], %k"
#define KRSEQ__X86_LD_8 "movq %%gs:%[var], %q"
#define KRSEQ__X86_LDA_1 "movzbl (%q[a]), %k"
#define KRSEQ__X86_LDA_2 "movzwl (%q[a]), %k"
#define KRSEQ__X86_LDA_4 "movl (%q[a]), %k"
#define KRSEQ__X86_LDA_8 "movq (%q[a]), %q"
/* 64-bit ops take only sign-extended 32-bit immediates. */
#define KRSEQ__X86_I_1 "ir"
#define KRSEQ__X86_I_2 "ir"
#define KRSEQ__X86_I_4 "ir"
#define KRSEQ__X86_I_8 "er"

#define KRSEQ__X86_T(N) KRSEQ__X86_T_##N
#define KRSEQ__X86_S(N) KRSEQ__X86_S_##N
#define KRSEQ__X86_I(N) KRSEQ__X86_I_##N
/* The copy, as %gs:var: an operand on the template, whose address it is. */
#define KRSEQ__X86_VAR(N, c) [var] c(*(KRSEQ__X86_T(N) *)tpl)
/* "%b[name]" and friends: name's register at size N. */
#define KRSEQ__X86_REG(N, name) "%" KRSEQ__X86_R_##N "[" name "]"
/* Zero-extending load of the copy into register operand name. */
#define KRSEQ__X86_LOAD(N, name) KRSEQ__X86_LD_##N "[" name "]\n\t"
#define KRSEQ__X86_LOADA(N, name) KRSEQ__X86_LDA_##N "[" name "]\n\t"
/* insn{N} %v, %gs:var */
#define KRSEQ__X86_TOGS(N, insn, name)                                         \
	insn KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, name) ", %%gs:%[var]\n\t"
/* insn{N} %v, (%a) */
#define KRSEQ__X86_TOA(N, insn, name)                                          \
	insn KRSEQ__X86_S(N) " " KRSEQ__X86_REG(N, name) ", (%q[a])\n\t"

#define KRSEQ__X86_OFF [off] "m"(krseq_ta.percpu_offset)

/*
 * The address register gets the offset with one instruction, as s390's
 * ag (atomic); or the offset read into it, then the template added from a
 * register the window never writes (sched, fixup: see ops.h).
 */
#define KRSEQ__X86_ATOMIC_ADDR "addq %[off], %q[a]\n\t"
#define KRSEQ__X86_SCHED_ADDR "movq %[off], %q[a]\n\taddq %q[tpl], %q[a]\n\t"

/* 16 bytes travel as two halves. */
#define KRSEQ__X86_LO(x) ((uint64_t)(x))
#define KRSEQ__X86_HI(x) ((uint64_t)((x) >> 64))
#define KRSEQ__X86_U128(lo, hi) ((unsigned __int128)(hi) << 64 | (lo))

#define KRSEQ__X86_ALL_SIZES(M) M(1) M(2) M(4) M(8)

/* clang-format on */

#endif /* KRSEQ_ARCH_X86_64_BITS_H */
