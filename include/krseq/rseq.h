/* SPDX-License-Identifier: MIT */
/*
 * Restartable and fix-up section descriptors, as proposed for in-kernel
 * rseq. A descriptor is armed by storing its address in current->sched_rseq
 * (krseq_ta.sched_rseq) or in the running CPU's lowcore; interrupt exit
 * consults it for the interrupted PC.
 *
 * Descriptors live in the ELF section "krseq_cs" so that the runtime can
 * enumerate them and refuse a pointer that is not one of them, as the
 * kernel validates rseq_cs.
 */
#ifndef KRSEQ_RSEQ_H
#define KRSEQ_RSEQ_H

/* What restarts a RESTART section. */
#define KRSEQ_CS_RESTART_IRQ 0x1 /* any interrupt landing in the window */
#define KRSEQ_CS_RESTART_PREEMPT 0x2 /* a preemption in the window */
#define KRSEQ_CS_RESTART_MIGRATE 0x4 /* a change of CPU in the window */
/* A FIXUP section: rewrite fixup_reg by new_offset - old_offset instead. */
#define KRSEQ_CS_FIXUP 0x8
/*
 * A KSEQ section (Peter Zijlstra's shape): it disarms after its commit and
 * restarts at its start itself (abort_ip == start_ip, no stub). Its own
 * kernel side claims it; RESTART's leaves it alone.
 */
#define KRSEQ_CS_KSEQ 0x10

/* Literals, so that a GNU as macro takes them as one argument. */
#define KRSEQ_CS_FLAVOUR_IRQ 0x7 /* RESTART_IRQ | _PREEMPT | _MIGRATE */
#define KRSEQ_CS_FLAVOUR_SCHED 0x6 /* RESTART_PREEMPT | _MIGRATE */
#define KRSEQ_CS_KSEQ_IRQ 0x17 /* KSEQ | FLAVOUR_IRQ */
#define KRSEQ_CS_KSEQ_SCHED 0x16 /* KSEQ | FLAVOUR_SCHED */

#define KRSEQ_CS_VERSION 0
#define KRSEQ_CS_SIZE 40
#define KRSEQ_CS_SECTION krseq_cs

#define __krseq_str(x) #x
#define krseq_str(x) __krseq_str(x)

/* Assembler text is laid out by hand. */
/* clang-format off */
/*
 * Emit a descriptor from assembly (a .S file or inline asm). start is the
 * first instruction after the arming store, commit the address just after
 * the commit instruction, restart the label to resume at. reg is the arch
 * register number holding the per-CPU address (FIXUP only, else 0).
 */
#define KRSEQ_CS_ASM(label, flags, start, commit, restart, reg)                \
	".pushsection " krseq_str(KRSEQ_CS_SECTION) ", \"aw\"\n\t"             \
	".balign 8\n" #label ":\n\t"                                           \
	".long " krseq_str(KRSEQ_CS_VERSION) ", " #flags "\n\t"                \
	".quad " #start ", " #commit ", " #restart "\n\t"                      \
	".long " #reg ", 0\n\t"                                                \
	".popsection\n\t"

#ifdef __ASSEMBLER__
/* The same for .S files. */
.macro KRSEQ_CS label, flags, start, commit, restart, reg=0
	.pushsection krseq_cs, "aw"
	.balign 8
\label:
	.long KRSEQ_CS_VERSION, \flags
	.quad \start, \commit, \restart
	.long \reg, 0
	.popsection
.endm
#else
/* clang-format on */
#include <stdint.h>

struct krseq_rseq_cs {
	uint32_t version;
	uint32_t flags;
	uint64_t start_ip;
	uint64_t post_commit_ip;
	uint64_t abort_ip;
	uint32_t fixup_reg;
	uint32_t reserved;
} __attribute__((aligned(8)));

_Static_assert(sizeof(struct krseq_rseq_cs) == KRSEQ_CS_SIZE,
	       "descriptor layout is ABI");

/*
 * Define a descriptor in C. The explicit alignment keeps the compiler from
 * padding it (x86_64 aligns 32-byte objects to 32), so that descriptors
 * pack at KRSEQ_CS_SIZE strides, which the validation relies on.
 */
#define KRSEQ_CS_DEFINE(name)                                                  \
	struct krseq_rseq_cs name __attribute__((                              \
		section(krseq_str(KRSEQ_CS_SECTION)), used, aligned(8)))

/*
 * Why a descriptor is refused, or NULL when it is fine. The runtime calls
 * this before it trusts a descriptor found armed; tests call it directly.
 */
const char *krseq_cs_check(const struct krseq_rseq_cs *cs);

/* Number of descriptors registered by every object in the process. */
unsigned int krseq_cs_count(void);
#endif /* __ASSEMBLER__ */

#endif /* KRSEQ_RSEQ_H */
