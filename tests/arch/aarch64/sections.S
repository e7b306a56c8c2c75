/* SPDX-License-Identifier: MIT */
/*
 * Minimal hand-written per-CPU sections for the runtime's tests. Each
 * function takes (thread area, per-CPU variable template) and is followed
 * by a zero-terminated table of its instruction boundaries, which the tests
 * trap one at a time. The offset is read from the thread area, the
 * stand-in for TPIDR_EL1.
 */
#include <krseq/thread.h>
#include <krseq/rseq.h>

	.arch armv8-a+lse
	.text

/* RESTART, irq flavour: offset, load/add/store. */
	.globl krseq_test_rs_inc
	.type krseq_test_rs_inc, %function
krseq_test_rs_inc:
	adrp x2, .Lrs_cs
	add x2, x2, :lo12:.Lrs_cs
.Lrs_arm:
	str x2, [x0, #KRSEQ_TA_SCHED_RSEQ]
.Lrs_start:
	ldr x3, [x0, #KRSEQ_TA_PERCPU_OFFSET]
.Lrs_1:
	ldr x4, [x1, x3]
.Lrs_2:
	add x4, x4, #1
.Lrs_3:
	str x4, [x1, x3]
.Lrs_commit:
	str xzr, [x0, #KRSEQ_TA_SCHED_RSEQ]
.Lrs_4:
	ret
.Lrs_restart:
	b .Lrs_arm
	.size krseq_test_rs_inc, . - krseq_test_rs_inc
	KRSEQ_CS .Lrs_cs, KRSEQ_CS_FLAVOUR_IRQ, .Lrs_start, .Lrs_commit, .Lrs_restart

/* The same with nothing armed: the negative control. */
	.globl krseq_test_plain_inc
	.type krseq_test_plain_inc, %function
krseq_test_plain_inc:
	ldr x3, [x0, #KRSEQ_TA_PERCPU_OFFSET]
.Lpl_1:
	ldr x4, [x1, x3]
.Lpl_2:
	add x4, x4, #1
.Lpl_3:
	str x4, [x1, x3]
.Lpl_4:
	ret
	.size krseq_test_plain_inc, . - krseq_test_plain_inc

/* FIXUP with LSE: x3 holds the offset, then the address. */
	.globl krseq_test_fixup_inc_lse
	.type krseq_test_fixup_inc_lse, %function
krseq_test_fixup_inc_lse:
	adrp x2, .Lfx_cs
	add x2, x2, :lo12:.Lfx_cs
	mov x4, #1
.Lfx_arm:
	str x2, [x0, #KRSEQ_TA_SCHED_RSEQ]
.Lfx_start:
	ldr x3, [x0, #KRSEQ_TA_PERCPU_OFFSET]
.Lfx_1:
	add x3, x3, x1
.Lfx_2:
	stadd x4, [x3]
.Lfx_commit:
	str xzr, [x0, #KRSEQ_TA_SCHED_RSEQ]
.Lfx_3:
	ret
	.size krseq_test_fixup_inc_lse, . - krseq_test_fixup_inc_lse
	KRSEQ_CS .Lfx_cs, KRSEQ_CS_FIXUP, .Lfx_start, .Lfx_commit, 0, 3

/*
 * FIXUP with LL/SC: an interrupt clears the exclusive monitor, so a loop
 * interrupted after ldxr retries with the fixed-up address.
 */
	.globl krseq_test_fixup_inc_llsc
	.type krseq_test_fixup_inc_llsc, %function
krseq_test_fixup_inc_llsc:
	adrp x2, .Lfy_cs
	add x2, x2, :lo12:.Lfy_cs
.Lfy_arm:
	str x2, [x0, #KRSEQ_TA_SCHED_RSEQ]
.Lfy_start:
	ldr x3, [x0, #KRSEQ_TA_PERCPU_OFFSET]
.Lfy_1:
	add x3, x3, x1
.Lfy_2:
	ldxr x5, [x3]
.Lfy_3:
	add x5, x5, #1
.Lfy_4:
	stxr w6, x5, [x3]
.Lfy_5:
	cbnz w6, .Lfy_2
.Lfy_commit:
	str xzr, [x0, #KRSEQ_TA_SCHED_RSEQ]
.Lfy_6:
	ret
	.size krseq_test_fixup_inc_llsc, . - krseq_test_fixup_inc_llsc
	KRSEQ_CS .Lfy_cs, KRSEQ_CS_FIXUP, .Lfy_start, .Lfy_commit, 0, 3

/* ATOMIC with LSE, nothing armed: a migration defeats it. */
	.globl krseq_test_atomic_inc_lse
	.type krseq_test_atomic_inc_lse, %function
krseq_test_atomic_inc_lse:
	mov x4, #1
	ldr x3, [x0, #KRSEQ_TA_PERCPU_OFFSET]
.Lat_1:
	add x3, x3, x1
.Lat_2:
	stadd x4, [x3]
.Lat_commit:
	ret
	.size krseq_test_atomic_inc_lse, . - krseq_test_atomic_inc_lse

	.globl krseq_test_atomic_inc_llsc
	.type krseq_test_atomic_inc_llsc, %function
krseq_test_atomic_inc_llsc:
	ldr x3, [x0, #KRSEQ_TA_PERCPU_OFFSET]
.Lau_1:
	add x3, x3, x1
.Lau_2:
	ldxr x5, [x3]
	add x5, x5, #1
	stxr w6, x5, [x3]
	cbnz w6, .Lau_2
.Lau_commit:
	ret
	.size krseq_test_atomic_inc_llsc, . - krseq_test_atomic_inc_llsc

	.globl krseq_test_site
	.type krseq_test_site, %function
krseq_test_site:
	nop
	ret
	.size krseq_test_site, . - krseq_test_site

	.globl krseq_test_dummy
	.type krseq_test_dummy, %function
krseq_test_dummy:
	nop
	nop
	nop
	ret
	.size krseq_test_dummy, . - krseq_test_dummy

	.section .data.rel.ro, "aw"
	.balign 8
	.globl krseq_test_rs_inc_pcs, krseq_test_plain_inc_pcs
	.globl krseq_test_fixup_inc_lse_pcs, krseq_test_fixup_inc_llsc_pcs
	.globl krseq_test_atomic_inc_lse_pcs, krseq_test_atomic_inc_llsc_pcs
	.globl krseq_test_fixup_lse_commit, krseq_test_fixup_llsc_commit
	.globl krseq_test_atomic_lse_commit, krseq_test_atomic_llsc_commit
krseq_test_rs_inc_pcs:
	.quad krseq_test_rs_inc, krseq_test_rs_inc + 4, .Lrs_arm, .Lrs_start
	.quad .Lrs_1, .Lrs_2, .Lrs_3, .Lrs_commit, .Lrs_4, 0
krseq_test_plain_inc_pcs:
	.quad krseq_test_plain_inc, .Lpl_1, .Lpl_2, .Lpl_3, .Lpl_4, 0
krseq_test_fixup_inc_lse_pcs:
	.quad .Lfx_arm, .Lfx_start, .Lfx_1, .Lfx_2, .Lfx_commit, .Lfx_3, 0
krseq_test_fixup_inc_llsc_pcs:
	.quad .Lfy_arm, .Lfy_start, .Lfy_1, .Lfy_2, .Lfy_3, .Lfy_4, .Lfy_5
	.quad .Lfy_commit, .Lfy_6, 0
krseq_test_atomic_inc_lse_pcs:
	.quad krseq_test_atomic_inc_lse + 4, .Lat_1, .Lat_2, .Lat_commit, 0
krseq_test_atomic_inc_llsc_pcs:
	.quad krseq_test_atomic_inc_llsc, .Lau_1, .Lau_2, .Lau_commit, 0
krseq_test_fixup_lse_commit:
	.quad .Lfx_commit
krseq_test_fixup_llsc_commit:
	.quad .Lfy_5 /* the store-exclusive has succeeded */
krseq_test_atomic_lse_commit:
	.quad .Lat_commit
krseq_test_atomic_llsc_commit:
	.quad .Lau_commit

	.section .note.GNU-stack, "", %progbits
