// SPDX-License-Identifier: MIT
/*
 * The one interrupt entry/exit path, for every source: a signal, or a trap
 * that forces an interrupt at a chosen instruction. The interrupted context
 * is the signal's ucontext; only src/arch/ reads and writes it.
 */
#include "schemes_internal.h"
#include "arch/arch.h"

#include <errno.h>
#include <string.h>

static bool maskable(enum krseq_irq src, const struct krseq_forced_irq *f)
{
	if (src == KRSEQ_IRQ_FORCED)
		return !f->nmi;
	return src != KRSEQ_IRQ_NMI;
}

/* A forced tick is a tick that lands at a chosen instruction. */
enum krseq_irq krseq_forced_src(const struct krseq_forced_irq *f)
{
	return f->tick ? KRSEQ_IRQ_TICK : KRSEQ_IRQ_FORCED;
}

/*
 * The schemes' entry hooks run first, before anything that may use
 * per-CPU data, as the kernel's irqentry_enter() runs the arch's. A
 * forced interrupt's pre_entry() runs just before them: where an entry
 * path that breaks that rule, or an NMI, would come in; its post_entry()
 * just after them, where an NMI finds the hooks done and the handler not
 * yet run.
 */
static void irq_enter(struct krseq_thread_area *ta, struct krseq_irq_frame *f,
		      unsigned char *irqs_disabled,
		      const struct krseq_forced_irq *forced)
{
	ta->irq_depth++;
	*irqs_disabled = ta->irqs_disabled;
	if (forced && forced->pre_entry)
		forced->pre_entry(forced->arg);
	krseq_sides_entry(f);
	if (forced && forced->post_entry)
		forced->post_entry(forced->arg);
	/* Handlers run with interrupts off, as hard irq handlers do. */
	ta->irqs_disabled = 1;
	krseq_barrier();
}

/* The kernel's scheduler_tick() and IPI handling, reduced to flags. */
static void irq_source_work(struct krseq_task *t, struct krseq_thread_area *ta,
			    enum krseq_irq src,
			    const struct krseq_forced_irq *forced)
{
	struct krseq_cpu *c = &krseq_m.cpus[t->cpu];
	bool want;

	switch (src) {
	case KRSEQ_IRQ_TICK:
		atomic_fetch_add(&t->nr_ticks, 1);
		if (atomic_load(&c->curr) != t || c->occupancy != 1 ||
		    ta->lowcore != &c->lc)
			stat_inc(exclusivity_violations);
		want = atomic_load(&krseq_m.nr_waiting) > 0 ||
		       (krseq_m.cfg.migrate == KRSEQ_MIGRATE_ALWAYS &&
			atomic_load(&krseq_m.nr_idle) > 0);
		/*
		 * A slice lasts at least one tick period, like the kernel's
		 * minimum granularity: the ticks that piled up while the
		 * task waited for a CPU must not switch it out at once, or a
		 * slow host (qemu) livelocks in switches.
		 */
		if (krseq_now_ns() - t->slice_start_ns <
		    (uint64_t)krseq_m.cfg.tick_us * 1000u)
			want = false;
		if (krseq_m.cfg.model == KRSEQ_PREEMPT_LAZY) {
			if (ta->need_resched_lazy) {
				ta->need_resched_lazy = 0;
				ta->need_resched = 1;
				stat_inc(lazy_promotions);
			} else if (want && !ta->need_resched) {
				ta->need_resched_lazy = 1;
			}
		} else if (want) {
			ta->need_resched = 1;
		}
		break;
	case KRSEQ_IRQ_IPI:
		ta->need_resched = 1;
		break;
	default:
		break;
	}
	/* Forced, a tick too: the request is certain, not the tick's call. */
	if (forced && forced->preempt)
		ta->need_resched = 1;
}

static void run_actions(enum krseq_irq src)
{
	struct irq_action *a = krseq_m.actions[src];

	for (int i = 0; i < KRSEQ_MAX_ACTIONS; i++) {
		krseq_irq_handler_t fn = atomic_load(&a[i].fn);

		if (fn)
			fn(src, atomic_load(&a[i].arg));
	}
}

static bool should_preempt(struct krseq_thread_area *ta, enum krseq_irq src,
			   unsigned char irqs_disabled, ucontext_t *uc)
{
	enum krseq_preempt_model m = krseq_m.cfg.model;

	if (src == KRSEQ_IRQ_NMI || ta->irq_depth != 1 || irqs_disabled ||
	    ta->preempt_count || !ta->need_resched)
		return false;
	if (m != KRSEQ_PREEMPT_FULL && m != KRSEQ_PREEMPT_LAZY)
		return false;
	if (!krseq_pc_is_safe(krseq_arch_pc(uc))) {
		stat_inc(deferred_unsafe);
		return false;
	}
	return true;
}

void krseq_irq_entry_exit(struct krseq_task *t, enum krseq_irq src,
			  ucontext_t *uc, const struct krseq_forced_irq *forced)
{
	struct krseq_thread_area *ta = t->ta;
	bool nmi = !maskable(src, forced);
	unsigned char irqs_disabled;
	struct krseq_irq_frame f;

	if (maskable(src, forced) && ta->irqs_disabled) {
		if (forced) {
			ta->irq_pending |= 1u << KRSEQ_IRQ_FORCED;
			pending_forced = forced;
		} else {
			ta->irq_pending |= 1u << src;
		}
		stat_inc(deferred);
		return;
	}
	f.uc = uc;
	f.t = t;
	f.src = src;
	f.entry_cpu = t->cpu;
	f.preempted = false;
	irq_enter(ta, &f, &irqs_disabled, forced);
	ta->nmi_depth += nmi;
	stat_inc(irqs[src]);
	irq_source_work(t, ta, src, forced);
	run_actions(src);
	if (forced && forced->irq)
		forced->irq(forced->arg);

	if (should_preempt(ta, src, irqs_disabled, uc)) {
		krseq_switch(t, true, &f, forced ? forced->offcpu : NULL,
			     forced ? forced->arg : NULL);
		f.preempted = true;
	}
	krseq_sides_exit(&f);
	if (forced && forced->post_exit)
		forced->post_exit(forced->arg);
	ta->irqs_disabled = irqs_disabled;
	krseq_barrier();
	ta->nmi_depth -= nmi;
	ta->irq_depth--;
}

static enum krseq_irq source_of(int sig)
{
	for (int s = 0; s < KRSEQ_IRQ_FORCED; s++)
		if (krseq_m.sigs[s] == sig)
			return (enum krseq_irq)s;
	return KRSEQ_NR_IRQS;
}

/* What the watchdog calls progress: see struct krseq_task. */
/*
 * The PC alone is not enough: qemu-user delivers a signal only between
 * translation blocks, so every tick lands on a tight loop's head while the
 * loop counts on; a storm finds the very same registers every time.
 */
static void note_progress(struct krseq_task *t, ucontext_t *uc)
{
	uintptr_t pc = krseq_arch_pc(uc);
	uint64_t sig = pc;

	if (krseq_ta.irq_depth)
		return;
	for (unsigned int r = 0; r < krseq_arch_nr_regs; r++)
		sig = sig * 0x100000001b3ull ^ *krseq_arch_reg(uc, r);
	bump(&t->nr_irqs);
	t->last_irq_pc = pc;
	if (sig != t->last_irq_sig) {
		t->last_irq_sig = sig;
		bump(&t->nr_pc_changes);
	}
}

static void irq_signal(int sig, siginfo_t *si, void *ucv)
{
	struct krseq_task *t = krseq_ta.task;
	const struct krseq_forced_irq *forced = NULL;
	enum krseq_irq src = source_of(sig);
	int saved_errno = errno;
	uint64_t start = src == KRSEQ_IRQ_TICK && t ? krseq_now_ns() : 0;

	(void)si;
	if (!t || atomic_load(&t->state) != TASK_RUNNING || krseq_ta.in_sched ||
	    src == KRSEQ_NR_IRQS)
		goto out;
	note_progress(t, ucv);
	/* The watchdog asks for the interrupted context, as an NMI watchdog
	 * dumps a stuck CPU's stack. */
	if (src == KRSEQ_IRQ_NMI && atomic_load(&t->dump_state) == 1) {
		krseq_backtrace_buf(ucv, t->dump, sizeof(t->dump));
		atomic_store(&t->dump_state, 2);
		goto out;
	}
	if (src == KRSEQ_IRQ_IPI && replaying_forced) {
		forced = replaying_forced;
		replaying_forced = NULL;
		src = krseq_forced_src(forced);
	}
	krseq_irq_entry_exit(t, src, ucv, forced);
out:
	/* A tick that switched the task out handed its CPU on and waited
	 * for one: that wait is the scheduler's, not the tick's handling,
	 * and counting it would space the ticks of a task that waited long
	 * further and further apart. Its handling restarts with its slice. */
	if (start) {
		uint64_t now = krseq_now_ns(), from = start;

		if (t->slice_start_ns > from && t->slice_start_ns <= now)
			from = t->slice_start_ns;
		krseq_timer_rearm(t, now - from);
	}
	errno = saved_errno;
}

int krseq_request_irq(enum krseq_irq src, krseq_irq_handler_t fn, void *arg)
{
	if ((unsigned int)src >= KRSEQ_NR_IRQS || !fn)
		return krseq_fail(EINVAL,
				  "krseq_request_irq: bad source %d "
				  "or no handler",
				  (int)src);
	for (int i = 0; i < KRSEQ_MAX_ACTIONS; i++) {
		struct irq_action *a = &krseq_m.actions[src][i];
		bool free_slot = false;

		if (!atomic_compare_exchange_strong(&a->busy, &free_slot, true))
			continue;
		atomic_store(&a->arg, arg);
		atomic_store(&a->fn, fn);
		return 0;
	}
	return krseq_fail(ENOSPC,
			  "krseq_request_irq: more than %d handlers "
			  "for one source",
			  KRSEQ_MAX_ACTIONS);
}

void krseq_free_irq(enum krseq_irq src, krseq_irq_handler_t fn, void *arg)
{
	if ((unsigned int)src >= KRSEQ_NR_IRQS)
		return;
	for (int i = 0; i < KRSEQ_MAX_ACTIONS; i++) {
		struct irq_action *a = &krseq_m.actions[src][i];

		if (atomic_load(&a->fn) == fn && atomic_load(&a->arg) == arg) {
			atomic_store(&a->fn, NULL);
			atomic_store(&a->busy, false);
			return;
		}
	}
}

static struct sigaction saved_actions[KRSEQ_NR_IRQS];

/*
 * Tick and IPI block each other, as hard irq handlers run with interrupts
 * off; the NMI blocks everything but nests into them; the trap forces an
 * ordinary interrupt, so an NMI may nest into it too.
 */
static sigset_t maskable_sigs(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, krseq_m.sigs[KRSEQ_IRQ_TICK]);
	sigaddset(&set, krseq_m.sigs[KRSEQ_IRQ_IPI]);
	return set;
}

void krseq_irq_install(void)
{
	for (int s = 0; s < KRSEQ_NR_IRQS; s++) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sa.sa_sigaction = s == KRSEQ_IRQ_FORCED ? krseq_trap_signal :
							  irq_signal;
		sa.sa_mask = s == KRSEQ_IRQ_NMI ? krseq_m.irq_sigs :
						  maskable_sigs();
		sigaction(krseq_m.sigs[s], &sa, &saved_actions[s]);
	}
}

/*
 * The trap signal is a fault (SIGTRAP, SIGILL) that a test framework or a
 * debugger may handle too, so it chains: a fault that is not a krseq trap
 * goes to the handler that was there before, or takes the default action.
 */
void krseq_trap_chain(int sig, siginfo_t *si, void *uc)
{
	const struct sigaction *old = &saved_actions[KRSEQ_IRQ_FORCED];

	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, uc);
	} else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
	} else {
		/* Returning re-executes the fault under the default. */
		signal(sig, SIG_DFL);
	}
}

/*
 * Test frameworks (cmocka) install their own fault handlers around every
 * test, over ours: take the trap signal back, chaining to theirs.
 */
void krseq_trap_claim(void)
{
	int sig = krseq_m.sigs[KRSEQ_IRQ_FORCED];
	struct sigaction cur;

	sigaction(sig, NULL, &cur);
	if ((cur.sa_flags & SA_SIGINFO) &&
	    cur.sa_sigaction == krseq_trap_signal)
		return;
	saved_actions[KRSEQ_IRQ_FORCED] = cur;
	cur.sa_sigaction = krseq_trap_signal;
	cur.sa_flags = SA_SIGINFO | SA_RESTART;
	cur.sa_mask = maskable_sigs();
	sigaction(sig, &cur, NULL);
}

void krseq_irq_uninstall(void)
{
	for (int s = 0; s < KRSEQ_NR_IRQS; s++)
		sigaction(krseq_m.sigs[s], &saved_actions[s], NULL);
	memset(krseq_m.actions, 0, sizeof(krseq_m.actions));
}
