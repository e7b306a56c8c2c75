/* SPDX-License-Identifier: MIT */
/*
 * s390x marker: the merged protocol of "s390: Improve this_cpu
 * operations" (MARKER). mviy writes the number of the register that holds
 * the template address into the marker byte (the section is open); the
 * very next instruction is atomic's "ag %rn" of the running CPU's offset;
 * then the one interlocked-access instruction (or cs); then "mviy 0"
 * closes. n is whatever register the compiler gave the address: the
 * assembler picks the mviy whose register name matches it. The marker
 * and the offset are reached through the thread area (its address in
 * [ta]), where the kernel reaches lowcore 960 and 952 at absolute
 * addresses. At 4, 8 and 16 bytes: as in the kernel, 1- and 2-byte ops
 * have no interlocked instruction and stay preempt-protected loops.
 */
#ifndef KRSEQ_ARCH_S390X_MARKER_H
#define KRSEQ_ARCH_S390X_MARKER_H

#include <krseq/arch/s390x/ops.h>

/* clang-format off */
#ifdef KRSEQ_ABI_KERNEL
/* The lowcore at absolute 0: the byte has no base, as 960 in the kernel. */
#define KRSEQ__S390_MARKER(v) "mviy\t%[mk]," v "\n\t"
#define KRSEQ__S390_MARKER_TA
#define KRSEQ__IN_marker , [mk] "QS"(krseq_ta.marker)
#else
#define KRSEQ__S390_MARKER(v)                                                  \
	"mviy\t" krseq_str(KRSEQ_TA_MARKER) "(%[ta])," v "\n\t"
#define KRSEQ__S390_MARKER_TA , krseq__ta = (uintptr_t)&krseq_ta
#define KRSEQ__IN_marker , [ta] "a"(krseq__ta)
#endif
#define KRSEQ__ARM_marker(cs)                                                  \
	".irp krseq_r,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"                \
	".ifc %[a],%%r\\krseq_r\n\t"                                           \
	KRSEQ__S390_MARKER("\\krseq_r")                                        \
	".endif\n\t"                                                           \
	".endr\n\t"
#define KRSEQ__END_marker KRSEQ__S390_MARKER("0")
#define KRSEQ__OUT_marker
#define KRSEQ__AREG_marker                                                     \
	uintptr_t krseq__a = (uintptr_t)tpl KRSEQ__S390_MARKER_TA
#define KRSEQ__AOUT_marker [a] "+a"(krseq__a)
#define KRSEQ__XCHG_marker KRSEQ__S390_XCHG_LOOP

KRSEQ__S390_GEN_AT48(marker)
/* clang-format on */

#endif /* KRSEQ_ARCH_S390X_MARKER_H */
