/* SPDX-License-Identifier: MIT */
/*
 * Minimal hand-written per-CPU sections for the runtime's tests. Each
 * function takes (thread area in %r2, per-CPU variable template in %r3)
 * and is followed by a zero-terminated table of its instruction
 * boundaries, which the tests trap one at a time.
 */
#include <krseq/thread.h>
#include <krseq/rseq.h>

	.machine "z196"
	.text

/* RESTART, irq flavour: lowcore, offset, load/add/store. */
	.globl krseq_test_rs_inc
	.type krseq_test_rs_inc, @function
krseq_test_rs_inc:
	larl %r1, .Lrs_cs
.Lrs_arm:
	stg %r1, KRSEQ_TA_SCHED_RSEQ(%r2)
.Lrs_start:
	lg %r4, KRSEQ_TA_LOWCORE(%r2)
.Lrs_1:
	lg %r4, KRSEQ_LC_PERCPU_OFFSET(%r4)
.Lrs_2:
	lg %r5, 0(%r4,%r3)
.Lrs_3:
	aghi %r5, 1
.Lrs_4:
	stg %r5, 0(%r4,%r3)
.Lrs_commit:
	mvghi KRSEQ_TA_SCHED_RSEQ(%r2), 0
.Lrs_5:
	br %r14
.Lrs_restart:
	j .Lrs_arm
	.size krseq_test_rs_inc, . - krseq_test_rs_inc
	KRSEQ_CS .Lrs_cs, KRSEQ_CS_FLAVOUR_IRQ, .Lrs_start, .Lrs_commit, .Lrs_restart

/* The same with nothing armed: the negative control. */
	.globl krseq_test_plain_inc
	.type krseq_test_plain_inc, @function
krseq_test_plain_inc:
	lg %r4, KRSEQ_TA_LOWCORE(%r2)
.Lpl_1:
	lg %r4, KRSEQ_LC_PERCPU_OFFSET(%r4)
.Lpl_2:
	lg %r5, 0(%r4,%r3)
.Lpl_3:
	aghi %r5, 1
.Lpl_4:
	stg %r5, 0(%r4,%r3)
.Lpl_5:
	br %r14
	.size krseq_test_plain_inc, . - krseq_test_plain_inc

/*
 * FIXUP, the shape of the s390 series: one instruction adds the offset
 * (ag from the thread area, which like the prefixed lowcore always shows
 * the running CPU), then one laag. %r4 holds the address.
 */
	.globl krseq_test_fixup_inc
	.type krseq_test_fixup_inc, @function
krseq_test_fixup_inc:
	larl %r1, .Lfx_cs
	lghi %r5, 1
	lgr %r4, %r3
.Lfx_arm:
	stg %r1, KRSEQ_TA_SCHED_RSEQ(%r2)
.Lfx_start:
	ag %r4, KRSEQ_TA_PERCPU_OFFSET(%r2)
.Lfx_1:
	laag %r0, %r5, 0(%r4)
.Lfx_commit:
	mvghi KRSEQ_TA_SCHED_RSEQ(%r2), 0
.Lfx_2:
	br %r14
	.size krseq_test_fixup_inc, . - krseq_test_fixup_inc
	KRSEQ_CS .Lfx_cs, KRSEQ_CS_FIXUP, .Lfx_start, .Lfx_commit, 0, 4

/* ATOMIC, nothing armed: a migration defeats it. */
	.globl krseq_test_atomic_inc
	.type krseq_test_atomic_inc, @function
krseq_test_atomic_inc:
	lghi %r5, 1
	lgr %r4, %r3
.Lat_0:
	ag %r4, KRSEQ_TA_PERCPU_OFFSET(%r2)
.Lat_1:
	laag %r0, %r5, 0(%r4)
.Lat_commit:
	br %r14
	.size krseq_test_atomic_inc, . - krseq_test_atomic_inc

	.globl krseq_test_site
	.type krseq_test_site, @function
krseq_test_site:
	nopr %r7
	br %r14
	.size krseq_test_site, . - krseq_test_site

	.globl krseq_test_dummy
	.type krseq_test_dummy, @function
krseq_test_dummy:
	nopr %r7
	nopr %r7
	nopr %r7
	br %r14
	.size krseq_test_dummy, . - krseq_test_dummy

	.section .data.rel.ro, "aw"
	.balign 8
	.globl krseq_test_rs_inc_pcs, krseq_test_plain_inc_pcs
	.globl krseq_test_fixup_inc_pcs, krseq_test_atomic_inc_pcs
	.globl krseq_test_fixup_commit, krseq_test_atomic_commit
krseq_test_rs_inc_pcs:
	.quad krseq_test_rs_inc, .Lrs_arm, .Lrs_start, .Lrs_1, .Lrs_2, .Lrs_3
	.quad .Lrs_4, .Lrs_commit, .Lrs_5, 0
krseq_test_plain_inc_pcs:
	.quad krseq_test_plain_inc, .Lpl_1, .Lpl_2, .Lpl_3, .Lpl_4, .Lpl_5, 0
krseq_test_fixup_inc_pcs:
	.quad .Lfx_arm, .Lfx_start, .Lfx_1, .Lfx_commit, .Lfx_2, 0
krseq_test_atomic_inc_pcs:
	.quad .Lat_0, .Lat_1, .Lat_commit, 0
krseq_test_fixup_commit:
	.quad .Lfx_commit
krseq_test_atomic_commit:
	.quad .Lat_commit

	.section .note.GNU-stack, "", @progbits
