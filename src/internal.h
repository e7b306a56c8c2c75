/* SPDX-License-Identifier: MIT */
#ifndef KRSEQ_INTERNAL_H
#define KRSEQ_INTERNAL_H

#define _GNU_SOURCE
#include <krseq/krseq.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <ucontext.h>

#include "lock.h"

enum task_state {
	TASK_NEW,
	TASK_RUNNING, /* holds a CPU */
	TASK_WAITING, /* waits for a CPU */
	TASK_BLOCKED, /* sleeps or joins without a CPU */
	TASK_DEAD,
};

struct krseq_task {
	int id;
	pid_t tid;
	pthread_t thread;
	bool adopted;
	bool gone; /* left behind in a fork() child: no thread there */
	void *(*fn)(void *);
	void *arg;
	void *ret;
	struct krseq_thread_area *ta;

	_Atomic int state;
	int cpu; /* the CPU it holds, or -1 */
	int prev_cpu; /* the CPU it last held, or -1 */
	int home_cpu; /* for KRSEQ_MIGRATE_NEVER */
	_Atomic int grant; /* futex word: -1 while waiting, then the CPU */
	struct krseq_task *next_wait;
	_Atomic uint64_t wait_since_ns;
	uint64_t slice_start_ns; /* when it last got a CPU */
	uint64_t stuck_reported_ns;

	timer_t timer;
	bool has_timer;
	/* The per-CPU sched_rseq slot, carried across a switch. */
	const struct krseq_rseq_cs *cpu_rseq_save;

	_Atomic uint64_t nr_ticks, nr_preempt, nr_voluntary, nr_migrations;
	/*
	 * Progress, for the watchdog: interrupts taken from task context,
	 * and how often the context they interrupted (PC and registers)
	 * changed, or the task raised one itself. Interrupts that keep
	 * finding one context mean the task runs none of its own code.
	 */
	_Atomic uint64_t nr_irqs, nr_pc_changes;
	uintptr_t last_irq_pc;
	uint64_t last_irq_sig; /* the PC and registers, hashed */
	/* The watchdog's own view of that progress. */
	uint64_t wd_pc_changes, wd_irqs, wd_since_ns, wd_reported_ns;

	/* The watchdog's request for this task's backtrace, taken by an NMI. */
	_Atomic int dump_state; /* 0 none, 1 requested, 2 written */
	char dump[2048];
};

struct krseq_cpu {
	struct krseq_lowcore lc;
	struct krseq_task *_Atomic curr;
	/*
	 * curr's thread, for an IPI sent from another task: the sender must
	 * not dereference curr, which may exit and be freed by its joiner
	 * between the load and the send. A stale tid is a thread gone (the
	 * send fails) or one of ours that is not this CPU's task (its handler
	 * ignores an interrupt it is not running for).
	 */
	_Atomic pid_t curr_tid;
	_Atomic int occupancy;
};

/*
 * A slot is claimed (busy) before its argument is written and its handler
 * published, so a request never writes into a slot another one owns.
 */
struct irq_action {
	_Atomic bool busy;
	krseq_irq_handler_t _Atomic fn;
	void *_Atomic arg;
};
#define KRSEQ_MAX_ACTIONS 8

struct machine {
	bool up;
	pid_t pid;
	struct krseq_config cfg;
	int nr_cpus;
	struct krseq_cpu cpus[KRSEQ_MAX_CPUS];

	struct lock lock; /* run queue, CPU ownership, task table */
	struct krseq_task *tasks[KRSEQ_MAX_TASKS];
	struct krseq_task *waitq_head, *waitq_tail;
	_Atomic int nr_waiting, nr_idle;
	uint64_t rng;

	int sigs[KRSEQ_NR_IRQS]; /* signal per source (FORCED: the trap) */
	sigset_t irq_sigs; /* every signal the runtime takes */

	struct irq_action actions[KRSEQ_NR_IRQS][KRSEQ_MAX_ACTIONS];

	struct {
		_Atomic uint64_t irqs[KRSEQ_NR_IRQS], deferred, replayed,
			preemptions, deferred_unsafe, voluntary, migrations,
			lazy_promotions, restarts, fixups,
			exclusivity_violations, traps, preempt_check_failures,
			warnings, lockdep_failures;
	} stats;

	pthread_t watchdog;
	_Atomic bool watchdog_stop;
	/* A fork() child starts its watchdog with its first new task. */
	bool watchdog_deferred;
	struct krseq_task *adopted;
};

extern struct machine krseq_m;

#define stat_inc(field)                                                        \
	atomic_fetch_add_explicit(&krseq_m.stats.field, 1, memory_order_relaxed)

/* sys.c (krseq_futex_wait/wake are in lock.h) */
void krseq_write_str(int fd, const char *s);
uint64_t krseq_now_ns(void);

/* backtrace.c: print the interrupted context's call chain to fd. */
void krseq_backtrace(int fd, ucontext_t *uc);
void krseq_backtrace_buf(ucontext_t *uc, char *buf, size_t len);
bool krseq_fn_extent(uintptr_t ip, uintptr_t *start, uintptr_t *end);

/* error.c: above backtrace.c, which a broken invariant's report uses. */
int krseq_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void krseq_die(ucontext_t *uc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* sections.c */
int krseq_percpu_setup(void);
void krseq_percpu_teardown(void);
long krseq_cs_index(const struct krseq_rseq_cs *cs);
const struct krseq_rseq_cs *krseq_cs_at(unsigned int idx);

/* section_stats.c, above sections.c: per-descriptor counts, bumped at exit. */
int krseq_cs_stats_setup(void);
void krseq_cs_stats_note(const struct krseq_rseq_cs *cs, bool restarted,
			 bool fixed_up);

/* safepoint.c */
void krseq_safepoint_setup(void);
bool krseq_pc_is_safe(uintptr_t pc);

/* sched.c: called with the runtime's signals blocked. */
void krseq_sched_acquire(struct krseq_task *t);
void krseq_sched_release(struct krseq_task *t);
/*
 * Switch the calling task out and back in; hook runs while it is out. f is
 * the interrupt that preempts it (NULL from task context), whose kernel
 * sides' switch_out hooks run first.
 */
struct krseq_irq_frame;
void krseq_switch(struct krseq_task *t, bool preempt, struct krseq_irq_frame *f,
		  void (*offcpu)(void *, int), void *arg);
/* kernel_side.c: the kernel sides' switch_out hooks, for krseq_switch(). */
void krseq_sides_switch_out(struct krseq_irq_frame *f);
void krseq_sigs_block(sigset_t *old);
void krseq_sigs_restore(const sigset_t *old);

/* Only the task's own thread writes its counters: no atomic add needed. */
static inline void bump(_Atomic uint64_t *v)
{
	atomic_store_explicit(v,
			      atomic_load_explicit(v, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/*
 * irq_send.c: a forced interrupt deferred by the soft mask (entry.c records
 * it), replayed via the IPI (entry.c's handler takes it back).
 */
extern __thread const struct krseq_forced_irq *
	pending_forced __asm__("krseq_pending_forced")
		__attribute__((visibility("hidden")));
extern __thread const struct krseq_forced_irq *
	replaying_forced __asm__("krseq_replaying_forced")
		__attribute__((visibility("hidden")));

/* entry.c */
void krseq_irq_install(void);
void krseq_irq_uninstall(void);
void krseq_trap_chain(int sig, siginfo_t *si, void *uc);
void krseq_trap_claim(void);
enum krseq_irq krseq_forced_src(const struct krseq_forced_irq *f);
void krseq_irq_entry_exit(struct krseq_task *t, enum krseq_irq src,
			  ucontext_t *uc,
			  const struct krseq_forced_irq *forced);

/* fork.c */
void krseq_fork_setup(void);

/* percpu_debug.c; the offset a thread that is not a task sees is arch.h's. */
extern struct krseq_lowcore krseq_nontask_lowcore;
void krseq_ta_make_nontask(void);
void krseq_segv_claim(void);

/* task.c */
int krseq_task_adopt(void);
void krseq_task_drop_adopted(void);
int krseq_timer_start(struct krseq_task *t);
void krseq_timer_rearm(struct krseq_task *t, uint64_t handling_ns);
void krseq_timer_stop(struct krseq_task *t);

/* trap.c */
void krseq_trap_signal(int sig, siginfo_t *si, void *uc);
/*
 * Between hold and release, text a trap is written to stays writable (an
 * explorer's thousands of runs cost no mprotect each); the release puts
 * every page back to read-only and returns 0 or a negative errno.
 */
void krseq_text_hold(void);
int krseq_text_release(void);
/*
 * A breakpoint left at pc, as a kprobe is, until cleared: 0 or -errno
 * (-EBUSY if one is set).
 */
int krseq_kprobe_set(uintptr_t pc);
int krseq_kprobe_clear(void);
/*
 * The instruction bytes [pc, pc + len) in buf as they were before the
 * armed trap or the kprobe, where either lies, was written: what a
 * kprobe's saved opcode gives the kernel.
 */
void krseq_trap_look_through(uintptr_t pc, unsigned char *buf,
			     unsigned int len);
/*
 * A second trap, armed from a forced interrupt's own callbacks (the first
 * trap is gone by then): its interrupt is taken where the task next
 * reaches pc, with f copied to storage of its own, so the first
 * interrupt's callbacks stay valid while it finishes. in_handler: pc is
 * in code the first interrupt's handler runs (its trap signal is then
 * unblocked). Disarmed by krseq_trap_disarm(). 0 or -errno.
 */
int krseq_trap_arm_next(uintptr_t pc, const struct krseq_forced_irq *f,
			bool in_handler);
/* How many forced interrupts the traps armed since the last arm gave. */
unsigned int krseq_trap_hits(void);
/*
 * Markers: a silent trap at each of pcs, removed at its first hit, which
 * is all it does; krseq_trap_unmark() removes those left and says which
 * were hit. At most KRSEQ_MAX_MARKS; 0 or -errno.
 */
#define KRSEQ_MAX_MARKS 512
int krseq_trap_mark(const uintptr_t *pcs, int n);
void krseq_trap_unmark(bool *hit);

/* watchdog.c */
int krseq_watchdog_start(void);
void krseq_watchdog_stop(void);
void krseq_report(char *buf, size_t len, const char *why);

#endif /* KRSEQ_INTERNAL_H */
