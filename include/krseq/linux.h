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

#include <errno.h>
#include <limits.h>

/* The kernel's fixed-width types and compiler helpers. */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;
typedef __int128 s128;
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)                                                     \
	do {                                                                   \
		*(volatile __typeof__(x) *)&(x) = (val);                       \
	} while (0)
/* min()/max() as the kernel's: each argument evaluated once. */
#define min(x, y)                                                              \
	({                                                                     \
		__typeof__(x) krseq__x = (x);                                  \
		__typeof__(y) krseq__y = (y);                                  \
		krseq__x < krseq__y ? krseq__x : krseq__y;                     \
	})
#define max(x, y)                                                              \
	({                                                                     \
		__typeof__(x) krseq__x = (x);                                  \
		__typeof__(y) krseq__y = (y);                                  \
		krseq__x > krseq__y ? krseq__x : krseq__y;                     \
	})
#define min_t(type, x, y) min((type)(x), (type)(y))
#define max_t(type, x, y) max((type)(x), (type)(y))
#define BUILD_BUG_ON(cond)                                                     \
	do {                                                                   \
		_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")");            \
	} while (0)

/* Per-CPU declarations; the sparse annotation means nothing to a compiler. */
#ifndef __percpu
#define __percpu
#endif
/* The kernel's L1_CACHE_BYTES: s390 lines are 256 bytes. */
#ifdef __s390x__
#define KRSEQ_CACHELINE 256
#else
#define KRSEQ_CACHELINE 64
#endif
#define KRSEQ_PAGE_SIZE 4096
#define DEFINE_PER_CPU(type, name) KRSEQ_DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU(type, name) KRSEQ_DECLARE_PER_CPU(type, name)
/*
 * Every CPU's copy keeps the template's alignment: copies lie a whole
 * number of pages from it (krseq_cpu_offset()).
 */
#define DEFINE_PER_CPU_ALIGNED(type, name)                                     \
	KRSEQ_DEFINE_PER_CPU(type, name)                                       \
	__attribute__((aligned(KRSEQ_CACHELINE)))
#define DECLARE_PER_CPU_ALIGNED(type, name)                                    \
	KRSEQ_DECLARE_PER_CPU(type, name)                                      \
	__attribute__((aligned(KRSEQ_CACHELINE)))
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name)                              \
	DEFINE_PER_CPU_ALIGNED(type, name)
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name)                             \
	DECLARE_PER_CPU_ALIGNED(type, name)
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name)                                \
	KRSEQ_DEFINE_PER_CPU(type, name)                                       \
	__attribute__((aligned(KRSEQ_PAGE_SIZE)))
#define DECLARE_PER_CPU_PAGE_ALIGNED(type, name)                               \
	KRSEQ_DECLARE_PER_CPU(type, name)                                      \
	__attribute__((aligned(KRSEQ_PAGE_SIZE)))
/* Only a placement hint in the kernel (.data..percpu..read_mostly). */
#define DEFINE_PER_CPU_READ_MOSTLY(type, name) KRSEQ_DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_READ_MOSTLY(type, name)                                \
	KRSEQ_DECLARE_PER_CPU(type, name)
/* One process: every object already sees the symbol. */
#define EXPORT_PER_CPU_SYMBOL(var) extern __typeof__(var) var
#define EXPORT_PER_CPU_SYMBOL_GPL(var) extern __typeof__(var) var

#define per_cpu_ptr(ptr, cpu) krseq_per_cpu_ptr(ptr, cpu)
/* Zeroed on every CPU; the flags are accepted and need nothing here. */
typedef unsigned int gfp_t;
#define GFP_KERNEL ((gfp_t)0x01)
#define GFP_ATOMIC ((gfp_t)0x02)
#define GFP_NOWAIT ((gfp_t)0x04)
#define alloc_percpu(type) krseq_alloc_percpu(type)
#define alloc_percpu_gfp(type, gfp) ((void)(gfp), krseq_alloc_percpu(type))
#define free_percpu(ptr) ((void)(ptr)) /* released by krseq_exit() */
#define per_cpu(var, cpu) krseq_per_cpu(var, cpu)
#define this_cpu_ptr(ptr) krseq_this_cpu_ptr(ptr)
#define raw_cpu_ptr(ptr) krseq_this_cpu_ptr(ptr)

/* CPUs: no hotplug, so every possible CPU is present and online. */
#define for_each_possible_cpu(cpu) krseq_for_each_possible_cpu(cpu)
#define for_each_present_cpu(cpu) krseq_for_each_possible_cpu(cpu)
#define for_each_online_cpu(cpu) krseq_for_each_possible_cpu(cpu)
#define nr_cpu_ids ((unsigned int)krseq_nr_cpus())
#define num_possible_cpus() ((unsigned int)krseq_nr_cpus())
#define num_online_cpus() ((unsigned int)krseq_nr_cpus())
#define cpu_online(cpu) ((unsigned int)(cpu) < (unsigned int)krseq_nr_cpus())
#define smp_processor_id() krseq_smp_processor_id()
#define raw_smp_processor_id() krseq_smp_processor_id()

/* Pinning to the CPU. */
#define get_cpu()                                                              \
	({                                                                     \
		krseq_preempt_disable();                                       \
		krseq_smp_processor_id();                                      \
	})
#define put_cpu() krseq_preempt_enable()
#define get_cpu_ptr(ptr)                                                       \
	({                                                                     \
		krseq_preempt_disable();                                       \
		krseq_this_cpu_ptr(ptr);                                       \
	})
#define put_cpu_ptr(ptr)                                                       \
	do {                                                                   \
		(void)(ptr);                                                   \
		krseq_preempt_enable();                                        \
	} while (0)
/* An lvalue: get_cpu_var(x)++ or &get_cpu_var(x). */
#define get_cpu_var(var) (*get_cpu_ptr(&(var)))
#define put_cpu_var(var) put_cpu_ptr(&(var))
#define migrate_disable() krseq_migrate_disable()
#define migrate_enable() krseq_migrate_enable()
/* Without PREEMPT_RT, the nested forms are preempt_disable()/enable(). */
#define preempt_disable_nested() krseq_preempt_disable()
#define preempt_enable_nested() krseq_preempt_enable()

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
#define this_cpu_cmpxchg64(pcp, oval, nval)                                    \
	krseq_this_cpu_cmpxchg64(pcp, oval, nval)
#define this_cpu_try_cmpxchg64(pcp, ovalp, nval)                               \
	krseq_this_cpu_try_cmpxchg64(pcp, ovalp, nval)

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
#define raw_cpu_cmpxchg64(pcp, oval, nval)                                     \
	krseq_raw_cpu_cmpxchg64(pcp, oval, nval)
#define raw_cpu_try_cmpxchg64(pcp, ovalp, nval)                                \
	krseq_raw_cpu_try_cmpxchg64(pcp, ovalp, nval)
#define raw_cpu_cmpxchg128(pcp, oval, nval)                                    \
	krseq_raw_cpu_cmpxchg128(pcp, oval, nval)
#define raw_cpu_try_cmpxchg128(pcp, ovalp, nval)                               \
	krseq_raw_cpu_try_cmpxchg128(pcp, ovalp, nval)

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
#define __this_cpu_cmpxchg64(pcp, oval, nval)                                  \
	krseq___this_cpu_cmpxchg64(pcp, oval, nval)
#define __this_cpu_try_cmpxchg64(pcp, ovalp, nval)                             \
	krseq___this_cpu_try_cmpxchg64(pcp, ovalp, nval)
#define __this_cpu_cmpxchg128(pcp, oval, nval)                                 \
	krseq___this_cpu_cmpxchg128(pcp, oval, nval)
#define __this_cpu_try_cmpxchg128(pcp, ovalp, nval)                            \
	krseq___this_cpu_try_cmpxchg128(pcp, ovalp, nval)

#define preempt_disable() krseq_preempt_disable()
#define preempt_enable() krseq_preempt_enable()
#define preempt_disable_notrace() krseq_preempt_disable_notrace()
#define preempt_enable_notrace() krseq_preempt_enable_notrace()
#define preempt_enable_no_resched() krseq_preempt_enable_no_resched()
#define preempt_count() krseq_preempt_count()
#define preemptible() krseq_preemptible()
#define in_interrupt() krseq_in_interrupt()
#define in_hardirq() krseq_in_hardirq()
#define in_nmi() krseq_in_nmi()
#define in_task() krseq_in_task()
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

/* local_lock_t without PREEMPT_RT; the lock is a per-CPU template address. */
typedef krseq_local_lock_t local_lock_t;
#define INIT_LOCAL_LOCK(lockname) KRSEQ_LOCAL_LOCK_INIT
#define local_lock(lock)                                                       \
	do {                                                                   \
		krseq_preempt_disable();                                       \
		krseq_local_lock_acquire(krseq_this_cpu_ptr(lock), __FILE__,   \
					 __LINE__);                            \
	} while (0)
#define local_unlock(lock)                                                     \
	do {                                                                   \
		krseq_local_lock_release(krseq_this_cpu_ptr(lock), __FILE__,   \
					 __LINE__);                            \
		krseq_preempt_enable();                                        \
	} while (0)
#define local_lock_irqsave(lock, flags)                                        \
	do {                                                                   \
		local_irq_save(flags);                                         \
		krseq_local_lock_acquire(krseq_this_cpu_ptr(lock), __FILE__,   \
					 __LINE__);                            \
	} while (0)
#define local_unlock_irqrestore(lock, flags)                                   \
	do {                                                                   \
		krseq_local_lock_release(krseq_this_cpu_ptr(lock), __FILE__,   \
					 __LINE__);                            \
		local_irq_restore(flags);                                      \
	} while (0)

/* lockdep's checks: a failure is printed once per site and counted. */
#define lockdep_assert_irqs_disabled() krseq_lockdep_assert_irqs_disabled()
#define lockdep_assert_irqs_enabled() krseq_lockdep_assert_irqs_enabled()
#define lockdep_assert_preemption_disabled()                                   \
	krseq_lockdep_assert_preemption_disabled()
#define lockdep_assert_preemption_enabled()                                    \
	krseq_lockdep_assert_preemption_enabled()

/*
 * Reports. WARN*() return the condition, print the warning and count it
 * in krseq_stats.warnings; the _ONCE forms print and count once per call
 * site. BUG_ON() stops the process with the message. pr_fmt() may be
 * defined before this header, as in the kernel.
 */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
/* Log levels as the kernel spells them; krseq_printk() drops them. */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"
#define printk(fmt, ...) krseq_printk(fmt, ##__VA_ARGS__)
#define pr_emerg(fmt, ...) krseq_printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) krseq_printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) krseq_printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) krseq_printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) krseq_printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) krseq_printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) krseq_printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) krseq_printk(KERN_CONT fmt, ##__VA_ARGS__)
/* As without DEBUG in the kernel: the format is checked, nothing printed. */
#define pr_debug(fmt, ...)                                                     \
	({                                                                     \
		if (0)                                                         \
			krseq_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__);   \
	})
#define WARN(cond, fmt, ...)                                                   \
	({                                                                     \
		bool krseq__w = !!(cond);                                      \
		if (unlikely(krseq__w))                                        \
			krseq_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__);    \
		krseq__w;                                                      \
	})
#define WARN_ON(cond)                                                          \
	({                                                                     \
		bool krseq__w = !!(cond);                                      \
		if (unlikely(krseq__w))                                        \
			krseq_warn(__FILE__, __LINE__, "WARN_ON(%s)", #cond);  \
		krseq__w;                                                      \
	})
#define WARN_ONCE(cond, fmt, ...)                                              \
	({                                                                     \
		static bool krseq__done;                                       \
		bool krseq__w = !!(cond);                                      \
		if (unlikely(krseq__w) && krseq_warn_first(&krseq__done))      \
			krseq_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__);    \
		krseq__w;                                                      \
	})
#define WARN_ON_ONCE(cond) WARN_ONCE(cond, "WARN_ON_ONCE(%s)", #cond)
#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (unlikely(cond))                                            \
			krseq_bug(__FILE__, __LINE__, #cond);                  \
	} while (0)

#endif /* KRSEQ_LINUX_H */
