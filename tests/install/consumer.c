// SPDX-License-Identifier: MIT
/*
 * Built against an installed krseq, once through pkg-config and once
 * through find_package(krseq): the headers, the library and the per-CPU
 * section registration must all work from outside the source tree.
 */
#include <krseq/krseq.h>

#include <stdio.h>

static KRSEQ_DEFINE_PER_CPU(long, x);

int main(void)
{
	long sum = 0;
	int cpu;

	if (krseq_init(NULL)) {
		fprintf(stderr, "consumer: krseq_init: %s\n",
			krseq_last_error());
		return 1;
	}
	krseq_preempt_disable();
	(*krseq_this_cpu_ptr(&x))++;
	krseq_preempt_enable();
	krseq_for_each_possible_cpu(cpu)
		sum += krseq_per_cpu(x, cpu);
	krseq_exit();
	if (sum != 1) {
		fprintf(stderr, "consumer: per-CPU sum is %ld, expected 1\n",
			sum);
		return 1;
	}
	printf("consumer ok\n");
	return 0;
}
