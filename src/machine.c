// SPDX-License-Identifier: MIT
/* Bringing the machine up and down, and its counters. */
#include "schemes_internal.h"
#include "arch/arch.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct machine krseq_m;

static const char *const irq_field[] = { "sig_tick", "sig_ipi", "sig_nmi",
					 "the trap" };

static int check_config(const struct krseq_config *c)
{
	if (c->nr_cpus < 1 || c->nr_cpus > KRSEQ_MAX_CPUS)
		return krseq_fail(EINVAL,
				  "krseq_init: nr_cpus %d out of range "
				  "(1..%d)",
				  c->nr_cpus, KRSEQ_MAX_CPUS);
	if ((unsigned int)c->model > KRSEQ_PREEMPT_LAZY)
		return krseq_fail(EINVAL,
				  "krseq_init: unknown preemption "
				  "model %d",
				  (int)c->model);
	if ((unsigned int)c->migrate > KRSEQ_MIGRATE_ALWAYS)
		return krseq_fail(EINVAL,
				  "krseq_init: unknown migration "
				  "policy %d",
				  (int)c->migrate);
	if ((unsigned int)c->placement >= KRSEQ_NR_PLACEMENTS)
		return krseq_fail(EINVAL,
				  "krseq_init: unknown placement %d (task "
				  "or cpu)",
				  (int)c->placement);
	if (c->migrate == KRSEQ_MIGRATE_ALWAYS && c->nr_cpus < 2)
		return krseq_fail(EINVAL, "krseq_init: migration policy "
					  "'always' needs at least 2 CPUs");
	return 0;
}

/*
 * A signal the program already handles cannot also be an interrupt: the
 * runtime does not chain, so it says which one and how to move it.
 */
static int check_signals(void)
{
	for (int s = 0; s < KRSEQ_NR_IRQS; s++) {
		int sig = krseq_m.sigs[s];
		struct sigaction old;

		if (sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP)
			return krseq_fail(EINVAL,
					  "krseq_init: %s: %d is not a "
					  "usable signal",
					  irq_field[s], sig);
		for (int o = 0; o < s; o++)
			if (krseq_m.sigs[o] == sig)
				return krseq_fail(EINVAL,
						  "krseq_init: %s and %s are "
						  "both signal %d (%s)",
						  irq_field[o], irq_field[s],
						  sig, strsignal(sig));
		if (s == KRSEQ_IRQ_FORCED)
			continue; /* chained, see krseq_trap_chain() */
		sigaction(sig, NULL, &old);
		if ((old.sa_flags & SA_SIGINFO) ||
		    (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN))
			return krseq_fail(EBUSY,
					  "krseq_init: signal %d (%s), wanted "
					  "for %s, already has a handler in "
					  "this program; pick another signal "
					  "in struct krseq_config or remove "
					  "the handler",
					  sig, strsignal(sig), irq_field[s]);
	}
	return 0;
}

/* KRSEQ_WATCHDOG_MS, when set, overrides the config: a whole number of ms. */
#define WATCHDOG_MS_MAX 3600000u

static int watchdog_from_env(unsigned int *ms)
{
	const char *s = getenv("KRSEQ_WATCHDOG_MS");
	unsigned long v;
	char *end;

	if (!s)
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < 1 ||
	    v > WATCHDOG_MS_MAX)
		return krseq_fail(EINVAL,
				  "krseq_init: KRSEQ_WATCHDOG_MS wants a whole "
				  "number of milliseconds from 1 to %u, not "
				  "'%s'",
				  WATCHDOG_MS_MAX, s);
	*ms = (unsigned int)v;
	return 0;
}

int krseq_init(const struct krseq_config *cfg)
{
	static const struct krseq_config defaults = KRSEQ_CONFIG_DEFAULT;
	unsigned int watchdog_ms;
	int err;

	if (krseq_m.up)
		return krseq_fail(EBUSY, "krseq_init: the machine is already "
					 "up; call krseq_exit() first");
	if (!cfg)
		cfg = &defaults;
	err = check_config(cfg);
	if (err)
		return err;
	watchdog_ms = cfg->watchdog_ms;
	err = watchdog_from_env(&watchdog_ms);
	if (err)
		return err;

	memset(&krseq_m.stats, 0, sizeof(krseq_m.stats));
	memset(krseq_m.cpus, 0, sizeof(krseq_m.cpus));
	krseq_m.cfg = *cfg;
	krseq_m.cfg.watchdog_ms = watchdog_ms;
	if (!krseq_m.cfg.watchdog_ms)
		krseq_m.cfg.watchdog_ms = 20000;
	krseq_m.nr_cpus = cfg->nr_cpus;
	krseq_m.pid = getpid();
	krseq_m.rng = cfg->seed ? cfg->seed : 0x9E3779B97F4A7C15ull;
	krseq_m.waitq_head = krseq_m.waitq_tail = NULL;
	atomic_store(&krseq_m.nr_waiting, 0);
	atomic_store(&krseq_m.nr_idle, cfg->nr_cpus);
	krseq_m.sigs[KRSEQ_IRQ_TICK] = cfg->sig_tick ? cfg->sig_tick : SIGALRM;
	krseq_m.sigs[KRSEQ_IRQ_IPI] = cfg->sig_ipi ? cfg->sig_ipi : SIGUSR1;
	krseq_m.sigs[KRSEQ_IRQ_NMI] = cfg->sig_nmi ? cfg->sig_nmi : SIGUSR2;
	krseq_m.sigs[KRSEQ_IRQ_FORCED] = krseq_arch_trap_signal;
	err = check_signals();
	if (err)
		return err;
	sigemptyset(&krseq_m.irq_sigs);
	for (int s = 0; s < KRSEQ_IRQ_FORCED; s++)
		sigaddset(&krseq_m.irq_sigs, krseq_m.sigs[s]);

	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++)
		krseq_m.cpus[cpu].lc.cpu = cpu;
	/* The sections' counters start with the machine, as its stats do. */
	err = krseq_cs_stats_setup();
	if (!err)
		err = krseq_percpu_setup();
	if (err)
		return err;
	krseq_safepoint_setup();
	krseq_sides_setup();
	krseq_fork_setup();
	krseq_segv_claim();

	krseq_sigs_block(NULL);
	krseq_irq_install();
	krseq_m.up = true;
	err = krseq_task_adopt();
	if (!err)
		err = krseq_watchdog_start();
	if (err) {
		krseq_task_drop_adopted();
		krseq_irq_uninstall();
		krseq_m.up = false;
		krseq_percpu_teardown();
		return err;
	}
	pthread_sigmask(SIG_UNBLOCK, &krseq_m.irq_sigs, NULL);
	return 0;
}

/* Take the ticks still pending once the timer is gone, before SIG_DFL. */
static void drain_signals(void)
{
	struct timespec zero = { 0, 0 };

	while (sigtimedwait(&krseq_m.irq_sigs, NULL, &zero) > 0)
		;
}

/*
 * Tasks not joined still have threads that take ticks: tearing the
 * handlers down under them would kill the process with the tick's default
 * action. Refuse, and name them.
 */
static int check_all_joined(void)
{
	static const char *const states[] = { "new", "running", "waiting",
					      "blocked", "exited" };
	char list[256];
	size_t n = 0;
	int nr = 0;

	list[0] = '\0';
	for (int i = 0; i < KRSEQ_MAX_TASKS; i++) {
		struct krseq_task *t = krseq_m.tasks[i];
		int st;

		if (!t || t == krseq_m.adopted)
			continue;
		st = atomic_load(&t->state);
		if (n < sizeof(list))
			n += (size_t)snprintf(list + n, sizeof(list) - n,
					      "%stask %d (%s)", nr ? ", " : "",
					      t->id, states[st]);
		nr++;
	}
	if (!nr)
		return 0;
	krseq_fail(EBUSY,
		   "krseq_exit: %d task%s not joined: %s; join every task "
		   "with krseq_task_join() first",
		   nr, nr > 1 ? "s" : "", list);
	krseq_write_str(2, "krseq: ");
	krseq_write_str(2, krseq_last_error());
	krseq_write_str(2, "\n");
	return -EBUSY;
}

int krseq_exit(void)
{
	int err;

	if (!krseq_m.up)
		return 0;
	err = check_all_joined();
	if (err)
		return err;
	krseq_sigs_block(NULL);
	krseq_watchdog_stop();
	krseq_task_drop_adopted();
	krseq_trap_disarm();
	drain_signals();
	krseq_irq_uninstall();
	krseq_percpu_teardown();
	krseq_m.up = false;
	pthread_sigmask(SIG_UNBLOCK, &krseq_m.irq_sigs, NULL);
	return 0;
}

const struct krseq_config *krseq_config(void)
{
	return &krseq_m.cfg;
}

void krseq_stats_get(struct krseq_stats *s)
{
	for (int i = 0; i < KRSEQ_NR_IRQS; i++)
		s->irqs[i] = atomic_load(&krseq_m.stats.irqs[i]);
	s->deferred = atomic_load(&krseq_m.stats.deferred);
	s->replayed = atomic_load(&krseq_m.stats.replayed);
	s->preemptions = atomic_load(&krseq_m.stats.preemptions);
	s->deferred_unsafe = atomic_load(&krseq_m.stats.deferred_unsafe);
	s->voluntary = atomic_load(&krseq_m.stats.voluntary);
	s->migrations = atomic_load(&krseq_m.stats.migrations);
	s->lazy_promotions = atomic_load(&krseq_m.stats.lazy_promotions);
	s->restarts = atomic_load(&krseq_m.stats.restarts);
	s->fixups = atomic_load(&krseq_m.stats.fixups);
	s->exclusivity_violations =
		atomic_load(&krseq_m.stats.exclusivity_violations);
	s->traps = atomic_load(&krseq_m.stats.traps);
	s->preempt_check_failures =
		atomic_load(&krseq_m.stats.preempt_check_failures);
	s->warnings = atomic_load(&krseq_m.stats.warnings);
	s->lockdep_failures = atomic_load(&krseq_m.stats.lockdep_failures);
}

void krseq_stats_reset(void)
{
	memset(&krseq_m.stats, 0, sizeof(krseq_m.stats));
}
