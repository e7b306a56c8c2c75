// SPDX-License-Identifier: MIT
/* __this_cpu_*() from preemptible code: CONFIG_DEBUG_PREEMPT's report. */
#include "internal.h"

#include <krseq/percpu.h>
#include <stdio.h>

static _Atomic int reported;

void krseq_this_cpu_preempt_check(const char *op)
{
	char msg[160];

	stat_inc(preempt_check_failures);
	if (atomic_exchange(&reported, 1))
		return;
	snprintf(msg, sizeof(msg),
		 "krseq: BUG: using %s() in preemptible code (task %d)\n", op,
		 krseq_task_id(krseq_current()));
	krseq_write_str(2, msg);
}
