/* SPDX-License-Identifier: MIT */
/*
 * What each src/arch/<arch>/ provides: access to the interrupted context's
 * PC and registers in the signal's ucontext, the trap instruction that
 * forces an interrupt, and the install of the running CPU's offset. Nothing
 * else in the runtime knows which arch it runs on.
 */
#ifndef KRSEQ_ARCH_H
#define KRSEQ_ARCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

extern const char krseq_arch_name[];

uintptr_t krseq_arch_pc(const ucontext_t *uc);
void krseq_arch_set_pc(ucontext_t *uc, uintptr_t pc);
/* Register reg by its hardware number (x86_64 encoding, x0-x30, r0-r15). */
unsigned long *krseq_arch_reg(ucontext_t *uc, unsigned int reg);
extern const unsigned int krseq_arch_nr_regs;

/*
 * MARKER: the marker byte of register reg is reg + krseq_arch_marker_bias
 * (0 means closed, so an arch whose register 0 may hold an address adds
 * 1); krseq_arch_adds_offset() is true if the len bytes at insn begin the
 * instruction that brings the thread area's percpu_offset into reg.
 */
extern const unsigned int krseq_arch_marker_bias;
bool krseq_arch_adds_offset(const unsigned char *insn, unsigned int len,
			    unsigned int reg);

/* The trap: its bytes, its signal, and the PC of the trap that fired. */
extern const unsigned char krseq_arch_trap_insn[];
extern const unsigned int krseq_arch_trap_len;
extern const int krseq_arch_trap_signal;
uintptr_t krseq_arch_trap_pc(const siginfo_t *si, const ucontext_t *uc);

/*
 * The length of the instruction whose bytes begin at insn (up to 15 are
 * readable), or 0 for a form the decoder does not know (x86_64 knows the
 * integer forms compiled code and krseq's sequences use).
 */
unsigned int krseq_arch_insn_len(const unsigned char *insn);

/*
 * The instruction boundaries in [start, end) of a function that run()
 * calls once, into pcs (at most max, ascending); returns how many. aarch64
 * steps by 4 and s390x by the instruction-length code over the whole
 * range; x86_64, whose lengths only a decoder knows, single-steps the
 * function with the trap flag (from a breakpoint at start; calls out of
 * the range run free) and keeps the PCs it passes in the range.
 */
int krseq_arch_boundaries(uintptr_t start, uintptr_t end, void (*run)(void),
			  uintptr_t *pcs, int max);
/*
 * A trap-flag step, or a breakpoint of its own, while
 * krseq_arch_boundaries() traces; true if taken.
 */
bool krseq_arch_trace_step(const siginfo_t *si, ucontext_t *uc);
/* Writes n bytes of text at pc (trap.c): 0 or -errno. */
int krseq_text_write(uintptr_t pc, const unsigned char *bytes, unsigned int n);

/*
 * The offset of a thread that is not a task: any template plus it lies in
 * [it, 2 * it) or is not a valid address, and is never mapped. x86_64: the
 * GS base must be a canonical user address, and template + 2^46 is either
 * non-canonical or far above the program; aarch64 and s390x: 2^54 is above
 * every user address space (and below aarch64's tag byte).
 */
#ifdef __x86_64__
#define KRSEQ_NONTASK_OFFSET (1ul << 46)
#else
#define KRSEQ_NONTASK_OFFSET (1ul << 54)
#endif

/* Make off the offset the ops see (x86_64: the GS base). */
void krseq_arch_set_cpu_offset(unsigned long off);

#endif /* KRSEQ_ARCH_H */
