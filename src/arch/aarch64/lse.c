// SPDX-License-Identifier: MIT
/*
 * Whether the CPU has the LSE atomics, for the per-CPU ops to choose
 * between LSE and LL/SC at run time: the same binary must run on both
 * (qemu-aarch64's default CPU has LSE, -cpu cortex-a57 has not).
 */
#include <sys/auxv.h>
#include <krseq/arch/aarch64.h>

#ifndef HWCAP_ATOMICS
#define HWCAP_ATOMICS (1 << 8)
#endif

int krseq_arch_has_lse;

/* Before main, so that ops run by the program see the final answer. */
__attribute__((constructor)) static void krseq_arch_detect_lse(void)
{
	krseq_arch_has_lse = !!(getauxval(AT_HWCAP) & HWCAP_ATOMICS);
}
