/* SPDX-License-Identifier: MIT */
/*
 * x86_64 marker: s390's merged protocol in x86's shape (MARKER). A movb
 * opens the section with the number of the register that holds the
 * template address, plus 1 (%rax may be that register, and 0 means
 * closed); the very next instruction, "addq percpu_offset(%ta), %rn",
 * adds the running CPU's offset to it, as s390's ag does; then the one
 * locked instruction (or mov for read and write); then a movb of 0
 * closes. n is whatever register the compiler gave the address: the
 * assembler picks the movb whose register name matches it. The marker
 * and the offset are fields of the thread area, whose address is in
 * [ta].
 */
#ifndef KRSEQ_ARCH_X86_64_MARKER_H
#define KRSEQ_ARCH_X86_64_MARKER_H

#include <krseq/arch/x86_64/ops.h>

/* clang-format off */
#define KRSEQ__X86_MARKER(v)                                                   \
	"movb $" v ", " krseq_str(KRSEQ_TA_MARKER) "(%q[ta])\n\t"
#define KRSEQ__X86_MARK_IF(name, v)                                            \
	".ifc %q[a],%%" name "\n\t" KRSEQ__X86_MARKER(v) ".endif\n\t"
#define KRSEQ__ARM_marker(cs)                                                  \
	KRSEQ__X86_MARK_IF("rax", "1") KRSEQ__X86_MARK_IF("rcx", "2")          \
	KRSEQ__X86_MARK_IF("rdx", "3") KRSEQ__X86_MARK_IF("rbx", "4")          \
	KRSEQ__X86_MARK_IF("rsp", "5") KRSEQ__X86_MARK_IF("rbp", "6")          \
	KRSEQ__X86_MARK_IF("rsi", "7") KRSEQ__X86_MARK_IF("rdi", "8")          \
	KRSEQ__X86_MARK_IF("r8", "9") KRSEQ__X86_MARK_IF("r9", "10")           \
	KRSEQ__X86_MARK_IF("r10", "11") KRSEQ__X86_MARK_IF("r11", "12")        \
	KRSEQ__X86_MARK_IF("r12", "13") KRSEQ__X86_MARK_IF("r13", "14")        \
	KRSEQ__X86_MARK_IF("r14", "15") KRSEQ__X86_MARK_IF("r15", "16")
#define KRSEQ__CS_marker ""
#define KRSEQ__END_marker KRSEQ__X86_MARKER("0")
#define KRSEQ__OUT_marker
#define KRSEQ__AREG_marker                                                     \
	uintptr_t a = (uintptr_t)tpl, krseq__ta = (uintptr_t)&krseq_ta
#define KRSEQ__AOUT_marker [a] "+r"(a)
#define KRSEQ__ADDR_marker                                                     \
	"addq " krseq_str(KRSEQ_TA_PERCPU_OFFSET) "(%q[ta]), %q[a]\n\t"
#define KRSEQ__IN_marker , [ta] "r"(krseq__ta)

#define KRSEQ__X86_MARKER_N(N) KRSEQ__X86_ADDR(marker, N)
KRSEQ__X86_ALL_SIZES(KRSEQ__X86_MARKER_N)
KRSEQ__X86_ADDR16(marker)
/* clang-format on */

#endif /* KRSEQ_ARCH_X86_64_MARKER_H */
