// SPDX-License-Identifier: MIT
/*
 * The interrupt-point explorer (DESIGN.md section 4). One task runs the
 * sequence; the adversary's work is done by the forced interrupt's handler
 * itself, or while the task is switched out, so every run is deterministic
 * and no other thread can reach a patched instruction.
 */
#include "explore_internal.h"
#include "arch/arch.h"
#include "sized.h"

#include <krseq/percpu.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values of every size, 16 bytes included. */
typedef unsigned __int128 val_t;

#define MAX_BOUNDARIES KRSEQ_MAX_MARKS

static const char *const adv_names[KRSEQ_NR_ADV] = {
	"irq", "migrate", "nmi", "nested", "prologue", "kprobe", "nmi-entry"
};

/* What each adversary does to the copies: as one of the first three. */
static bool migrates(enum krseq_adversary adv)
{
	return adv == KRSEQ_ADV_MIGRATE || adv == KRSEQ_ADV_KPROBE;
}

static bool by_irq(enum krseq_adversary adv)
{
	return adv == KRSEQ_ADV_IRQ || adv == KRSEQ_ADV_PROLOGUE;
}

const char *krseq_adversary_name(enum krseq_adversary adv)
{
	return (unsigned int)adv < KRSEQ_NR_ADV ? adv_names[adv] : "?";
}

/* The sequential answer: the new value, and what the op returns. */
static val_t apply(enum krseq_op op, val_t mask, val_t x, val_t a1, val_t a2,
		   val_t *ret)
{
	val_t n = x;

	*ret = 0;
	switch (op) {
	case KRSEQ_OP_READ:
		*ret = x;
		break;
	case KRSEQ_OP_WRITE:
		n = a1;
		break;
	case KRSEQ_OP_ADD:
		n = x + a1;
		break;
	case KRSEQ_OP_SUB:
		n = x - a1;
		break;
	case KRSEQ_OP_INC:
		n = x + 1;
		break;
	case KRSEQ_OP_DEC:
		n = x - 1;
		break;
	case KRSEQ_OP_AND:
		n = x & a1;
		break;
	case KRSEQ_OP_OR:
		n = x | a1;
		break;
	case KRSEQ_OP_XCHG:
		n = a1;
		*ret = x;
		break;
	case KRSEQ_OP_CMPXCHG:
	case KRSEQ_OP_TRY_CMPXCHG:
		if ((x & mask) == (a1 & mask))
			n = a2;
		*ret = op == KRSEQ_OP_CMPXCHG ? x : (x & mask) == (a1 & mask);
		break;
	case KRSEQ_OP_ADD_RETURN:
		n = *ret = x + a1;
		break;
	case KRSEQ_OP_SUB_RETURN:
		n = *ret = x - a1;
		break;
	case KRSEQ_OP_INC_RETURN:
		n = *ret = x + 1;
		break;
	case KRSEQ_OP_DEC_RETURN:
		n = *ret = x - 1;
		break;
	default:
		break;
	}
	if (op != KRSEQ_OP_TRY_CMPXCHG)
		*ret &= mask;
	return n & mask;
}

struct xcase {
	const char *name;
	const struct krseq_explore_target *t; /* NULL for a built-in op */
	int strategy;
	enum krseq_op op;
	int size;
	void (*run)(void);
	uintptr_t fn; /* the function explored, if not run: a target's op */
	void *var; /* template */
	val_t a1, a2;
	bool has_ret;
	bool a1_is_current; /* cmpxchg: expect the running CPU's value */
};

/*
 * What the adversary's k-th update of a run does to a copy: an xor, which
 * does not commute with the ops, and another one for each update, so that
 * two updates lost together do not cancel.
 */
#define ADV_XOR (((val_t)0x5a5a5a5a5a5a5a5aull << 64) | 0x5a5a5a5a5a5a5a5aull)

static val_t adv_xor(int k)
{
	uint64_t b = (uint64_t)((0x25 * k) & 0xff) * 0x0101010101010101ull;

	return ADV_XOR ^ (((val_t)b << 64) | b);
}

/*
 * What happened to the copies during a run, in order: an adversary's
 * update of one CPU's copy, or the task switched out of a CPU. The oracle
 * places the op between any two of them (DESIGN.md section 4).
 */
#define MAX_EVENTS (KRSEQ_EXPLORE_MAX_ORDERS - 1)
struct xevent {
	int copy; /* the copy updated; -1: the task left task_cpu */
	int task_cpu; /* where the task was; -1: switched out */
};

/*
 * Where a run's second interrupt lands (depth 2). In the entry path and in
 * the handler's own section interrupts are off, as in the kernel's hard
 * irq context: only an NMI comes in there.
 */
enum xwhere {
	W_NONE, /* depth 1: one interrupt */
	W_TRACE, /* none: markers find the boundaries run after the first */
	W_OP, /* a boundary the op reaches after the first returned */
	W_ENTRY, /* an NMI in the first's entry path, before its hooks */
	W_ENTRY_HOOKED, /* an NMI right after the entry hooks */
	W_NESTED, /* an NMI at a boundary of the handler's own section */
};

/* Where a run's interrupts land, and which adversary each brings. */
struct xpoint {
	uintptr_t pc, fn, next; /* the boundary, its function, the next */
	enum krseq_adversary adv;
	enum xwhere where;
	uintptr_t pc2, fn2, next2; /* W_OP, W_NESTED */
	enum krseq_adversary adv2;
};

/* One of a run's forced interrupts, as its callbacks see it. */
struct xirq {
	enum krseq_adversary adv;
	uintptr_t pc; /* where a kprobe goes */
	bool first;
};

static struct {
	const struct xcase *c;
	const struct xpoint *p;
	struct xirq irq[2];
	struct krseq_forced_irq f2; /* the second interrupt (W_OP, W_NESTED) */
	const uintptr_t *marks; /* W_TRACE */
	int nr_marks, error;
	unsigned int nmi_pending, nested_runs;
	bool offcpu_ran;
	struct xevent ev[MAX_EVENTS];
	int nr_ev, updates;
	int last_cpu; /* where the task was last seen; -1: switched out */
	bool ev_overflow;
	unsigned long nested_before;
	/* prologue: the op the entry path runs, on a variable of its own */
	krseq_seq_fn prologue;
} run_state;

/* The prologue's variable; the op's sequence is set per scheme. */
static uint64_t *prologue_var;

static void push(int copy, int task_cpu)
{
	if (run_state.nr_ev == MAX_EVENTS) {
		run_state.ev_overflow = true;
		return;
	}
	run_state.ev[run_state.nr_ev++] = (struct xevent){ copy, task_cpu };
}

/*
 * The task is seen on cpu. A switch the explorer did not ask for (held
 * back by a preempt-disabled section to its preempt_enable()) is known by
 * the CPU having changed since the last event.
 */
static void seen_on(int cpu)
{
	if (run_state.last_cpu >= 0 && cpu != run_state.last_cpu)
		push(-1, run_state.last_cpu);
	run_state.last_cpu = cpu;
}

static void record(int copy, int task_cpu)
{
	if (task_cpu >= 0)
		seen_on(task_cpu);
	push(copy, task_cpu);
}

/* The adversary updates cpu's copy; the task is on task_cpu (-1: off). */
static void adversary_update(int cpu, int task_cpu)
{
	const struct xcase *c = run_state.c;
	void *p = krseq_per_cpu_ptr(c->var, cpu);

	record(cpu, task_cpu);
	if (c->t)
		c->t->adversary(p);
	else
		krseq_store_sized(p, c->size,
				  krseq_load_sized(p, c->size) ^
					  adv_xor(run_state.updates));
	run_state.updates++;
}

/* An update on the running CPU, from an interrupt or an NMI. */
static void update_here(void)
{
	int cpu = krseq_smp_processor_id();

	adversary_update(cpu, cpu);
}

/* The NMIs an adversary raised, each of which updates the variable. */
static void raise_nmi(void)
{
	run_state.nmi_pending++;
	krseq_raise(KRSEQ_IRQ_NMI);
}

static void nmi_handler(enum krseq_irq src, void *arg)
{
	(void)src;
	(void)arg;
	if (!run_state.nmi_pending)
		return;
	run_state.nmi_pending--;
	update_here();
}

/* The second interrupt as a forced NMI: its handler updates. */
static void forced_nmi(void *arg)
{
	(void)arg;
	update_here();
}

static bool first_of(void *arg, enum xwhere where)
{
	const struct xirq *q = arg;

	return q->first && run_state.p->where == where;
}

/* Every callback that runs on the task's CPU sees where the task is. */
static void seen_here(void)
{
	seen_on(krseq_smp_processor_id());
}

static void pre_entry(void *arg)
{
	const struct xirq *q = arg;

	seen_here();
	if (q->adv == KRSEQ_ADV_PROLOGUE)
		run_state.prologue(prologue_var, 1, 0);
	else if (q->adv == KRSEQ_ADV_NMI_ENTRY)
		raise_nmi();
	if (first_of(arg, W_ENTRY))
		raise_nmi();
}

static void post_entry(void *arg)
{
	seen_here();
	if (first_of(arg, W_ENTRY_HOOKED))
		raise_nmi();
}

/*
 * The kprobe's breakpoint is put back once the exit hooks are done; then
 * the first interrupt is over, and what follows it is set up: the second
 * trap, or the markers of a trace.
 */
static void post_exit(void *arg)
{
	int err = 0;

	seen_here();
	if (krseq_kprobe_clear())
		abort(); /* text that was written a moment ago */
	if (first_of(arg, W_OP))
		err = krseq_trap_arm_next(run_state.p->pc2, &run_state.f2,
					  false);
	else if (first_of(arg, W_TRACE))
		err = krseq_trap_mark(run_state.marks, run_state.nr_marks);
	if (err && !run_state.error)
		run_state.error = err;
}

static void forced_irq(void *arg)
{
	const struct xirq *q = arg;
	int err = 0;

	switch (q->adv) {
	case KRSEQ_ADV_IRQ:
	case KRSEQ_ADV_PROLOGUE:
		update_here();
		break;
	case KRSEQ_ADV_KPROBE:
		if (krseq_kprobe_set(q->pc))
			abort(); /* the trap was written there just now */
		break;
	case KRSEQ_ADV_NMI:
		raise_nmi();
		break;
	case KRSEQ_ADV_NESTED:
		run_state.nested_runs++;
		if (first_of(arg, W_NESTED))
			err = krseq_trap_arm_next(run_state.p->pc2,
						  &run_state.f2, true);
		/* Arms both slots, as a handler's own section would. */
		krseq_probe_nested_section();
		krseq_ta.lowcore->sched_rseq = krseq_ta.sched_rseq;
		/* A boundary the section did not reach. */
		krseq_trap_disarm();
		break;
	default:
		break;
	}
	if (err && !run_state.error)
		run_state.error = err;
}

static void forced_offcpu(void *arg, int old_cpu)
{
	(void)arg;
	run_state.offcpu_ran = true;
	record(-1, old_cpu);
	run_state.last_cpu = -1;
	adversary_update(old_cpu, -1);
}

struct ctx {
	bool capturing; /* a second run, for the backtrace at the trap */
	/* A target's copies, nr_cpus * size bytes each. */
	unsigned char *before, *got, *seq[KRSEQ_EXPLORE_MAX_ORDERS];
	char *backtrace;
	struct krseq_explore_totals *tot;
	krseq_explore_report_fn report;
	void *arg;
	const struct krseq_rseq_cs *base_task_rseq, *base_cpu_rseq;
	krseq_seq_fn prologue; /* the prologue adversary's op */
	int depth;
	/* The case's boundaries, and which a trace saw reached. */
	const uintptr_t *pcs;
	int nr_pcs;
	bool reached[MAX_BOUNDARIES], traced;
	/* The handler's own section: its boundaries, and where it ends. */
	uintptr_t nested_pcs[MAX_BOUNDARIES], nested_fn, nested_end;
	int nr_nested;
};

static int run_once(struct ctx *x, const struct xcase *c,
		    const struct xpoint *p);

/* The instruction at pc (next: the one after, 0 if not known). */
static void describe(const char *name, uintptr_t pc, uintptr_t fn,
		     uintptr_t next, unsigned char insn[8],
		     unsigned int *insn_len, unsigned long *offset,
		     char *function, size_t len)
{
	unsigned long off;

	*insn_len = next > pc && next - pc <= 8 ?
			    (unsigned int)(next - pc) :
			    (unsigned int)krseq_trap_size();
	memcpy(insn, (const void *)pc, *insn_len);
	*offset = (unsigned long)(pc - fn);
	/* The function by its symbol, else by the case's name. */
	if (krseq_symbolize(pc, function, len, &off))
		snprintf(function, len, "%s", name);
	else
		*offset = off;
}

/* v's boundaries (its depth, adversaries and instructions) from p's. */
static void describe_point(const char *name, const struct xpoint *p,
			   struct krseq_explore_violation *v)
{
	v->adversary = p->adv;
	v->pc = p->pc;
	v->depth = p->where == W_NONE || p->where == W_TRACE ? 1 : 2;
	v->adversary2 = p->adv2;
	v->pc2 = p->pc2;
	describe(name, p->pc, p->fn, p->next, v->insn, &v->insn_len, &v->offset,
		 v->function, sizeof(v->function));
	if (p->pc2)
		describe(name, p->pc2, p->fn2, p->next2, v->insn2,
			 &v->insn2_len, &v->offset2, v->function2,
			 sizeof(v->function2));
	else if (v->depth == 2)
		snprintf(v->function2, sizeof(v->function2),
			 "entry path, %s the entry hooks",
			 p->where == W_ENTRY ? "before" : "after");
}

struct krseq_explore_inflight {
	char name[48];
	struct xpoint p;
};

struct krseq_explore_inflight *krseq_explore_inflight;

size_t krseq_explore_inflight_size(void)
{
	return sizeof(struct krseq_explore_inflight);
}

void krseq_explore_inflight_describe(const struct krseq_explore_inflight *in,
				     struct krseq_explore_violation *v)
{
	describe_point(in->name, &in->p, v);
}

static void violation(struct ctx *x, const struct xcase *c,
		      const struct xpoint *p, val_t e0, val_t e1, val_t got,
		      const char *what)
{
	struct krseq_explore_violation v = {
		.name = c->name,
		.strategy = c->strategy,
		.op = c->op,
		.size = c->size,
		.depth = p->where == W_NONE ? 1 : 2,
		.expected = { (uint64_t)e0, (uint64_t)e1 },
		.got = (uint64_t)got,
		.what = what,
	};
	struct krseq_explore_totals saved;

	if (x->capturing)
		return;
	x->tot->violations++;
	x->tot->strategy[c->strategy].violations++;
	x->tot->strategy[c->strategy].adv_violations[p->adv]++;
	x->tot->violations_at[v.depth - 1]++;
	x->tot->strategy[c->strategy].violations_at[v.depth - 1]++;
	/* With no one to report to, the count is all there is to keep. */
	if (!x->report)
		return;
	/* Runs are deterministic: the same run again, capturing the
	 * interrupted context at the trap. */
	saved = *x->tot;
	x->capturing = true;
	x->backtrace = v.backtrace;
	run_once(x, c, p);
	x->capturing = false;
	*x->tot = saved;

	describe_point(c->name, p, &v);
	x->report(&v, x->arg);
}

static val_t mask_of(int size)
{
	return size == 16 ? ~(val_t)0 : ((val_t)1 << (8 * size)) - 1;
}

static void set_copies(const struct xcase *c, val_t *x0)
{
	for (int cpu = 0; cpu < krseq_nr_cpus(); cpu++) {
		val_t v = 0x1122334455667788ull * (uint64_t)(cpu + 3);

		x0[cpu] = ((v << 64) | (v ^ 0xf0f0f0f0f0f0f0f0ull)) &
			  mask_of(c->size);
		krseq_store_sized(krseq_per_cpu_ptr(c->var, cpu), c->size,
				  x0[cpu]);
	}
}

/* A target's op, called from the explorer, keeps its value here. */
static unsigned long (*target_op)(void);
static unsigned long target_ret;

static void call_target_op(void)
{
	target_ret = target_op();
}

static void init_copies(struct ctx *x, const struct xcase *c, val_t *x0)
{
	const struct krseq_explore_target *t = c->t;

	if (!t) {
		set_copies(c, x0);
		return;
	}
	for (int cpu = 0; cpu < krseq_nr_cpus(); cpu++) {
		unsigned char *p = krseq_per_cpu_ptr(c->var, cpu);

		if (t->init) {
			t->init(p, cpu);
		} else {
			for (size_t i = 0; i < t->size; i++)
				p[i] = (unsigned char)(0x5b * (cpu + 3) +
						       0x35 * i);
		}
		memcpy(x->before + cpu * t->size, p, t->size);
	}
	target_ret = 0;
}

static uint64_t first_word(const unsigned char *p, size_t size)
{
	uint64_t w = 0;

	memcpy(&w, p, size < sizeof(w) ? size : sizeof(w));
	return w;
}

/*
 * The CPU the task ran on before event k, for k up to nr_ev (the end): a
 * switch says which CPU the task left; the one it came back on is the
 * next CPU seen.
 */
static void segments(int start, int end, int *seg)
{
	int n = run_state.nr_ev;

	seg[n] = end;
	seg[0] = start;
	for (int k = n - 1; k >= 1; k--)
		seg[k] = run_state.ev[k].task_cpu >= 0 ?
				 run_state.ev[k].task_cpu :
				 seg[k + 1];
}

/* Order k: the events before k, the op on seg[k]'s copy, the rest. */
static unsigned long sequential(struct ctx *x, const struct xcase *c,
				unsigned char *out, int k, const int *seg)
{
	const struct krseq_explore_target *t = c->t;
	unsigned long ret = 0;

	memcpy(out, x->before, krseq_nr_cpus() * t->size);
	for (int i = 0; i <= run_state.nr_ev; i++) {
		if (i == k)
			ret = t->model(out + seg[k] * t->size);
		if (i < run_state.nr_ev && run_state.ev[i].copy >= 0)
			t->adversary(out + run_state.ev[i].copy * t->size);
	}
	return ret;
}

const char *krseq_explore_check_bytes(const struct krseq_explore_run *r)
{
	size_t len = (size_t)r->nr_cpus * r->t->size;
	bool state_ok = false;

	for (int o = 0; o < r->nr_seq; o++) {
		if (memcmp(r->got.copies, r->seq[o].copies, len))
			continue;
		if (r->got.ret == r->seq[o].ret)
			return NULL;
		state_ok = true;
	}
	return state_ok ? "returned a value no order gives" :
			  "update lost or doubled, or on a CPU the task "
			  "was not on at commit";
}

/* A target's run against its oracle. */
static void check_target(struct ctx *x, const struct xcase *c,
			 const struct xpoint *p, int cpu, int now)
{
	const struct krseq_explore_target *t = c->t;
	struct krseq_explore_run r = {
		.t = t,
		.adversary = p->adv,
		.nr_cpus = krseq_nr_cpus(),
		.cpu = cpu,
		.cpu_now = now,
		.before = x->before,
		.got = { x->got, target_ret },
		.updates = run_state.updates,
		.nr_seq = run_state.nr_ev + 1,
	};
	int seg[MAX_EVENTS + 1];
	const char *why;

	for (int i = 0; i < r.nr_cpus; i++)
		memcpy(x->got + i * t->size, krseq_per_cpu_ptr(c->var, i),
		       t->size);
	segments(cpu, now, seg);
	for (int k = 0; k < r.nr_seq; k++) {
		r.seq[k].copies = x->seq[k];
		r.seq[k].ret = sequential(x, c, x->seq[k], k, seg);
	}
	why = t->check ? t->check(&r) : krseq_explore_check_bytes(&r);
	if (why)
		violation(x, c, p,
			  first_word(x->seq[0] + cpu * t->size, t->size),
			  first_word(x->seq[r.nr_seq - 1] + now * t->size,
				     t->size),
			  first_word(x->got + now * t->size, t->size), why);
}

/* A built-in op's order k, as sequential() for a target. */
static void builtin_order(const struct xcase *c, const val_t *x0, val_t a1,
			  int k, const int *seg, val_t *st, val_t *ret)
{
	val_t mask = mask_of(c->size);
	int u = 0;

	memcpy(st, x0, sizeof(*st) * (size_t)krseq_nr_cpus());
	for (int i = 0; i <= run_state.nr_ev; i++) {
		if (i == k)
			st[seg[k]] =
				apply(c->op, mask, st[seg[k]], a1, c->a2, ret);
		if (i < run_state.nr_ev && run_state.ev[i].copy >= 0)
			st[run_state.ev[i].copy] ^= adv_xor(u++) & mask;
	}
}

/* A built-in op's run: every CPU's copy and the value, as one order. */
static void check_builtin(struct ctx *x, const struct xcase *c,
			  const struct xpoint *p, const val_t *x0, val_t a1,
			  int cpu, int now, val_t ret)
{
	int n = run_state.nr_ev, nr_cpus = krseq_nr_cpus(), seg[MAX_EVENTS + 1];
	val_t got[KRSEQ_MAX_CPUS], first[KRSEQ_MAX_CPUS], last[KRSEQ_MAX_CPUS];
	val_t r = 0, r0 = 0, rn = 0;
	bool state_ok = false, switched = false;
	int at = now;

	for (int i = 0; i < nr_cpus; i++)
		got[i] =
			krseq_load_sized(krseq_per_cpu_ptr(c->var, i), c->size);
	segments(cpu, now, seg);
	for (int k = 0; k <= n; k++) {
		val_t st[KRSEQ_MAX_CPUS];
		bool same = true;

		builtin_order(c, x0, a1, k, seg, st, &r);
		for (int i = 0; i < nr_cpus; i++)
			same &= st[i] == got[i];
		if (same) {
			if (!c->has_ret || r == ret)
				return;
			state_ok = true;
		}
		if (k == 0) {
			memcpy(first, st, sizeof(st));
			r0 = r;
		}
		if (k == n) {
			memcpy(last, st, sizeof(st));
			rn = r;
		}
	}
	if (state_ok) {
		violation(x, c, p, r0, rn, ret,
			  "returned a value no order gives");
		return;
	}
	for (int i = 0; i < n; i++)
		switched |= run_state.ev[i].copy < 0;
	/* The copy that shows it: the first no order explains. */
	for (int i = nr_cpus - 1; i >= 0; i--)
		if (got[i] != last[i] && got[i] != first[i])
			at = i;
	violation(x, c, p, first[at], last[at], got[at],
		  !n && migrates(p->adv) ? "wrong result without a switch" :
		  switched ? "update lost, doubled or on a CPU the task was "
			     "not on at commit" :
			     "update lost or doubled");
}

/* The nested handler's sections so far, on whichever CPU each ran. */
static unsigned long nested_count(void)
{
	unsigned long n = 0;

	for (int cpu = 0; cpu < krseq_nr_cpus(); cpu++)
		n += *krseq_per_cpu_ptr(krseq_xnested, cpu);
	return n;
}

/* A forced interrupt bringing q's adversary. */
static void forced_for(struct ctx *x, struct krseq_forced_irq *f,
		       struct xirq *q, bool backtrace)
{
	*f = (struct krseq_forced_irq){ .irq = forced_irq,
					.pre_entry = pre_entry,
					.post_entry = post_entry,
					.post_exit = post_exit,
					.arg = q };
	if (backtrace && x->capturing) {
		f->backtrace = x->backtrace;
		f->backtrace_len = sizeof(
			((struct krseq_explore_violation *)0)->backtrace);
	}
	if (migrates(q->adv)) {
		if (q->adv == KRSEQ_ADV_MIGRATE)
			f->irq = NULL;
		f->offcpu = forced_offcpu;
		f->preempt = true;
	}
}

/*
 * A finished op closes its marker. Per CPU, the byte of a CPU the task
 * left is what the next task there finds open: its register would be
 * fixed up on the next migration.
 */
static bool marker_left_open(void)
{
	if (krseq_ta.marker)
		return true;
	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++)
		if (krseq_m.cpus[cpu].lc.marker)
			return true;
	return false;
}

/*
 * Leave the slots as the baseline run left them, and the CPU the task left
 * with nothing of this run (per-CPU placement).
 */
static void reset_slots(struct ctx *x)
{
	krseq_ta.sched_rseq = x->base_task_rseq;
	krseq_ta.lowcore->sched_rseq = x->base_cpu_rseq;
	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++) {
		if (&krseq_m.cpus[cpu].lc != krseq_ta.lowcore)
			krseq_m.cpus[cpu].lc.sched_rseq = NULL;
		krseq_m.cpus[cpu].lc.marker = 0;
	}
	krseq_ta.marker = 0;
}

/*
 * One run: the op with an interrupt forced at p's boundary, and at depth 2
 * a second one where p says. A trace (W_TRACE) runs the first alone and
 * leaves in x->reached which boundaries the op reached after it.
 */
static int run_once(struct ctx *x, const struct xcase *c,
		    const struct xpoint *p)
{
	enum krseq_adversary adv = p->adv;
	val_t x0[KRSEQ_MAX_CPUS], ret, a1;
	struct krseq_forced_irq f;
	struct krseq_stats before, after;
	int cpu = krseq_smp_processor_id(), now, d = p->where != W_NONE;
	bool second = p->where == W_OP || p->where == W_NESTED, hit, plain;

	if (krseq_explore_inflight) {
		snprintf(krseq_explore_inflight->name,
			 sizeof(krseq_explore_inflight->name), "%s", c->name);
		krseq_explore_inflight->p = *p;
	}
	init_copies(x, c, x0);
	/* A reschedule left pending by the last run (its preemption held
	 * back at an unsafe point) must not move this one. */
	krseq_ta.need_resched = 0;
	krseq_ta.need_resched_lazy = 0;
	memset(&run_state, 0, sizeof(run_state));
	run_state.c = c;
	run_state.p = p;
	run_state.irq[0] = (struct xirq){ adv, p->pc, true };
	run_state.irq[1] = (struct xirq){ p->adv2, p->pc2, false };
	run_state.prologue = x->prologue;
	run_state.last_cpu = cpu;
	run_state.marks = x->pcs;
	run_state.nr_marks = x->nr_pcs;
	/* The backtrace is the second interrupt's, where there is one. */
	forced_for(x, &f, &run_state.irq[0], !second);
	if (p->where == W_NESTED)
		run_state.f2 = (struct krseq_forced_irq){
			.irq = forced_nmi,
			.arg = &run_state.irq[1],
			.nmi = true,
			.backtrace = x->capturing ? x->backtrace : NULL,
			.backtrace_len =
				x->capturing ?
					sizeof(((struct krseq_explore_violation
							 *)0)
						       ->backtrace) :
					0,
		};
	else if (p->where == W_OP)
		forced_for(x, &run_state.f2, &run_state.irq[1], true);
	/*
	 * A restart must leave the window armed for the run it restarts: at
	 * depth 1 the same boundary is interrupted again there (a target's
	 * oracle models one interrupt); depth 2 does it with every adversary.
	 */
	if (adv == KRSEQ_ADV_IRQ && !c->t && p->where == W_NONE)
		f.again = 1;
	run_state.nested_before = nested_count();
	a1 = c->a1_is_current ? x0[cpu] : c->a1;
	krseq_xarg1 = (uint64_t)a1;
	krseq_xarg1_hi = (uint64_t)(a1 >> 64);
	krseq_xarg2 = (uint64_t)c->a2;
	krseq_xarg2_hi = (uint64_t)(c->a2 >> 64);
	krseq_xret = krseq_xret_hi = 0;
	krseq_stats_get(&before);
	if (krseq_trap_arm((void *)p->pc, &f))
		return -EIO;
	c->run();
	hit = krseq_trap_disarm();
	if (p->where == W_TRACE)
		krseq_trap_unmark(x->reached);
	krseq_stats_get(&after);
	if (run_state.error)
		return krseq_fail(-run_state.error,
				  "krseq explore: %s: cannot write a trap "
				  "after the first interrupt: %s",
				  c->name, strerror(-run_state.error));
	if (p->where == W_TRACE) {
		x->tot->traces += hit;
		x->traced = hit;
		reset_slots(x);
		return 0;
	}
	x->tot->restarts += after.restarts - before.restarts;
	x->tot->fixups += after.fixups - before.fixups;
	if (!hit || (second && krseq_trap_hits() < 2)) {
		x->tot->unreached++;
		x->tot->unreached_at[d]++;
		reset_slots(x);
		return 0;
	}
	now = krseq_smp_processor_id();
	seen_on(now);
	if (run_state.ev_overflow)
		return krseq_fail(EOVERFLOW,
				  "krseq explore: %s: more than %d updates "
				  "and switches in one run",
				  c->name, MAX_EVENTS);
	x->tot->runs++;
	x->tot->runs_at[d]++;
	x->tot->strategy[c->strategy].runs++;
	x->tot->strategy[c->strategy].runs_at[d]++;
	ret = ((val_t)krseq_xret_hi << 64) | krseq_xret;

	if (c->t)
		check_target(x, c, p, cpu, now);
	else
		check_builtin(x, c, p, x0, a1, cpu, now, ret);
	/* Every interrupt of the run a plain one: none may restart. */
	plain = by_irq(adv) &&
		(p->where == W_NONE || (p->where == W_OP && by_irq(p->adv2)));
	if (!c->t && plain && after.restarts != before.restarts &&
	    c->strategy &&
	    (krseq_scheme_get(c->strategy)->flags &
	     KRSEQ_SCHEME_NO_IRQ_RESTART))
		violation(x, c, p, 0, 0, after.restarts - before.restarts,
			  "restarted by a plain interrupt");
	if (run_state.nested_runs &&
	    nested_count() != run_state.nested_before + run_state.nested_runs)
		violation(x, c, p,
			  run_state.nested_before + run_state.nested_runs, 0,
			  nested_count(),
			  "the handler's own section lost its update");
	if (krseq_ta.sched_rseq != x->base_task_rseq ||
	    krseq_ta.lowcore->sched_rseq != x->base_cpu_rseq)
		violation(x, c, p, (uint64_t)(uintptr_t)x->base_task_rseq,
			  (uint64_t)(uintptr_t)x->base_cpu_rseq,
			  (uint64_t)(uintptr_t)krseq_ta.sched_rseq,
			  "sched_rseq not restored");
	if (marker_left_open())
		violation(x, c, p, 0, 0, krseq_ta.marker, "marker left open");
	reset_slots(x);
	return 0;
}

/*
 * Depth 2 after p's first interrupt: a trace finds the boundaries the op
 * reaches after it returned, each of which is interrupted again with
 * every adversary; then an NMI at the two points of its entry path, and,
 * for the nested handler, at each boundary of the handler's section.
 */
static int explore_second(struct ctx *x, const struct xcase *c,
			  const struct xpoint *p1, const uintptr_t *pcs, int n,
			  uintptr_t end, unsigned int adv_mask)
{
	struct xpoint p = *p1;
	bool nmi = adv_mask & (1u << KRSEQ_ADV_NMI);
	int err;

	p.where = W_TRACE;
	err = run_once(x, c, &p);
	/* A first interrupt never taken is depth 1's unreached boundary. */
	if (err || !x->traced)
		return err;
	p.fn2 = p.fn;
	for (int j = 0; j < n; j++) {
		if (!x->reached[j]) {
			x->tot->unreached_at[1]++;
			continue;
		}
		p.where = W_OP;
		p.pc2 = pcs[j];
		p.next2 = j + 1 < n ? pcs[j + 1] : end;
		for (int a = 0; a < KRSEQ_NR_ADV; a++) {
			if (!(adv_mask & (1u << a)))
				continue;
			p.adv2 = (enum krseq_adversary)a;
			err = run_once(x, c, &p);
			if (err)
				return err;
		}
	}
	if (!nmi)
		return 0;
	p.adv2 = KRSEQ_ADV_NMI;
	p.pc2 = p.next2 = p.fn2 = 0;
	for (enum xwhere w = W_ENTRY; w <= W_ENTRY_HOOKED; w++) {
		p.where = w;
		err = run_once(x, c, &p);
		if (err)
			return err;
	}
	if (p.adv != KRSEQ_ADV_NESTED)
		return 0;
	p.where = W_NESTED;
	p.fn2 = x->nested_fn;
	for (int j = 0; j < x->nr_nested; j++) {
		p.pc2 = x->nested_pcs[j];
		p.next2 = j + 1 < x->nr_nested ? x->nested_pcs[j + 1] :
						 x->nested_end;
		err = run_once(x, c, &p);
		if (err)
			return err;
	}
	return 0;
}

static int explore_case(struct ctx *x, const struct xcase *c,
			unsigned int adv_mask)
{
	uintptr_t pcs[MAX_BOUNDARIES], start, end;
	val_t x0[KRSEQ_MAX_CPUS];
	uint64_t t0;
	int n, err;

	if (!krseq_fn_extent(c->fn ? c->fn : (uintptr_t)c->run, &start, &end))
		return krseq_fail(ENOENT,
				  "krseq explore: no unwind entry "
				  "for %s",
				  c->name);
	/* The baseline: one uninterrupted run, which also traces x86_64. */
	init_copies(x, c, x0);
	{
		val_t a1 = c->a1_is_current ? x0[krseq_smp_processor_id()] :
					      c->a1;

		krseq_xarg1 = (uint64_t)a1;
		krseq_xarg1_hi = (uint64_t)(a1 >> 64);
		krseq_xarg2 = (uint64_t)c->a2;
		krseq_xarg2_hi = (uint64_t)(c->a2 >> 64);
	}
	t0 = krseq_now_ns();
	n = krseq_fn_boundaries(start, c->run, pcs, MAX_BOUNDARIES);
	x->tot->setup_ns += krseq_now_ns() - t0;
	if (n < 0)
		return n;
	/* What an uninterrupted run leaves armed (no disarm after commit). */
	init_copies(x, c, x0);
	c->run();
	x->base_task_rseq = krseq_ta.sched_rseq;
	x->base_cpu_rseq = krseq_ta.lowcore->sched_rseq;
	x->pcs = pcs;
	x->nr_pcs = n;
	x->tot->boundaries += (unsigned long)n;
	x->tot->strategy[c->strategy].boundaries += (unsigned long)n;
	for (int i = 0; i < n; i++) {
		struct xpoint p = { .pc = pcs[i],
				    .fn = start,
				    .next = i + 1 < n ? pcs[i + 1] : end };

		for (int a = 0; a < KRSEQ_NR_ADV; a++) {
			if (!(adv_mask & (1u << a)))
				continue;
			p.adv = (enum krseq_adversary)a;
			err = run_once(x, c, &p);
			if (!err && x->depth == 2)
				err = explore_second(x, c, &p, pcs, n, end,
						     adv_mask);
			if (err)
				return err; /* the trap's error stands */
		}
	}
	return 0;
}

int krseq_fn_boundaries(uintptr_t ip, void (*run)(void), uintptr_t *pcs,
			int max)
{
	uintptr_t start, end;
	int n;

	if (!krseq_m.up)
		return krseq_fail(EINVAL,
				  "krseq_fn_boundaries: the machine is not up");
	if (!pcs || max <= 0)
		return krseq_fail(EINVAL, "krseq_fn_boundaries: no room for "
					  "boundaries");
	if (!krseq_fn_extent(ip, &start, &end))
		return krseq_fail(ENOENT,
				  "krseq_fn_boundaries: no unwind entry "
				  "for %#lx",
				  (unsigned long)ip);
	/* x86_64 traces with the trap flag: its signal must be ours. */
	krseq_trap_claim();
	n = krseq_arch_boundaries(start, end, run, pcs, max);
	if (n < 0)
		return krseq_fail(-n,
				  "krseq_fn_boundaries: cannot write text at "
				  "%#lx: %s",
				  (unsigned long)start, strerror(-n));
	return n;
}

static int machine_up(enum krseq_placement placement)
{
	struct krseq_config cfg = KRSEQ_CONFIG_DEFAULT;
	int err;

	cfg.nr_cpus = 2;
	cfg.placement = placement;
	cfg.model = KRSEQ_PREEMPT_FULL;
	cfg.migrate = KRSEQ_MIGRATE_ALWAYS;
	/* Not up: a machine that was up already is not the explorer's. */
	err = krseq_init(&cfg);
	if (err)
		return err;
	err = krseq_request_irq(KRSEQ_IRQ_NMI, nmi_handler, NULL);
	prologue_var = krseq_alloc_percpu(uint64_t);
	if (!err && !prologue_var)
		err = krseq_fail(ENOMEM, "krseq explore: no per-CPU memory");
	if (err) {
		krseq_exit();
		return err;
	}
	krseq_text_hold();
	return 0;
}

/* Every way out of an exploration: text read-only again, machine down. */
static int machine_down(int err)
{
	int rerr = krseq_text_release();

	krseq_exit();
	if (rerr && !err)
		err = krseq_fail(-rerr,
				 "krseq explore: cannot make text read-only "
				 "again: %s",
				 strerror(-rerr));
	return err;
}

static const int sizes[5] = { 1, 2, 4, 8, 16 };

/*
 * The op the prologue adversary runs in the entry path: the scheme's add
 * (else its first op) at the widest size it has below 16 bytes; a
 * variant's are its base's.
 */
static krseq_seq_fn prologue_op(int s)
{
	for (int z = 8; z >= 1; z /= 2) {
		krseq_seq_fn fn = krseq_scheme_seq(s, KRSEQ_OP_ADD, z);

		for (int op = 0; !fn && op < KRSEQ_NR_OPS; op++)
			fn = krseq_scheme_seq(s, (enum krseq_op)op, z);
		if (fn)
			return fn;
	}
	return NULL;
}

static bool selected(const struct krseq_explore_opts *o, int op, int z)
{
	return (!o->ops || (o->ops & (1u << op))) &&
	       (!o->sizes || (o->sizes & (1u << z)));
}

/* The nested handler's section, where a second interrupt may land. */
static int nested_boundaries(struct ctx *x)
{
	uintptr_t fn = (uintptr_t)krseq_probe_nested_section;
	int n;

	if (!krseq_fn_extent(fn, &x->nested_fn, &x->nested_end))
		return krseq_fail(ENOENT, "krseq explore: no unwind entry "
					  "for the nested handler's section");
	n = krseq_fn_boundaries(fn, krseq_probe_nested_section, x->nested_pcs,
				MAX_BOUNDARIES);
	if (n < 0)
		return n;
	x->nr_nested = n;
	return 0;
}

/* Explore scheme s: every op and size it has a sequence for. */
static int
explore_scheme(struct ctx *x, int s, void *vars[5],
	       const struct krseq_explore_opts *o, unsigned int adv_mask,
	       void (*progress)(unsigned long, unsigned long, void *),
	       unsigned long *done, unsigned long total, void *arg)
{
	static char names[5][KRSEQ_NR_OPS][48];
	const struct krseq_scheme *sc = krseq_scheme_get(s);
	int err = krseq_scheme_select(s);

	x->prologue = prologue_op(s);

	for (int z = 0; z < 5 && !err; z++) {
		for (int op = 0; op < KRSEQ_NR_OPS && !err; op++) {
			krseq_seq_fn fn = NULL;
			krseq_seq16_fn fn16 = NULL;

			if (!selected(o, op, z))
				continue;
			if (z < 4)
				fn = sc->seq[z][op];
			else if (op == KRSEQ_OP_CMPXCHG ||
				 op == KRSEQ_OP_TRY_CMPXCHG)
				fn16 = sc->seq16[op - KRSEQ_OP_CMPXCHG];
			else
				continue;
			/* A cell this arch has no sequence for. */
			if (!fn && !fn16) {
				x->tot->strategy[s].na++;
				if (progress)
					progress(++*done, total, arg);
				continue;
			}
			struct xcase c = {
				.name = names[z][op],
				.strategy = s,
				.op = (enum krseq_op)op,
				.size = sizes[z],
				.run = krseq_probe_set(fn, fn16, vars[z]),
				.fn = fn ? (uintptr_t)fn : (uintptr_t)fn16,
				.var = vars[z],
				.a1 = 0x0f0f0f0f0f0f0f0full,
				.a2 = 0x1234567890abcdefull,
			};

			snprintf(names[z][op], sizeof(names[0][0]), "%s %s %d",
				 sc->name, krseq_op_name((enum krseq_op)op),
				 sizes[z]);
			c.has_ret = op == KRSEQ_OP_READ ||
				    op == KRSEQ_OP_XCHG ||
				    op >= KRSEQ_OP_CMPXCHG;
			/* cmpxchg expects the running CPU's value, so the
			 * uninterrupted run stores. */
			c.a1_is_current = op == KRSEQ_OP_CMPXCHG ||
					  op == KRSEQ_OP_TRY_CMPXCHG;
			err = explore_case(x, &c, adv_mask);
			if (progress)
				progress(++*done, total, arg);
		}
	}
	/* The scheme's base gets its own kernel side back. */
	if (sc->base != s && krseq_scheme_select(sc->base) && !err)
		err = -EBUSY;
	return err;
}

int krseq_explore(const struct krseq_explore_opts *o,
		  struct krseq_explore_totals *tot,
		  krseq_explore_report_fn report, void *arg,
		  void (*progress)(unsigned long, unsigned long, void *))
{
	struct ctx *x;
	unsigned long total = 0, done = 0;
	uint64_t mask = o->schemes;
	unsigned int adv_mask = o->adversaries ? o->adversaries : KRSEQ_ADV_ALL;
	void *vars[5];
	uint64_t t0;
	int err;

	if (!mask)
		mask = ((1ull << KRSEQ_NR_SCHEMES) - 1) & ~1ull;
	for (int s = krseq_scheme_count(); s < 64; s++)
		if (mask & (1ull << s))
			return krseq_fail(EINVAL, "krseq explore: no scheme %d",
					  s);
	if (mask & 1)
		return krseq_fail(EINVAL, "krseq explore: no scheme 0");
	if (adv_mask >> KRSEQ_NR_ADV)
		return krseq_fail(EINVAL, "krseq explore: no adversary %d",
				  31 - __builtin_clz(adv_mask));
	if (o->depth < 0 || o->depth > 2)
		return krseq_fail(EINVAL, "krseq explore: depth %d (1 or 2)",
				  o->depth);
	if (o->ops >> KRSEQ_NR_OPS)
		return krseq_fail(EINVAL, "krseq explore: no op %d",
				  31 - __builtin_clz(o->ops));
	if (o->sizes >> 5)
		return krseq_fail(EINVAL,
				  "krseq explore: no size bit %d (0 to 4)",
				  31 - __builtin_clz(o->sizes));
	x = calloc(1, sizeof(*x));
	if (!x)
		return krseq_fail(ENOMEM, "krseq explore: no memory");
	*x = (struct ctx){ .tot = tot,
			   .report = report,
			   .arg = arg,
			   .depth = o->depth ? o->depth : 1 };
	t0 = krseq_now_ns();
	err = machine_up(o->placement);
	tot->setup_ns += krseq_now_ns() - t0;
	if (err) {
		free(x);
		return err;
	}
	if (krseq_probe_vars_alloc(vars))
		err = krseq_fail(ENOMEM, "krseq explore: no per-CPU memory");
	if (!err && x->depth == 2)
		err = nested_boundaries(x);
	for (int s = 1; s < krseq_scheme_count(); s++)
		for (int z = 0; z < 5; z++)
			for (int op = 0; op < KRSEQ_NR_OPS; op++)
				total += (mask & (1ull << s)) &&
					 (z < 4 || op == KRSEQ_OP_CMPXCHG ||
					  op == KRSEQ_OP_TRY_CMPXCHG) &&
					 selected(o, op, z);
	for (int s = 1; s < krseq_scheme_count() && !err; s++)
		if (mask & (1ull << s))
			err = explore_scheme(x, s, vars, o, adv_mask, progress,
					     &done, total, arg);
	free(x);
	t0 = krseq_now_ns();
	err = machine_down(err);
	tot->setup_ns += krseq_now_ns() - t0;
	return err;
}

int krseq_explore_schemes(unsigned int strategy_mask, unsigned int adv_mask,
			  struct krseq_explore_totals *tot,
			  krseq_explore_report_fn report, void *arg,
			  void (*progress)(unsigned long, unsigned long,
					   void *))
{
	struct krseq_explore_opts o = { .schemes = strategy_mask,
					.adversaries = adv_mask,
					.depth = 1 };

	if (!strategy_mask)
		return krseq_fail(EINVAL, "krseq explore: no scheme selected");
	return krseq_explore(&o, tot, report, arg, progress);
}

/* The add shorthand as a target: its model and its adversary. */
static long add_delta;

static unsigned long add_model(void *copy)
{
	*(long *)copy += add_delta;
	return 0;
}

static void add_adversary(void *copy)
{
	*(long *)copy ^= (long)0x5a5a5a5a5a5a5a5aull;
}

static int target_setup(const struct krseq_explore_target *t,
			struct krseq_explore_target *add, struct xcase *c)
{
	if (!t || !t->name)
		return krseq_fail(EINVAL, "krseq explore: a target without "
					  "a name");
	if (t->run) {
		/* The add shorthand: no op of its own, so no value. */
		*add = (struct krseq_explore_target){
			.name = t->name,
			.size = sizeof(long),
			.model = add_model,
			.adversary = add_adversary,
		};
		add_delta = t->delta;
		c->t = add;
		c->op = KRSEQ_OP_ADD;
		c->run = t->run;
		if (t->var_alloc)
			c->var = *t->var_alloc = krseq_alloc_percpu(long);
		else if (!t->var)
			return krseq_fail(EINVAL,
					  "krseq explore: target %s has no "
					  "variable",
					  t->name);
		else
			c->var = t->var;
	} else {
		if (!t->op || !t->model || !t->adversary || !t->size ||
		    !t->state)
			return krseq_fail(EINVAL,
					  "krseq explore: target %s needs "
					  "op, model, adversary, size and "
					  "state (or run and a variable)",
					  t->name);
		c->t = t;
		c->run = call_target_op;
		c->fn = (uintptr_t)t->op;
		target_op = t->op;
		c->var = *t->state = krseq_alloc_percpu_size(t->size, 16);
	}
	if (!c->var)
		return krseq_fail(ENOMEM,
				  "krseq explore: no per-CPU memory for %s",
				  t->name);
	c->size = (int)c->t->size;
	return 0;
}

int krseq_explore_target(const struct krseq_explore_target *t,
			 unsigned int adv_mask,
			 struct krseq_explore_totals *tot,
			 krseq_explore_report_fn report, void *arg)
{
	struct ctx x = { .tot = tot, .report = report, .arg = arg };
	struct krseq_explore_target add;
	struct xcase c = { .name = t ? t->name : NULL };
	unsigned char *bufs = NULL;
	void *vars[5];
	uint64_t t0 = krseq_now_ns();
	int err = machine_up(KRSEQ_PLACE_TASK);

	if (err)
		return err;
	if (tot)
		tot->setup_ns += krseq_now_ns() - t0;
	err = krseq_probe_vars_alloc(vars);
	if (!err)
		err = target_setup(t, &add, &c);
	if (!err) {
		size_t len = (size_t)krseq_nr_cpus() * c.t->size;

		bufs = malloc((2 + KRSEQ_EXPLORE_MAX_ORDERS) * len);
		if (!bufs)
			err = krseq_fail(ENOMEM,
					 "krseq explore: no memory for %s's "
					 "copies",
					 t->name);
		x.before = bufs;
		x.got = bufs + len;
		for (int k = 0; k < KRSEQ_EXPLORE_MAX_ORDERS; k++)
			x.seq[k] = bufs + (2 + k) * len;
	}
	/* A target has no scheme: its entry path runs RESTART's op. */
	x.prologue = prologue_op(KRSEQ_PCP_RESTART);
	if (!err)
		err = explore_case(&x, &c, adv_mask);
	free(bufs);
	t0 = krseq_now_ns();
	err = machine_down(err);
	if (tot)
		tot->setup_ns += krseq_now_ns() - t0;
	return err;
}
