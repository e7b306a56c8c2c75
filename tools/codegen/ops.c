// SPDX-License-Identifier: MIT
/*
 * The functions krseq codegen compiles under each strategy: the seed of the
 * LKML thread and three more this_cpu ops, as a kernel would write them.
 */
#include <krseq/linux.h>

DEFINE_PER_CPU(long, bar);

long foo(long val)
{
	return this_cpu_add_return(bar, val);
}

void add(long val)
{
	this_cpu_add(bar, val);
}

long cmpxchg(long old, long new)
{
	return this_cpu_cmpxchg(bar, old, new);
}

long read(void)
{
	return this_cpu_read(bar);
}

/*
 * The series' v5 listing of this_cpu_add: a per-CPU counter reached
 * through a pointer, then a tail call, as the kernel code around it has.
 */
extern long *counter;
void account(void);

void add_tail(long val)
{
	this_cpu_add(*counter, val);
	account();
}
