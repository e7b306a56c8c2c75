// SPDX-License-Identifier: MIT
/*
 * The seed of the LKML thread "[RFC] in-kernel rseq": one per-CPU add that
 * returns the new value. Build it with -DKRSEQ_PCP_DEFAULT=KRSEQ_PCP_<X> to
 * see what each protection strategy costs in code (krseq codegen, and the
 * codegen test, disassemble exactly this file).
 */
#include <krseq/linux.h>

DEFINE_PER_CPU(long, bar);

long foo(long val)
{
	return this_cpu_add_return(bar, val);
}
