/* SPDX-License-Identifier: MIT */
/*
 * The kernel's names for krseq's API, so that a kernel snippet compiles
 * unchanged against the simulated machine:
 *
 *	static DEFINE_PER_CPU(long, bar);
 *	long foo(long val) { return this_cpu_add_return(bar, val); }
 *
 * The strategy behind this_cpu_*() is KRSEQ_PCP_DEFAULT, a compile-time
 * choice like a config option (see <krseq/percpu.h>).
 */
#ifndef KRSEQ_LINUX_H
#define KRSEQ_LINUX_H

#include <krseq/krseq.h>
#include <krseq/percpu.h>

#define DEFINE_PER_CPU(type, name) KRSEQ_DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU(type, name) KRSEQ_DECLARE_PER_CPU(type, name)
#define per_cpu_ptr(ptr, cpu) krseq_per_cpu_ptr(ptr, cpu)
#define alloc_percpu(type) krseq_alloc_percpu(type)
#define free_percpu(ptr) ((void)(ptr)) /* released by krseq_exit() */
#define per_cpu(var, cpu) krseq_per_cpu(var, cpu)
#define this_cpu_ptr(ptr) krseq_this_cpu_ptr(ptr)
#define raw_cpu_ptr(ptr) krseq_this_cpu_ptr(ptr)
#define for_each_possible_cpu(cpu) krseq_for_each_possible_cpu(cpu)
#define nr_cpu_ids krseq_nr_cpus()
#define smp_processor_id() krseq_smp_processor_id()
#define raw_smp_processor_id() krseq_smp_processor_id()

#define this_cpu_read(pcp) krseq_this_cpu_read(pcp)
#define this_cpu_write(pcp, val) krseq_this_cpu_write(pcp, val)
#define this_cpu_add(pcp, val) krseq_this_cpu_add(pcp, val)
#define this_cpu_sub(pcp, val) krseq_this_cpu_sub(pcp, val)
#define this_cpu_inc(pcp) krseq_this_cpu_inc(pcp)
#define this_cpu_dec(pcp) krseq_this_cpu_dec(pcp)
#define this_cpu_and(pcp, val) krseq_this_cpu_and(pcp, val)
#define this_cpu_or(pcp, val) krseq_this_cpu_or(pcp, val)
#define this_cpu_xchg(pcp, nval) krseq_this_cpu_xchg(pcp, nval)
#define this_cpu_cmpxchg(pcp, oval, nval)                                      \
	krseq_this_cpu_cmpxchg(pcp, oval, nval)
#define this_cpu_try_cmpxchg(pcp, ovalp, nval)                                 \
	krseq_this_cpu_try_cmpxchg(pcp, ovalp, nval)
#define this_cpu_add_return(pcp, val) krseq_this_cpu_add_return(pcp, val)
#define this_cpu_sub_return(pcp, val) krseq_this_cpu_sub_return(pcp, val)
#define this_cpu_inc_return(pcp) krseq_this_cpu_inc_return(pcp)
#define this_cpu_dec_return(pcp) krseq_this_cpu_dec_return(pcp)
#define this_cpu_cmpxchg128(pcp, oval, nval)                                   \
	krseq_this_cpu_cmpxchg128(pcp, oval, nval)
#define this_cpu_try_cmpxchg128(pcp, ovalp, nval)                              \
	krseq_this_cpu_try_cmpxchg128(pcp, ovalp, nval)

#define raw_cpu_read(pcp) krseq_raw_cpu_read(pcp)
#define raw_cpu_write(pcp, val) krseq_raw_cpu_write(pcp, val)
#define raw_cpu_add(pcp, val) krseq_raw_cpu_add(pcp, val)
#define raw_cpu_sub(pcp, val) krseq_raw_cpu_sub(pcp, val)
#define raw_cpu_inc(pcp) krseq_raw_cpu_inc(pcp)
#define raw_cpu_dec(pcp) krseq_raw_cpu_dec(pcp)
#define raw_cpu_and(pcp, val) krseq_raw_cpu_and(pcp, val)
#define raw_cpu_or(pcp, val) krseq_raw_cpu_or(pcp, val)
#define raw_cpu_xchg(pcp, nval) krseq_raw_cpu_xchg(pcp, nval)
#define raw_cpu_cmpxchg(pcp, oval, nval) krseq_raw_cpu_cmpxchg(pcp, oval, nval)
#define raw_cpu_try_cmpxchg(pcp, ovalp, nval)                                  \
	krseq_raw_cpu_try_cmpxchg(pcp, ovalp, nval)
#define raw_cpu_add_return(pcp, val) krseq_raw_cpu_add_return(pcp, val)
#define raw_cpu_sub_return(pcp, val) krseq_raw_cpu_sub_return(pcp, val)
#define raw_cpu_inc_return(pcp) krseq_raw_cpu_inc_return(pcp)
#define raw_cpu_dec_return(pcp) krseq_raw_cpu_dec_return(pcp)

#define __this_cpu_read(pcp) krseq___this_cpu_read(pcp)
#define __this_cpu_write(pcp, val) krseq___this_cpu_write(pcp, val)
#define __this_cpu_add(pcp, val) krseq___this_cpu_add(pcp, val)
#define __this_cpu_sub(pcp, val) krseq___this_cpu_sub(pcp, val)
#define __this_cpu_inc(pcp) krseq___this_cpu_inc(pcp)
#define __this_cpu_dec(pcp) krseq___this_cpu_dec(pcp)
#define __this_cpu_and(pcp, val) krseq___this_cpu_and(pcp, val)
#define __this_cpu_or(pcp, val) krseq___this_cpu_or(pcp, val)
#define __this_cpu_xchg(pcp, nval) krseq___this_cpu_xchg(pcp, nval)
#define __this_cpu_cmpxchg(pcp, oval, nval)                                    \
	krseq___this_cpu_cmpxchg(pcp, oval, nval)
#define __this_cpu_try_cmpxchg(pcp, ovalp, nval)                               \
	krseq___this_cpu_try_cmpxchg(pcp, ovalp, nval)
#define __this_cpu_add_return(pcp, val) krseq___this_cpu_add_return(pcp, val)
#define __this_cpu_sub_return(pcp, val) krseq___this_cpu_sub_return(pcp, val)
#define __this_cpu_inc_return(pcp) krseq___this_cpu_inc_return(pcp)
#define __this_cpu_dec_return(pcp) krseq___this_cpu_dec_return(pcp)

#define preempt_disable() krseq_preempt_disable()
#define preempt_enable() krseq_preempt_enable()
#define preempt_disable_notrace() krseq_preempt_disable_notrace()
#define preempt_enable_notrace() krseq_preempt_enable_notrace()
#define preempt_enable_no_resched() krseq_preempt_enable_no_resched()
#define preempt_count() krseq_preempt_count()
#define preemptible() krseq_preemptible()
#define in_interrupt() krseq_in_interrupt()
#define cond_resched() krseq_cond_resched()
#define might_resched() krseq_might_resched()
#define might_sleep() krseq_might_resched()

/* flags is assigned, as in the kernel's macro. */
#define local_irq_save(flags) ((flags) = krseq_local_irq_save())
#define local_irq_restore(flags) krseq_local_irq_restore(flags)
#define local_irq_disable() krseq_local_irq_disable()
#define local_irq_enable() krseq_local_irq_enable()
#define irqs_disabled() krseq_irqs_disabled()

#ifndef barrier
#define barrier() krseq_barrier()
#endif

#endif /* KRSEQ_LINUX_H */
