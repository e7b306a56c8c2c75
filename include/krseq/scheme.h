/* SPDX-License-Identifier: MIT */
/*
 * Protection schemes as modules: the one API that the built-in schemes and
 * a program's own use alike.
 *
 * A scheme is two halves that must be read together:
 *
 *  - its sequences, which run in the task: one out-of-line function per op
 *    and size it supports, doing that op once on the running CPU's copy of
 *    the per-CPU variable whose template is pcp (a DEFINE_PER_CPU variable
 *    or a krseq_alloc_percpu() pointer, as the kernel's this_cpu ops take
 *    &var). What a cell is missing is "n/a", never another scheme's code;
 *
 *  - its kernel side, which runs in interrupt entry and exit: the entry
 *    hook runs before anything in the handler may use per-CPU data (it
 *    saves and clears what the scheme armed), the exit hook after the
 *    handlers and the scheduler (it restores, and restarts, fixes a
 *    register up, or does nothing). Entry runs the kernel sides in the
 *    order their schemes were registered, exit in the reverse order, as
 *    nested brackets. Both see the interrupted context only through a
 *    struct krseq_irq_frame: PC, general registers, the instruction bytes
 *    at the PC, and the CPU before and after.
 *
 * Register a scheme with krseq_scheme_register() before krseq_init(); the
 * explorer (every adversary), `krseq stress` (counters), `krseq bench` and
 * `krseq compare` then take it by name like a built-in. The krseq command
 * loads a program's schemes from a shared object (`krseq --load lib.so`)
 * whose constructor registers them. A variant (variant_of) runs another
 * scheme's sequences under a kernel side of its own: a kernel with that
 * entry code instead, the way to try a broken or changed kernel side.
 */
#ifndef KRSEQ_SCHEME_H
#define KRSEQ_SCHEME_H

#include <stdbool.h>
#include <stdint.h>

#include <krseq/krseq.h>
#include <krseq/percpu.h>
#include <krseq/rseq.h>
#include <krseq/schemes.h>

/* Schemes at most, built-in ones included (ids 1 .. KRSEQ_MAX_SCHEMES-1). */
#define KRSEQ_MAX_SCHEMES 64
/* Words a kernel side may save per interrupt frame. */
#define KRSEQ_SCHEME_SAVE 4

/* The interrupted context and the CPUs, during entry and exit. */
struct krseq_irq_frame;

/* Which interrupt this is (a forced one reports the source it forces). */
enum krseq_irq krseq_frame_source(const struct krseq_irq_frame *f);
/* The interrupted PC, and the PC interrupt exit will return to. */
uintptr_t krseq_frame_pc(const struct krseq_irq_frame *f);
void krseq_frame_set_pc(struct krseq_irq_frame *f, uintptr_t pc);
/*
 * General register n of the interrupted context, by its hardware number
 * (x86_64's encoding, x0-x30, r0-r15), or NULL past the last one.
 */
unsigned long *krseq_frame_reg(struct krseq_irq_frame *f, unsigned int n);
/*
 * The instruction bytes at the interrupted PC as memory holds them now
 * (a breakpoint written there is what is read): at most len into buf;
 * returns how many.
 */
unsigned int krseq_frame_insn(const struct krseq_irq_frame *f,
			      unsigned char *buf, unsigned int len);
/*
 * The length of the instruction at pc, or at the interrupted PC, by the
 * arch's decoder (a breakpoint there is looked through): aarch64 4,
 * s390x by the first opcode byte's top two bits, x86_64 by its prefixes,
 * opcode, ModRM and immediate (0 for a form it does not decode: x87,
 * EVEX). A kernel side moves a window's end by it.
 */
unsigned int krseq_insn_len(uintptr_t pc);
unsigned int krseq_frame_insn_len(const struct krseq_irq_frame *f);
/* The CPU the task was on at entry, and the one it returns on. */
int krseq_frame_entry_cpu(const struct krseq_irq_frame *f);
int krseq_frame_cpu(const struct krseq_irq_frame *f);
/* The second CPU's per-CPU offset minus the first's: 0 unless migrated. */
long krseq_frame_offset_delta(const struct krseq_irq_frame *f);
/* Whether the interrupt switched the task out (and maybe migrated it). */
bool krseq_frame_preempted(const struct krseq_irq_frame *f);
/* The interrupted task's thread area, and the lowcore it returns with. */
struct krseq_thread_area *krseq_frame_task(const struct krseq_irq_frame *f);
struct krseq_lowcore *krseq_frame_lowcore(const struct krseq_irq_frame *f);

/*
 * The marker protocol (MARKER): a sequence opens its section by writing a
 * byte that names the register holding the per-CPU address; the very next
 * instruction adds the CPU's offset to it. krseq_frame_marker_reg() is
 * the register a marker names (-1 for 0, a closed section);
 * krseq_frame_adds_offset() decodes the instruction at the PC, from its
 * bytes and displacement, and says whether it is that offset-adding
 * instruction for register n (s390x: ag of the thread area's
 * percpu_offset; x86_64: add of it; aarch64: ldr of it into xn, which an
 * add of the template follows). A trap armed on it (krseq_trap_arm(), the
 * kprobe of the s390 series' v3 review) is looked through: the
 * instruction it replaced is decoded.
 */
int krseq_frame_marker_reg(unsigned int marker);
bool krseq_frame_adds_offset(const struct krseq_irq_frame *f, unsigned int n);

/*
 * What an exit hook did, for the counts (krseq_stats, and per descriptor
 * in the section report when cs is set): the PC sent back to to, register
 * n moved by delta, or a window hit with nothing to do.
 */
void krseq_frame_restart(struct krseq_irq_frame *f, uintptr_t to,
			 const struct krseq_rseq_cs *cs);
void krseq_frame_fixup(struct krseq_irq_frame *f, unsigned int n, long delta,
		       const struct krseq_rseq_cs *cs);
void krseq_frame_hit(struct krseq_irq_frame *f, const struct krseq_rseq_cs *cs);

/*
 * For schemes armed with a descriptor of <krseq/rseq.h> in the task's
 * sched_rseq slot or the CPU's lowcore (per-CPU placement): save[0] and
 * save[1] hold what krseq_cs_save() took from the two slots.
 * krseq_cs_save() takes each descriptor that mine() accepts, and clears
 * its slot; a descriptor that fails krseq_cs_check() is refused with a
 * report. krseq_cs_restore() puts them back, the CPU's into the lowcore of
 * the CPU the task returns on, and empties a slot that was empty at entry
 * (a handler's own section leaves its descriptor armed: no section
 * disarms after its commit).
 */
void krseq_cs_save(struct krseq_irq_frame *f, unsigned long *save,
		   bool (*mine)(const struct krseq_rseq_cs *cs));
void krseq_cs_restore(struct krseq_irq_frame *f, const unsigned long *save);
/* The saved descriptor of slot i (0 task, 1 CPU), or NULL. */
const struct krseq_rseq_cs *krseq_cs_saved(const unsigned long *save, int i);
/* The saved descriptor of slot i (0 task, 1 CPU) if it covers the PC. */
const struct krseq_rseq_cs *krseq_cs_covering(const struct krseq_irq_frame *f,
					      const unsigned long *save, int i);
/*
 * The usual exit: act() on each saved descriptor that covers the PC (it
 * restarts, fixes up, or counts a hit), then krseq_cs_restore().
 */
void krseq_cs_exit(struct krseq_irq_frame *f, const unsigned long *save,
		   void (*act)(struct krseq_irq_frame *f,
			       const struct krseq_rseq_cs *cs));

/*
 * A per-CPU u64 of the entry path's own (its template), for a kernel side
 * that runs a per-CPU op itself in interrupt entry, as the s390 series'
 * v1 did before its save; NULL while the machine is down.
 */
uint64_t *krseq_entry_percpu(void);

/*
 * A scheme's kernel side; a hook may be NULL. switch_out runs where the
 * scheduler switches out a task that the interrupt of f preempted, before
 * the CPU is given up (and so before any migration), between entry and
 * exit: the place the kernel's own rseq is checked, for a scheme that
 * restarts on a switch rather than on the interrupt.
 */
struct krseq_kernel_side {
	const char *name;
	void (*entry)(struct krseq_irq_frame *f, unsigned long *save);
	void (*exit)(struct krseq_irq_frame *f, unsigned long *save);
	void (*switch_out)(struct krseq_irq_frame *f, unsigned long *save);
};

/*
 * A sequence: the op once on this CPU's copy of *pcp. a1 is the operand
 * (the new value for write and xchg, the old one for cmpxchg and
 * try_cmpxchg), a2 cmpxchg's new value. It returns what the op returns
 * (try_cmpxchg: 1 on success), 0 for an op that returns nothing.
 */
typedef uint64_t (*krseq_seq_fn)(void *pcp, uint64_t a1, uint64_t a2);
typedef krseq_u128 (*krseq_seq16_fn)(void *pcp, krseq_u128 a1, krseq_u128 a2);

struct krseq_scheme {
	const char *name; /* [a-z0-9_], unique */
	unsigned int flags; /* KRSEQ_SCHEME_* of <krseq/schemes.h> */
	const struct krseq_kernel_side *kernel; /* NULL: none */
	/* A variant: the named scheme's sequences (seq and seq16 left
	 * empty), this kernel side in place of that scheme's. */
	const char *variant_of;
	krseq_seq_fn seq[4][KRSEQ_NR_OPS]; /* [1, 2, 4, 8 bytes][op] */
	krseq_seq16_fn seq16[2]; /* 16 bytes: cmpxchg, try_cmpxchg */
	const char *why; /* why a missing cell is missing */
	/*
	 * Its mutants, NULL-terminated: broken copies of its kernel side,
	 * each a name, a kernel side, the bug it models and the placement
	 * it is explored with, which krseq_explore_mutants() registers as
	 * variants of the scheme ("<scheme>_<name>") and must see killed.
	 */
	const struct krseq_scheme *const *mutants;
	const char *bug; /* a mutant: the bug it models */
	enum krseq_placement placement; /* a mutant: the machine's */
	/* Filled in by the registry. */
	int id;
	int base; /* a variant's scheme, else its own id */
	unsigned int sizes[KRSEQ_NR_ARCHES]; /* KRSEQ_SIZES_* masks */
};

/*
 * A mutant for a scheme's mutants list: the static struct krseq_scheme
 * var, named nm, whose kernel side (also named nm) has the hooks en, ex
 * and so (each may be NULL), modelling bug_, explored with placement pl.
 */
#define KRSEQ_MUTANT(var, nm, en, ex, so, bug_, pl)                            \
	static const struct krseq_scheme var = {                               \
		.name = nm,                                                    \
		.kernel =                                                      \
			&(const struct krseq_kernel_side){ .name = nm,         \
							   .entry = en,        \
							   .exit = ex,         \
							   .switch_out = so }, \
		.bug = bug_,                                                   \
		.placement = pl,                                               \
	}

/*
 * Register s (copied) before krseq_init(): returns its id (> 0), or a
 * negative errno with krseq_last_error() saying why (a bad or taken name,
 * no sequence, unknown flags, an unknown variant_of, no room, or the
 * machine is up).
 */
int krseq_scheme_register(const struct krseq_scheme *s);
/* The scheme with that name, or a negative errno (-ENOENT). */
int krseq_scheme_find(const char *name);
/* Scheme id, or NULL; ids run from 1 to krseq_scheme_count() - 1. */
const struct krseq_scheme *krseq_scheme_get(int id);
int krseq_scheme_count(void);
/*
 * Run id's kernel side, in place of its base scheme's (or give a scheme
 * its own back): while the machine is down, or from task context while no
 * other task runs a section of that scheme, as the explorer does between
 * runs. Not from an interrupt handler (-EBUSY).
 */
int krseq_scheme_select(int id);
/* The sequence of op at size bytes, or NULL where the cell is n/a. */
krseq_seq_fn krseq_scheme_seq(int id, enum krseq_op op, int size);

#endif /* KRSEQ_SCHEME_H */
