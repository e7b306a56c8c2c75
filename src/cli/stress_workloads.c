// SPDX-License-Identifier: MIT
/*
 * The workloads of krseq stress, in the spirit of the kernel's rseq
 * param_test: per-CPU counters, a per-CPU spinlock, a per-CPU list and
 * per-CPU buffers. The ops take their strategy as a compile-time constant,
 * so every workload is generated once per strategy; the interrupt handlers
 * use the same data with the same strategy. Helpers are noinline so that
 * the section profile names them.
 */
#include "stress.h"

#include <krseq/percpu.h>
#include <krseq/scheme.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OBJS_PER_CPU 16
#define BUF_SLOTS 32 /* twice OBJS_PER_CPU: a push finds room somewhere */
#define IPI_EVERY 64 /* task iterations between two IPIs */
#define SPIN_YIELD 64 /* failed lock attempts before giving the CPU up */
#define IRQ_TOKEN (~0ul)
#define ADV_TOKEN (~1ul) /* the forced interrupt's adversary */
#define STUCK_NS 10000000000ull /* spinning this long on one lock */

/*
 * A function of a workload's copy. The two copies are the same source,
 * and GCC merges identical functions at -O2 (-fipa-icf): the forced copy
 * would be every task's, and so would its traps.
 */
#ifdef __clang__
#define COPY_FN __attribute__((noinline))
#else
#define COPY_FN __attribute__((noinline, no_icf))
#endif

struct stress_run stress_run;

struct stress_obj {
	struct stress_obj *next;
	_Atomic int held;
};

/* SLUB's shape: head and tid change together, so a stale pop fails. */
union freelist {
	struct {
		struct stress_obj *head;
		unsigned long tid;
	};
	unsigned __int128 full;
};

struct pcpu_buf {
	struct stress_obj *slot[BUF_SLOTS];
};

static KRSEQ_DEFINE_PER_CPU(unsigned long, counter);
static KRSEQ_DEFINE_PER_CPU(unsigned long, lock);
static KRSEQ_DEFINE_PER_CPU(unsigned long, locked_data);
static KRSEQ_DEFINE_PER_CPU(union freelist, freelist)
	__attribute__((aligned(16)));
static KRSEQ_DEFINE_PER_CPU(struct pcpu_buf, buf);
static KRSEQ_DEFINE_PER_CPU(long, buf_count);

static struct stress_obj *objs;
static unsigned int nr_objs;
/* Where a handler puts an object it popped and found no room for. */
static struct stress_obj *_Atomic orphans;
static _Atomic unsigned long added; /* what the per-CPU sum must reach */

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * The clock is read every 16th iteration: it is slow under qemu. The run
 * goes on past its time until the forced task has made all its passes.
 */
static bool over(struct stress_task_arg *a)
{
	return a->stop ||
	       ((a->iter++ & 15) == 0 && cli_now_ns() >= stress_run.end_ns &&
		atomic_load(&stress_run.forced_done));
}

static void maybe_ipi(struct stress_task_arg *a)
{
	if (a->iter % IPI_EVERY == 0)
		krseq_send_ipi(
			(int)(rnd(&a->rng) % (uint64_t)stress_run.nr_cpus));
}

static void note(_Atomic unsigned long *c, unsigned long n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static void hold(struct stress_obj *o)
{
	if (atomic_fetch_add(&o->held, 1) != 0)
		note(&stress_run.violations, 1);
}

static void unhold(struct stress_obj *o)
{
	atomic_fetch_sub(&o->held, 1);
}

static void orphan(struct stress_obj *o)
{
	struct stress_obj *h = atomic_load(&orphans);

	do
		o->next = h;
	while (!atomic_compare_exchange_weak(&orphans, &h, o));
}

/* A lock word nobody frees: the spinner gives up, and it is reported. */
static bool stuck(uint64_t *since)
{
	uint64_t now = cli_now_ns();

	if (!*since)
		*since = now;
	return now - *since > STUCK_NS;
}

/* The CPU whose lock word holds token, or -1 if it was taken over. */
static int lock_cpu(unsigned long token)
{
	int cpu;

	krseq_for_each_possible_cpu(cpu)
		if (__atomic_load_n(krseq_per_cpu_ptr(&lock, cpu),
				    __ATOMIC_RELAXED) == token)
			return cpu;
	return -1;
}

/*
 * The protected update is a slow read-modify-write of a plain word, so
 * that two holders at once lose an update; and the holder checks it still
 * owns the lock before it drops it.
 */
static void critical(int cpu, unsigned long token)
{
	volatile unsigned long *d = krseq_per_cpu_ptr(&locked_data, cpu);
	unsigned long *l = krseq_per_cpu_ptr(&lock, cpu);
	unsigned long v;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	v = *d;
	for (volatile int i = 0; i < 8; i++)
		;
	*d = v + 1;
	note(&added, 1);
	if (__atomic_load_n(l, __ATOMIC_RELAXED) != token)
		note(&stress_run.violations, 1);
	else
		__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/*
 * What the forced interrupt's adversary holds until the forced task's
 * next point: a lock word it took on the interrupted CPU, or an object it
 * took off that CPU's list or buffer. Cleared before it is given back, so
 * that a forced interrupt replayed meanwhile takes a fresh one.
 */
static struct {
	int cpu;
	struct stress_obj *obj;
} adv;

/*
 * Every workload is expanded twice per strategy: COPY(S, name, 0) for the
 * tasks and COPY(S, name_forced, 1) for the forced task, whose copy also
 * calls the forced task's points (F is a constant: the others compile
 * without them). SHARED holds the handlers, which use the tasks' copy.
 */
#define TASK(wl, name, F)                                                      \
	static void *wl##_task_##name(void *p)                                 \
	{                                                                      \
		struct stress_task_arg *a = p;                                 \
		while (!over(a)) {                                             \
			if (F)                                                 \
				stress_forced_point();                         \
			wl##_step_##name(a);                                   \
		}                                                              \
		if (F)                                                         \
			stress_forced_end();                                   \
		note(&added, a->added);                                        \
		note(&stress_run.task_ops, a->ops);                            \
		return NULL;                                                   \
	}                                                                      \
	static __attribute__((unused)) void wl##_run_##name(void)              \
	{                                                                      \
		wl##_step_##name(stress_forced_arg);                           \
	}

#define COUNTERS_COPY(S, name, F)                                              \
	static COPY_FN void counters_step_##name(struct stress_task_arg *a)    \
	{                                                                      \
		/* A reader too: interrupts land on loads, and skid */         \
		/* past locked instructions, so FIXUP needs one. */            \
		(void)krseq_pcp_read(S, counter);                              \
		krseq_pcp_inc(S, counter);                                     \
		(void)krseq_pcp_add_return(S, counter, 2);                     \
		krseq_pcp_sub(S, counter, 1);                                  \
		a->added += 2;                                                 \
		a->ops += 4;                                                   \
		maybe_ipi(a);                                                  \
	}                                                                      \
	TASK(counters, name, F)

#define COUNTERS_SHARED(S, name)                                               \
	static void counters_irq_##name(enum krseq_irq src, void *arg)         \
	{                                                                      \
		(void)src;                                                     \
		(void)arg;                                                     \
		krseq_pcp_add(S, counter, 1);                                  \
		note(&added, 1);                                               \
		note(&stress_run.irq_ops, 1);                                  \
	}                                                                      \
	static void counters_adv_##name(void *arg)                             \
	{                                                                      \
		counters_irq_##name(KRSEQ_IRQ_FORCED, arg);                    \
	}                                                                      \
	static void counters_settle_##name(void)                               \
	{                                                                      \
	}

#define SPINLOCK_COPY(S, name, F)                                               \
	static COPY_FN bool spinlock_take_##name(unsigned long token)           \
	{                                                                       \
		unsigned long spins = 0;                                        \
		uint64_t since = 0;                                             \
		/* Test and test-and-set: spin on a read of this CPU's word. */ \
		while (krseq_pcp_read(S, lock) != 0 ||                          \
		       krseq_pcp_cmpxchg(S, lock, 0, token) != 0) {             \
			if (F)                                                  \
				stress_forced_settle();                         \
			if (++spins % SPIN_YIELD)                               \
				continue;                                       \
			krseq_yield();                                          \
			if (stuck(&since))                                      \
				return false;                                   \
		}                                                               \
		return true;                                                    \
	}                                                                       \
	static COPY_FN void spinlock_step_##name(struct stress_task_arg *a)     \
	{                                                                       \
		int cpu;                                                        \
		if (!spinlock_take_##name(a->token)) {                          \
			note(&stress_run.violations, 1);                        \
			a->stop = true;                                         \
			return;                                                 \
		}                                                               \
		/* The holder may migrate: remember whose lock. */              \
		cpu = lock_cpu(a->token);                                       \
		if (cpu < 0)                                                    \
			note(&stress_run.violations, 1);                        \
		else                                                            \
			critical(cpu, a->token);                                \
		a->ops++;                                                       \
		maybe_ipi(a);                                                   \
	}                                                                       \
	TASK(spinlock, name, F)

#define SPINLOCK_SHARED(S, name)                                               \
	static void spinlock_irq_##name(enum krseq_irq src, void *arg)         \
	{                                                                      \
		int cpu = krseq_smp_processor_id();                            \
		(void)src;                                                     \
		(void)arg;                                                     \
		/* A handler must not spin on a lock its task may hold. */     \
		if (krseq_pcp_cmpxchg(S, lock, 0, IRQ_TOKEN) != 0)             \
			return;                                                \
		critical(cpu, IRQ_TOKEN);                                      \
		note(&stress_run.irq_ops, 1);                                  \
	}                                                                      \
	/* Another holder, in the middle of its critical section when */       \
	/* the forced task resumes; it ends it at the task's next point. */    \
	static void spinlock_adv_##name(void *arg)                             \
	{                                                                      \
		(void)arg;                                                     \
		if (adv.cpu < 0 &&                                             \
		    krseq_pcp_cmpxchg(S, lock, 0, ADV_TOKEN) == 0)             \
			adv.cpu = krseq_smp_processor_id();                    \
	}                                                                      \
	static void spinlock_settle_##name(void)                               \
	{                                                                      \
		int cpu = adv.cpu;                                             \
		if (cpu < 0)                                                   \
			return;                                                \
		adv.cpu = -1;                                                  \
		critical(cpu, ADV_TOKEN);                                      \
	}

/*
 * The list and the buffer are pools of objects: a step takes a few and
 * gives them back, a handler or the adversary takes one. A full buffer
 * makes the task wait for room, and a handler, which cannot wait, leave
 * the object out (orphan); the list is never full.
 */
#define POOL_STEP(wl, name, F)                                                 \
	static COPY_FN void wl##_step_##name(struct stress_task_arg *a)        \
	{                                                                      \
		struct stress_obj *got[4];                                     \
		int k = 1 + (int)(rnd(&a->rng) % 4), m = 0;                    \
		while (m < k && (got[m] = wl##_pop_##name()))                  \
			hold(got[m++]);                                        \
		while (m > 0) {                                                \
			unhold(got[--m]);                                      \
			while (!wl##_push_##name(got[m])) {                    \
				if (F)                                         \
					stress_forced_settle();                \
				krseq_yield();                                 \
			}                                                      \
			a->ops += 2;                                           \
		}                                                              \
		maybe_ipi(a);                                                  \
	}                                                                      \
	TASK(wl, name, F)

#define POOL_SHARED(wl, name)                                                  \
	static void wl##_irq_##name(enum krseq_irq src, void *arg)             \
	{                                                                      \
		struct stress_obj *o = wl##_pop_##name();                      \
		(void)src;                                                     \
		(void)arg;                                                     \
		if (o) {                                                       \
			hold(o);                                               \
			unhold(o);                                             \
			if (!wl##_push_##name(o))                              \
				orphan(o);                                     \
		}                                                              \
		note(&stress_run.irq_ops, 1);                                  \
	}                                                                      \
	static void wl##_adv_##name(void *arg)                                 \
	{                                                                      \
		(void)arg;                                                     \
		if (!adv.obj && (adv.obj = wl##_pop_##name()))                 \
			hold(adv.obj);                                         \
	}                                                                      \
	static void wl##_settle_##name(void)                                   \
	{                                                                      \
		struct stress_obj *o = adv.obj;                                \
		if (!o)                                                        \
			return;                                                \
		adv.obj = NULL;                                                \
		unhold(o);                                                     \
		if (!wl##_push_##name(o))                                      \
			orphan(o);                                             \
	}

#define LIST_COPY(S, name, F)                                                  \
	static COPY_FN struct stress_obj *list_pop_##name(void)                \
	{                                                                      \
		union freelist old, new;                                       \
		old.full = krseq_pcp_cmpxchg128(S, freelist.full, 0, 0);       \
		do {                                                           \
			if (!old.head)                                         \
				return NULL;                                   \
			new.head = old.head->next;                             \
			new.tid = old.tid + (unsigned long)stress_run.nr_cpus; \
		} while (!krseq_pcp_try_cmpxchg128(S, freelist.full,           \
						   &old.full, new.full));      \
		return old.head;                                               \
	}                                                                      \
	static COPY_FN bool list_push_##name(struct stress_obj *o)             \
	{                                                                      \
		union freelist old, new;                                       \
		old.full = krseq_pcp_cmpxchg128(S, freelist.full, 0, 0);       \
		do {                                                           \
			o->next = old.head;                                    \
			new.head = o;                                          \
			new.tid = old.tid + (unsigned long)stress_run.nr_cpus; \
		} while (!krseq_pcp_try_cmpxchg128(S, freelist.full,           \
						   &old.full, new.full));      \
		return true;                                                   \
	}                                                                      \
	POOL_STEP(list, name, F)

#define LIST_SHARED(S, name) POOL_SHARED(list, name)

/*
 * A bounded array per CPU and a count: a slot is claimed with cmpxchg
 * from NULL and emptied with xchg, each one per-CPU op, so a migration
 * between two of them only moves the task to another CPU's buffer. The
 * counts may drift between CPUs that way, but their sum may not.
 */
#define BUFFER_COPY(S, name, F)                                                \
	static COPY_FN bool buffer_push_##name(struct stress_obj *o)           \
	{                                                                      \
		for (int i = 0; i < BUF_SLOTS; i++) {                          \
			if (krseq_pcp_read(S, buf.slot[i]))                    \
				continue;                                      \
			if (!krseq_pcp_cmpxchg(S, buf.slot[i], NULL, o)) {     \
				krseq_pcp_inc(S, buf_count);                   \
				return true;                                   \
			}                                                      \
		}                                                              \
		return false;                                                  \
	}                                                                      \
	static COPY_FN struct stress_obj *buffer_pop_##name(void)              \
	{                                                                      \
		for (int i = BUF_SLOTS - 1; i >= 0; i--) {                     \
			struct stress_obj *o;                                  \
			if (!krseq_pcp_read(S, buf.slot[i]))                   \
				continue;                                      \
			o = krseq_pcp_xchg(S, buf.slot[i], NULL);              \
			if (o) {                                               \
				krseq_pcp_dec(S, buf_count);                   \
				return o;                                      \
			}                                                      \
		}                                                              \
		return NULL;                                                   \
	}                                                                      \
	POOL_STEP(buffer, name, F)

#define BUFFER_SHARED(S, name) POOL_SHARED(buffer, name)

#define WORKLOAD(wl, WL, S, name)                                              \
	WL##_COPY(S, name, 0) WL##_COPY(S, name##_forced, 1)                   \
		WL##_SHARED(S, name)
/* Counters, spinlock and buffer use 8-byte cells, list the 16-byte one. */
/*
 * The functions are named after the scheme (counters_step_restart): a
 * profile or a backtrace names it. STRATEGY_ and IMPLS_ take the name
 * expanded, the layers below paste it.
 */
#define STRATEGY(S, ...) STRATEGY_(S, KRSEQ_SCHEME_ID(S))
#define STRATEGY_(S, id)                                                       \
	KRSEQ_IF_CELL(S, 8)                                                    \
	(WORKLOAD(counters, COUNTERS, S, id)                                   \
		 WORKLOAD(spinlock, SPINLOCK, S, id)                           \
			 WORKLOAD(buffer, BUFFER, S, id))                      \
		KRSEQ_IF_CELL(S, 16)(WORKLOAD(list, LIST, S, id))

#define FN(f) ((void (*)(void))(f))
#define IMPL(wl, name, ...)                                                    \
	{                                                                      \
		wl##_task_##name, wl##_irq_##name, wl##_task_##name##_forced,  \
			wl##_run_##name##_forced,                              \
			{ FN(wl##_step_##name##_forced), __VA_ARGS__ },        \
			wl##_adv_##name, wl##_settle_##name                    \
	}
#define IMPLS(S, ...) IMPLS_(S, KRSEQ_SCHEME_ID(S))
#define IMPLS_(S, id) IMPLS__(S, id)
#define IMPLS__(S, id)                                                         \
	[S] = { KRSEQ_IF_CELL(                                                 \
		S, 8)([STRESS_COUNTERS] = IMPL(counters, id, NULL),            \
		      [STRESS_SPINLOCK] = IMPL(                                \
			      spinlock, id, FN(spinlock_take_##id##_forced)),  \
		      [STRESS_BUFFER] = IMPL(buffer, id,                       \
					     FN(buffer_pop_##id##_forced),     \
					     FN(buffer_push_##id##_forced)), ) \
			KRSEQ_IF_CELL(                                         \
				S,                                             \
				16)([STRESS_LIST] = IMPL(                      \
					    list, id,                          \
					    FN(list_pop_##id##_forced),        \
					    FN(list_push_##id##_forced)), ) },

KRSEQ_FOR_EACH_SCHEME(STRATEGY)

static const struct stress_impl impls[KRSEQ_NR_SCHEMES][STRESS_NR_WORKLOADS] = {
	KRSEQ_FOR_EACH_SCHEME(IMPLS)
};

/*
 * A scheme a program registered (<krseq/scheme.h>): the counters workload
 * through its add sequence at 8 bytes, in the tasks and in the handlers.
 * Its text is every task's, so no task has a private copy to trap: it
 * runs without the forced task.
 */
static krseq_seq_fn registered_add;

static void counters_step_registered(struct stress_task_arg *a)
{
	registered_add(&counter, 1, 0);
	registered_add(&counter, 2, 0);
	a->added += 3;
	a->ops += 2;
	maybe_ipi(a);
}
TASK(counters, registered, 0)

static void counters_irq_registered(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	registered_add(&counter, 1, 0);
	note(&added, 1);
	note(&stress_run.irq_ops, 1);
}

static const struct stress_impl registered_counters = {
	.task = counters_task_registered,
	.irq = counters_irq_registered,
};

const struct stress_impl *stress_impl(int strategy, enum stress_workload w)
{
	if (strategy >= KRSEQ_NR_SCHEMES && w == STRESS_COUNTERS) {
		registered_add = krseq_scheme_seq(strategy, KRSEQ_OP_ADD, 8);
		return registered_add ? &registered_counters : NULL;
	}
	if (strategy <= 0 || strategy >= KRSEQ_NR_SCHEMES ||
	    (unsigned int)w >= STRESS_NR_WORKLOADS || !impls[strategy][w].task)
		return NULL;
	return &impls[strategy][w];
}

static const char *const workload_names[] = {
	[STRESS_COUNTERS] = "counters",
	[STRESS_SPINLOCK] = "spinlock",
	[STRESS_LIST] = "list",
	[STRESS_BUFFER] = "buffer",
};

const char *stress_workload_name(enum stress_workload w)
{
	return (unsigned int)w < STRESS_NR_WORKLOADS ? workload_names[w] : "?";
}

/* The per-CPU copies are fresh from krseq_init(): only objects to place. */
int stress_prepare(enum stress_workload w)
{
	int cpu;

	atomic_store(&added, 0);
	atomic_store(&orphans, NULL);
	adv.cpu = -1;
	adv.obj = NULL;
	krseq_for_each_possible_cpu(cpu)
		krseq_per_cpu_ptr(&freelist, cpu)->tid = (unsigned long)cpu;
	if (w != STRESS_LIST && w != STRESS_BUFFER)
		return 0;
	nr_objs = OBJS_PER_CPU * (unsigned int)stress_run.nr_cpus;
	objs = calloc(nr_objs, sizeof(*objs));
	if (!objs)
		return -1;
	for (unsigned int i = 0; i < nr_objs; i++) {
		struct stress_obj *o = &objs[i];

		cpu = (int)(i % (unsigned int)stress_run.nr_cpus);
		if (w == STRESS_LIST) {
			union freelist *fl = krseq_per_cpu_ptr(&freelist, cpu);

			o->next = fl->head;
			fl->head = o;
		} else {
			krseq_per_cpu_ptr(&buf, cpu)
				->slot[i / stress_run.nr_cpus] = o;
			(*krseq_per_cpu_ptr(&buf_count, cpu))++;
		}
	}
	return 0;
}

/* Count o once; a second sighting, or one outside objs, is an error. */
static void seen_once(struct stress_obj *o, unsigned char *seen,
		      struct stress_verdict *v)
{
	if (o < objs || o >= objs + nr_objs || seen[o - objs]++)
		v->errors++;
	else
		v->got++;
}

static void verify_objects(enum stress_workload w, struct stress_verdict *v)
{
	unsigned char *seen = calloc(nr_objs ? nr_objs : 1, 1);
	long counted = 0, in_buffers = 0;
	int cpu;

	v->expected = nr_objs;
	if (!seen) {
		v->errors++;
		return;
	}
	krseq_for_each_possible_cpu(cpu) {
		if (w == STRESS_LIST) {
			struct stress_obj *o =
				krseq_per_cpu_ptr(&freelist, cpu)->head;

			/* A corrupted list may loop: walk no further. */
			for (unsigned int n = 0; o && n <= nr_objs;
			     o = o->next, n++)
				seen_once(o, seen, v);
			continue;
		}
		for (int i = 0; i < BUF_SLOTS; i++) {
			struct stress_obj *o =
				krseq_per_cpu_ptr(&buf, cpu)->slot[i];

			if (o) {
				seen_once(o, seen, v);
				in_buffers++;
			}
		}
		counted += *krseq_per_cpu_ptr(&buf_count, cpu);
	}
	for (struct stress_obj *o = atomic_load(&orphans); o; o = o->next)
		seen_once(o, seen, v);
	if (w == STRESS_BUFFER && counted != in_buffers)
		v->errors++;
	free(seen);
}

void stress_verify(enum stress_workload w, struct stress_verdict *v)
{
	int cpu;

	memset(v, 0, sizeof(*v));
	v->errors = atomic_load(&stress_run.violations);
	switch (w) {
	case STRESS_COUNTERS:
	case STRESS_SPINLOCK:
		v->expected = atomic_load(&added);
		krseq_for_each_possible_cpu(cpu) {
			if (w == STRESS_COUNTERS) {
				v->got += krseq_per_cpu(counter, cpu);
				continue;
			}
			v->got += krseq_per_cpu(locked_data, cpu);
			if (krseq_per_cpu(lock, cpu))
				v->errors++;
		}
		break;
	case STRESS_LIST:
	case STRESS_BUFFER:
		verify_objects(w, v);
		break;
	default:
		break;
	}
	free(objs);
	objs = NULL;
	nr_objs = 0;
}
