/* SPDX-License-Identifier: MIT */
/*
 * The per-thread and per-CPU areas that inline ops and hand-written asm
 * address directly. Their layout is ABI: the offsets below are used from
 * assembly, so they are fixed and checked at compile time.
 */
#ifndef KRSEQ_THREAD_H
#define KRSEQ_THREAD_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* struct krseq_thread_area */
#define KRSEQ_TA_PERCPU_OFFSET 0 /* aarch64: stand-in for TPIDR_EL1 */
#define KRSEQ_TA_LOWCORE 8 /* s390x: stand-in for the prefix area */
#define KRSEQ_TA_SCHED_RSEQ 16 /* current->sched_rseq */
#define KRSEQ_TA_PREEMPT_COUNT 24
#define KRSEQ_TA_MARKER 56 /* MARKER's byte: the s390 lowcore's 960 */

/* struct krseq_lowcore */
#define KRSEQ_LC_PERCPU_OFFSET 0
#define KRSEQ_LC_SCHED_RSEQ 8 /* per-CPU placement of sched_rseq */
#define KRSEQ_LC_FIXUP_REG 16
#define KRSEQ_LC_MARKER 28 /* per-CPU placement of MARKER's byte */

#ifndef __ASSEMBLER__

struct krseq_rseq_cs;
struct krseq_task;

/*
 * One per CPU, the model of the s390 lowcore / powerpc paca. Under
 * per-CPU placement sched_rseq and marker hold the CPU's slots while no
 * task runs on it; a task that runs there has them in its thread area
 * (the prefixed view of its CPU's lowcore), and these stay empty.
 */
struct krseq_lowcore {
	unsigned long percpu_offset;
	const struct krseq_rseq_cs *volatile sched_rseq;
	unsigned long fixup_reg;
	int cpu;
	volatile unsigned char marker;
} __attribute__((aligned(64)));

/*
 * What the kernel keeps per task besides the preempt count, in every
 * layout of the thread area below.
 */
#define KRSEQ_TA_TASK_FIELDS                                                   \
	volatile unsigned char irqs_disabled;                                  \
	volatile unsigned char need_resched;                                   \
	volatile unsigned char need_resched_lazy;                              \
	volatile unsigned char in_sched;                                       \
	volatile unsigned int irq_pending;                                     \
	volatile unsigned int irq_depth;                                       \
	struct krseq_task *task;                                               \
	volatile unsigned int nmi_depth; /* of irq_depth, the NMIs */          \
	/* migrate_disable() nesting: the scheduler keeps the task's CPU. */   \
	volatile unsigned int migration_disabled;

#ifdef KRSEQ_ABI_KERNEL
/*
 * Compile-only, for krseq codegen --abi kernel: the header that defined
 * KRSEQ_ABI_KERNEL (tools/codegen/kernel/<arch>.h, included first) gives
 * struct krseq_thread_area and krseq_ta where the kernel keeps them.
 */
#else
/*
 * One per thread: what the kernel keeps in current/thread_info. Only the
 * thread itself and its own signal handlers write it, so plain accesses
 * with compiler barriers suffice.
 */
struct krseq_thread_area {
	unsigned long percpu_offset;
	struct krseq_lowcore *lowcore;
	const struct krseq_rseq_cs *volatile sched_rseq;
	volatile unsigned int preempt_count;
	KRSEQ_TA_TASK_FIELDS
	/*
	 * MARKER's open section: the number of the register that holds the
	 * per-CPU address (plus the arch's bias), 0 when closed. It sits
	 * beside percpu_offset, which the sequence adds next: the thread
	 * area is what always shows the running CPU here, as the prefixed
	 * lowcore does on s390, where the byte lives.
	 */
	volatile unsigned char marker;
};

extern __thread struct krseq_thread_area krseq_ta
	__attribute__((tls_model("initial-exec")));

_Static_assert(__builtin_offsetof(struct krseq_thread_area, percpu_offset) ==
		       KRSEQ_TA_PERCPU_OFFSET,
	       "thread area layout");
_Static_assert(__builtin_offsetof(struct krseq_thread_area, lowcore) ==
		       KRSEQ_TA_LOWCORE,
	       "thread area layout");
_Static_assert(__builtin_offsetof(struct krseq_thread_area, sched_rseq) ==
		       KRSEQ_TA_SCHED_RSEQ,
	       "thread area layout");
_Static_assert(__builtin_offsetof(struct krseq_thread_area, preempt_count) ==
		       KRSEQ_TA_PREEMPT_COUNT,
	       "thread area layout");
_Static_assert(__builtin_offsetof(struct krseq_thread_area, marker) ==
		       KRSEQ_TA_MARKER,
	       "thread area layout");
_Static_assert(__builtin_offsetof(struct krseq_lowcore, sched_rseq) ==
		       KRSEQ_LC_SCHED_RSEQ,
	       "lowcore layout");
_Static_assert(__builtin_offsetof(struct krseq_lowcore, fixup_reg) ==
		       KRSEQ_LC_FIXUP_REG,
	       "lowcore layout");
_Static_assert(__builtin_offsetof(struct krseq_lowcore, marker) ==
		       KRSEQ_LC_MARKER,
	       "lowcore layout");
#endif /* KRSEQ_ABI_KERNEL */

#define krseq_barrier() __asm__ __volatile__("" ::: "memory")

#endif /* __ASSEMBLER__ */
#endif /* KRSEQ_THREAD_H */
