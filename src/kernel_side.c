// SPDX-License-Identifier: MIT
/*
 * What a scheme's kernel side sees and may do during interrupt entry and
 * exit (<krseq/scheme.h>), and the calls of the hooks from the one
 * entry/exit path, which knows no scheme by name.
 */
#include "schemes_internal.h"
#include "arch/arch.h"

#include <string.h>

enum krseq_irq krseq_frame_source(const struct krseq_irq_frame *f)
{
	return f->src;
}

uintptr_t krseq_frame_pc(const struct krseq_irq_frame *f)
{
	return krseq_arch_pc(f->uc);
}

void krseq_frame_set_pc(struct krseq_irq_frame *f, uintptr_t pc)
{
	krseq_arch_set_pc(f->uc, pc);
}

unsigned long *krseq_frame_reg(struct krseq_irq_frame *f, unsigned int n)
{
	return n < krseq_arch_nr_regs ? krseq_arch_reg(f->uc, n) : NULL;
}

unsigned int krseq_frame_insn(const struct krseq_irq_frame *f,
			      unsigned char *buf, unsigned int len)
{
	/* The longest instruction of the three arches is 15 bytes (x86). */
	if (len > 15)
		len = 15;
	memcpy(buf, (const void *)krseq_arch_pc(f->uc), len);
	return len;
}

unsigned int krseq_insn_len(uintptr_t pc)
{
	unsigned char insn[15];

	memcpy(insn, (const void *)pc, sizeof(insn));
	krseq_trap_look_through(pc, insn, sizeof(insn));
	return krseq_arch_insn_len(insn);
}

unsigned int krseq_frame_insn_len(const struct krseq_irq_frame *f)
{
	return krseq_insn_len(krseq_arch_pc(f->uc));
}

int krseq_frame_entry_cpu(const struct krseq_irq_frame *f)
{
	return f->entry_cpu;
}

int krseq_frame_cpu(const struct krseq_irq_frame *f)
{
	return f->t->cpu;
}

long krseq_frame_offset_delta(const struct krseq_irq_frame *f)
{
	return (long)(krseq_m.cpus[f->t->cpu].lc.percpu_offset -
		      krseq_m.cpus[f->entry_cpu].lc.percpu_offset);
}

bool krseq_frame_preempted(const struct krseq_irq_frame *f)
{
	return f->preempted;
}

struct krseq_thread_area *krseq_frame_task(const struct krseq_irq_frame *f)
{
	return f->t->ta;
}

struct krseq_lowcore *krseq_frame_lowcore(const struct krseq_irq_frame *f)
{
	return f->t->ta->lowcore;
}

int krseq_frame_marker_reg(unsigned int marker)
{
	if (!marker || marker - krseq_arch_marker_bias >= krseq_arch_nr_regs)
		return -1;
	return (int)(marker - krseq_arch_marker_bias);
}

bool krseq_frame_adds_offset(const struct krseq_irq_frame *f, unsigned int n)
{
	unsigned char insn[15];
	unsigned int len = krseq_frame_insn(f, insn, sizeof(insn));

	/* A breakpoint on the instruction (the series' v3 kprobe on the ag)
	 * must not hide it: decode what the breakpoint replaced. */
	krseq_trap_look_through(krseq_arch_pc(f->uc), insn, len);
	return krseq_arch_adds_offset(insn, len, n);
}

void krseq_frame_restart(struct krseq_irq_frame *f, uintptr_t to,
			 const struct krseq_rseq_cs *cs)
{
	krseq_arch_set_pc(f->uc, to);
	stat_inc(restarts);
	if (cs)
		krseq_cs_stats_note(cs, true, false);
}

void krseq_frame_fixup(struct krseq_irq_frame *f, unsigned int n, long delta,
		       const struct krseq_rseq_cs *cs)
{
	unsigned long *r = krseq_frame_reg(f, n);

	if (!r)
		krseq_die(f->uc, "fix-up of register %u, which %s has not", n,
			  krseq_arch_name);
	*r += (unsigned long)delta;
	stat_inc(fixups);
	if (cs)
		krseq_cs_stats_note(cs, false, true);
}

void krseq_frame_hit(struct krseq_irq_frame *f, const struct krseq_rseq_cs *cs)
{
	(void)f;
	if (cs)
		krseq_cs_stats_note(cs, false, false);
}

/* The two places a descriptor is armed: the task's, and its CPU's. */
static const struct krseq_rseq_cs *volatile *slot(struct krseq_irq_frame *f,
						  int i)
{
	struct krseq_thread_area *ta = f->t->ta;

	return i ? &ta->lowcore->sched_rseq : &ta->sched_rseq;
}

/*
 * What save[i] holds: the descriptor this kernel side took, EMPTY when the
 * slot was empty at entry, or 0 when it held another side's. An empty
 * slot is emptied again at exit: what a handler's own section left armed
 * there (no section disarms after its commit) must not outlive it.
 */
#define EMPTY 1ul

void krseq_cs_save(struct krseq_irq_frame *f, unsigned long *save,
		   bool (*mine)(const struct krseq_rseq_cs *cs))
{
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = *slot(f, i);
		const char *why;

		save[i] = cs ? 0 : EMPTY;
		if (!cs)
			continue;
		why = krseq_cs_check(cs);
		if (why)
			krseq_die(f->uc,
				  "rejected sched_rseq descriptor %p armed at "
				  "pc %#lx: %s",
				  (const void *)cs,
				  (unsigned long)krseq_arch_pc(f->uc), why);
		if (!mine(cs))
			continue;
		save[i] = (uintptr_t)cs;
		*slot(f, i) = NULL;
	}
	krseq_barrier();
}

void krseq_cs_restore(struct krseq_irq_frame *f, const unsigned long *save)
{
	for (int i = 0; i < 2; i++)
		if (save[i])
			*slot(f, i) =
				save[i] == EMPTY ?
					NULL :
					(const struct krseq_rseq_cs *)save[i];
	krseq_barrier();
}

const struct krseq_rseq_cs *krseq_cs_saved(const unsigned long *save, int i)
{
	return save[i & 1] == EMPTY ? NULL :
				      (const struct krseq_rseq_cs *)save[i & 1];
}

const struct krseq_rseq_cs *krseq_cs_covering(const struct krseq_irq_frame *f,
					      const unsigned long *save, int i)
{
	const struct krseq_rseq_cs *cs = krseq_cs_saved(save, i);
	uintptr_t pc = krseq_arch_pc(f->uc);

	return cs && pc >= cs->start_ip && pc < cs->post_commit_ip ? cs : NULL;
}

void krseq_cs_exit(struct krseq_irq_frame *f, const unsigned long *save,
		   void (*act)(struct krseq_irq_frame *f,
			       const struct krseq_rseq_cs *cs))
{
	for (int i = 0; i < 2; i++) {
		const struct krseq_rseq_cs *cs = krseq_cs_covering(f, save, i);

		if (cs)
			act(f, cs);
	}
	krseq_cs_restore(f, save);
}

void krseq_sides_entry(struct krseq_irq_frame *f)
{
	int n = atomic_load(&krseq_nr_sides);

	for (int i = 0; i < n; i++) {
		memset(f->save[i], 0, sizeof(f->save[i]));
		if (krseq_sides[i]->entry)
			krseq_sides[i]->entry(f, f->save[i]);
	}
}

void krseq_sides_switch_out(struct krseq_irq_frame *f)
{
	int n = atomic_load(&krseq_nr_sides);

	for (int i = 0; i < n; i++)
		if (krseq_sides[i]->switch_out)
			krseq_sides[i]->switch_out(f, f->save[i]);
}

void krseq_sides_exit(struct krseq_irq_frame *f)
{
	for (int i = atomic_load(&krseq_nr_sides) - 1; i >= 0; i--)
		if (krseq_sides[i]->exit)
			krseq_sides[i]->exit(f, f->save[i]);
}
