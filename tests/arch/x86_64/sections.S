/* SPDX-License-Identifier: MIT */
/*
 * Minimal hand-written per-CPU sections for the runtime's tests. Each
 * function takes (thread area, per-CPU variable template) and is followed
 * by a zero-terminated table of its instruction boundaries, which the tests
 * trap one at a time.
 */
#include <krseq/thread.h>
#include <krseq/rseq.h>

	.text

/* RESTART, irq flavour: load/add/store through the GS base. */
	.globl krseq_test_rs_inc
	.type krseq_test_rs_inc, @function
krseq_test_rs_inc:
	leaq .Lrs_cs(%rip), %rax
.Lrs_arm:
	movq %rax, KRSEQ_TA_SCHED_RSEQ(%rdi)
.Lrs_start:
	movq %gs:(%rsi), %rdx
.Lrs_1:
	addq $1, %rdx
.Lrs_2:
	movq %rdx, %gs:(%rsi)
.Lrs_commit:
	movq $0, KRSEQ_TA_SCHED_RSEQ(%rdi)
.Lrs_3:
	ret
.Lrs_restart:
	jmp .Lrs_arm
	.size krseq_test_rs_inc, . - krseq_test_rs_inc
	KRSEQ_CS .Lrs_cs, KRSEQ_CS_FLAVOUR_IRQ, .Lrs_start, .Lrs_commit, .Lrs_restart

/* The same load/add/store with nothing armed: the negative control. */
	.globl krseq_test_plain_inc
	.type krseq_test_plain_inc, @function
krseq_test_plain_inc:
	movq %gs:(%rsi), %rdx
.Lpl_1:
	addq $1, %rdx
.Lpl_2:
	movq %rdx, %gs:(%rsi)
.Lpl_3:
	ret
	.size krseq_test_plain_inc, . - krseq_test_plain_inc

/*
 * FIXUP: read the offset, add the template address, one atomic op. %rdx
 * (register 2) holds the offset, then the address.
 */
	.globl krseq_test_fixup_inc
	.type krseq_test_fixup_inc, @function
krseq_test_fixup_inc:
	leaq .Lfx_cs(%rip), %rax
.Lfx_arm:
	movq %rax, KRSEQ_TA_SCHED_RSEQ(%rdi)
.Lfx_start:
	movq KRSEQ_TA_PERCPU_OFFSET(%rdi), %rdx
.Lfx_1:
	addq %rsi, %rdx
.Lfx_2:
	lock incq (%rdx)
.Lfx_commit:
	movq $0, KRSEQ_TA_SCHED_RSEQ(%rdi)
.Lfx_3:
	ret
	.size krseq_test_fixup_inc, . - krseq_test_fixup_inc
	KRSEQ_CS .Lfx_cs, KRSEQ_CS_FIXUP, .Lfx_start, .Lfx_commit, 0, 2

/* The same with nothing armed: ATOMIC, which a migration defeats. */
	.globl krseq_test_atomic_inc
	.type krseq_test_atomic_inc, @function
krseq_test_atomic_inc:
	movq KRSEQ_TA_PERCPU_OFFSET(%rdi), %rdx
.Lat_1:
	addq %rsi, %rdx
.Lat_2:
	lock incq (%rdx)
.Lat_commit:
	ret
	.size krseq_test_atomic_inc, . - krseq_test_atomic_inc

/* A site to force an interrupt at, outside every window. */
	.globl krseq_test_site
	.type krseq_test_site, @function
krseq_test_site:
	nop
	ret
	.size krseq_test_site, . - krseq_test_site

/* Never executed: the window of descriptors armed only to be saved. */
	.globl krseq_test_dummy
	.type krseq_test_dummy, @function
krseq_test_dummy:
	nop
	nop
	nop
	ret
	.size krseq_test_dummy, . - krseq_test_dummy

	.section .data.rel.ro, "aw"
	.balign 8
	.globl krseq_test_rs_inc_pcs, krseq_test_plain_inc_pcs
	.globl krseq_test_fixup_inc_pcs, krseq_test_atomic_inc_pcs
	.globl krseq_test_fixup_commit, krseq_test_atomic_commit
krseq_test_rs_inc_pcs:
	.quad krseq_test_rs_inc, .Lrs_arm, .Lrs_start, .Lrs_1, .Lrs_2
	.quad .Lrs_commit, .Lrs_3, 0
krseq_test_plain_inc_pcs:
	.quad krseq_test_plain_inc, .Lpl_1, .Lpl_2, .Lpl_3, 0
krseq_test_fixup_inc_pcs:
	.quad krseq_test_fixup_inc, .Lfx_arm, .Lfx_start, .Lfx_1, .Lfx_2
	.quad .Lfx_commit, .Lfx_3, 0
krseq_test_atomic_inc_pcs:
	.quad krseq_test_atomic_inc, .Lat_1, .Lat_2, .Lat_commit, 0
krseq_test_fixup_commit:
	.quad .Lfx_commit
krseq_test_atomic_commit:
	.quad .Lat_commit

	.section .note.GNU-stack, "", @progbits
