/* SPDX-License-Identifier: MIT */
/*
 * krseq: a simulated SMP machine in one process, for prototyping how the
 * kernel's per-CPU operations are protected. Threads are tasks, simulated
 * CPUs are handed between them, and signals are interrupts.
 *
 * Include this header first; krseq_init() brings the machine up and adopts
 * the calling thread as the first task.
 */
#ifndef KRSEQ_KRSEQ_H
#define KRSEQ_KRSEQ_H

#include <stdbool.h>
#include <stdint.h>
#include <krseq/thread.h>
#include <krseq/rseq.h>
#include <krseq/sections.h>
#include <krseq/section_stats.h>
#include <krseq/percpu-defs.h>
#include <krseq/preempt.h>
#include <krseq/report.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KRSEQ_MAX_CPUS 64
#define KRSEQ_MAX_TASKS 256

enum krseq_preempt_model {
	KRSEQ_PREEMPT_NONE, /* kernel code is never preempted */
	KRSEQ_PREEMPT_VOLUNTARY, /* ... but at cond_resched()/might_resched() */
	KRSEQ_PREEMPT_FULL, /* at interrupt exit and preempt_enable() */
	KRSEQ_PREEMPT_LAZY, /* FULL, but a tick request waits one tick */
};

enum krseq_migrate {
	KRSEQ_MIGRATE_NEVER, /* a task stays on the CPU it first ran on */
	KRSEQ_MIGRATE_RANDOM, /* any free CPU, chosen from the seed */
	KRSEQ_MIGRATE_ALWAYS, /* every switch moves the task: worst case */
};

/*
 * Where an armed scheme keeps its pointer (sched_rseq) or its marker while
 * a task runs. The sequences address the same slot either way; what
 * changes is whose it is: the task's, which moves with it, or the running
 * CPU's, as the s390 lowcore and the powerpc paca hold it, which the
 * scheduler leaves in the CPU's lowcore when the task gives the CPU up and
 * takes from the lowcore of the CPU it gets. Only an entry path that saves
 * the slot and an exit path that restores it on the CPU it returns on keep
 * a per-CPU pointer with its task across a migration.
 */
enum krseq_placement {
	KRSEQ_PLACE_TASK, /* current->sched_rseq: the default */
	KRSEQ_PLACE_CPU, /* the running CPU's lowcore */
	KRSEQ_NR_PLACEMENTS
};

enum krseq_irq {
	KRSEQ_IRQ_TICK, /* per-task timer */
	KRSEQ_IRQ_IPI, /* reschedule IPI */
	KRSEQ_IRQ_NMI, /* not maskable, nests into interrupt handlers */
	KRSEQ_IRQ_FORCED, /* an interrupt forced at a trap, see krseq_trap_arm() */
	KRSEQ_NR_IRQS
};

struct krseq_config {
	int nr_cpus; /* 1..KRSEQ_MAX_CPUS; 0 means the default, 4 */
	unsigned int tick_us; /* tick period; 0: no tick */
	enum krseq_preempt_model model;
	enum krseq_migrate migrate;
	uint64_t seed;
	/* Signals used as interrupts; 0 picks the default. */
	int sig_tick; /* SIGALRM */
	int sig_ipi; /* SIGUSR1 */
	int sig_nmi; /* SIGUSR2 */
	/* A task waiting longer than this for a CPU is a stuck machine. */
	unsigned int watchdog_ms; /* 0: 20000 */
	/* Called with the report; default: print it and abort(). */
	void (*on_stuck)(const char *report, void *arg);
	void *on_stuck_arg;
	enum krseq_placement placement; /* of sched_rseq and the marker */
};

/* A zeroed config plus this gives the documented defaults. */
#define KRSEQ_CONFIG_DEFAULT                                                   \
	{                                                                      \
		.nr_cpus = 4, .model = KRSEQ_PREEMPT_FULL,                     \
		.migrate = KRSEQ_MIGRATE_RANDOM, .seed = 1                     \
	}

/*
 * Bring the machine up and adopt the calling thread as task 0, running on
 * CPU 0. Returns 0, or a negative errno with krseq_last_error() saying why.
 */
int krseq_init(const struct krseq_config *cfg);
/*
 * Tear it down. Every other task must have been joined: if one is not, the
 * machine stays up and this returns -EBUSY, naming the tasks (also on
 * stderr). Returns 0 once the machine is down.
 */
int krseq_exit(void);
const char *krseq_last_error(void);
const struct krseq_config *krseq_config(void);

/* Tasks. */
struct krseq_task *krseq_task_create(void *(*fn)(void *), void *arg);
void *krseq_task_join(struct krseq_task *t);
int krseq_task_id(const struct krseq_task *t);
struct krseq_task *krseq_current(void);
int krseq_smp_processor_id(void);
/* Give the CPU up; sleep; take a CPU again (maybe another). */
void krseq_yield(void);
void krseq_usleep(unsigned int us);
/* Checks the exclusivity invariant for the calling task; true if it holds. */
bool krseq_check_exclusive(void);

/* Interrupts. */
typedef void (*krseq_irq_handler_t)(enum krseq_irq src, void *arg);
int krseq_request_irq(enum krseq_irq src, krseq_irq_handler_t fn, void *arg);
void krseq_free_irq(enum krseq_irq src, krseq_irq_handler_t fn, void *arg);
/* Raise on the calling task: delivered before this returns unless masked. */
void krseq_raise(enum krseq_irq src);
/* Send to the task running on cpu, if any. */
void krseq_send_ipi(int cpu);
void krseq_send_nmi(int cpu);
/* Ask for a reschedule as a wakeup would (lazy or not, per the model). */
void krseq_resched_curr(bool lazy);

/*
 * A forced interrupt: a trap written over the instruction at pc. When the
 * calling task reaches it, the instruction is put back and the interrupt
 * runs there: irq() in interrupt context; if preempt is set, a reschedule is
 * requested, and if the exit path switches the task out, offcpu() runs while
 * it is off its old CPU. If tick is set, it is a timer tick landing at pc:
 * the tick's scheduler work and its handlers run, exactly as for the
 * timer's. pre_entry() runs in the entry path after the interrupt is
 * entered and before any scheme's kernel side has seen it, post_entry()
 * right after the schemes' entry hooks, before the handlers, post_exit()
 * after the last exit hook, before the task resumes: the hook points of
 * the kernel-side adversaries (<krseq/explore.h>). One trap at a time;
 * text is writable only while the trap is written or removed (or while
 * an exploration holds it).
 */
struct krseq_forced_irq {
	void (*irq)(void *arg);
	void (*offcpu)(void *arg, int old_cpu);
	void (*pre_entry)(void *arg);
	void (*post_entry)(void *arg);
	void (*post_exit)(void *arg);
	void *arg;
	bool preempt;
	bool nmi; /* not maskable by the soft irq mask */
	bool tick; /* counted and handled as KRSEQ_IRQ_TICK; maskable */
	/* If set, the trap context's backtrace is written here. */
	char *backtrace;
	unsigned int backtrace_len;
	/*
	 * When the interrupt sent the PC elsewhere (a restart), trap the
	 * same instruction again, up to this many more times, so that the
	 * restarted run is interrupted where the first one was.
	 */
	unsigned int again;
};
int krseq_trap_arm(void *pc, const struct krseq_forced_irq *f);
/* Removes the trap if not hit; returns true if it was hit. */
bool krseq_trap_disarm(void);
/* The size of the trap instruction and of every boundary step on aarch64. */
unsigned int krseq_trap_size(void);

struct krseq_stats {
	uint64_t irqs[KRSEQ_NR_IRQS]; /* handled (not deferred) */
	uint64_t deferred; /* maskable interrupts that found the mask set */
	uint64_t replayed;
	uint64_t preemptions; /* at interrupt exit or preempt_enable() */
	uint64_t deferred_unsafe; /* preemption held back: not a safe point */
	uint64_t voluntary; /* cond_resched, yield, sleep */
	uint64_t migrations;
	uint64_t lazy_promotions;
	uint64_t restarts;
	uint64_t fixups;
	uint64_t exclusivity_violations;
	uint64_t traps;
	uint64_t preempt_check_failures; /* __this_cpu_*() while preemptible */
	uint64_t warnings; /* WARN*() that fired, see <krseq/report.h> */
	uint64_t lockdep_failures; /* lockdep_assert_*(), local_lock owner */
};
void krseq_stats_get(struct krseq_stats *s);
void krseq_stats_reset(void);

/* Per-task counters, for the task itself or any other. */
struct krseq_task_stats {
	uint64_t ticks;
	uint64_t preemptions;
	uint64_t voluntary;
	uint64_t migrations;
};
void krseq_task_stats(const struct krseq_task *t, struct krseq_task_stats *s);

#ifdef __cplusplus
}
#endif
#endif /* KRSEQ_KRSEQ_H */
