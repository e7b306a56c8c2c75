// SPDX-License-Identifier: MIT
/*
 * Raising interrupts: on the calling task (krseq_raise(), and the replay of
 * what arrived while the soft mask was set) and on another CPU (IPI, NMI).
 * Below the entry/exit path, which only records what the mask deferred.
 */
#include "internal.h"

#include <sys/syscall.h>
#include <unistd.h>

__thread const struct krseq_forced_irq *pending_forced;
__thread const struct krseq_forced_irq *replaying_forced;

/* One syscall, as a bare signal delivery: pid and tid are known. */
static void send_self(int sig)
{
	struct krseq_task *t = krseq_ta.task;

	/* Raised from task context, the task runs code of its own (the
	 * explorer raises its adversaries so, from one libc PC every time);
	 * a handler that raises again does not. */
	if (t && !krseq_ta.irq_depth)
		bump(&t->nr_pc_changes);
	syscall(SYS_tgkill, krseq_m.pid, t ? t->tid : gettid(), sig);
}

/* local_irq_restore() found interrupts that arrived while masked. */
void krseq_irq_replay(void)
{
	unsigned int pending;

	while ((pending = krseq_ta.irq_pending) != 0) {
		int src = __builtin_ctz(pending);

		krseq_ta.irq_pending &= ~(1u << src);
		stat_inc(replayed);
		if (src == KRSEQ_IRQ_FORCED) {
			replaying_forced = pending_forced;
			pending_forced = NULL;
			send_self(krseq_m.sigs[KRSEQ_IRQ_IPI]);
		} else {
			send_self(krseq_m.sigs[src]);
		}
	}
}

void krseq_raise(enum krseq_irq src)
{
	if (src < KRSEQ_IRQ_FORCED)
		send_self(krseq_m.sigs[src]);
}

static void send_cpu(int cpu, int sig)
{
	pid_t tid;

	if (cpu < 0 || cpu >= krseq_m.nr_cpus)
		return;
	tid = atomic_load(&krseq_m.cpus[cpu].curr_tid);
	if (tid)
		syscall(SYS_tgkill, krseq_m.pid, tid, sig);
}

void krseq_send_ipi(int cpu)
{
	send_cpu(cpu, krseq_m.sigs[KRSEQ_IRQ_IPI]);
}

void krseq_send_nmi(int cpu)
{
	send_cpu(cpu, krseq_m.sigs[KRSEQ_IRQ_NMI]);
}
