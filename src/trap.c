// SPDX-License-Identifier: MIT
/*
 * Forcing an interrupt at one instruction boundary: a trap instruction is
 * written over it, and when the task reaches it the original bytes go back
 * and the interrupt entry/exit path runs on the trap's context, so the
 * interrupted PC is exactly the boundary. Text is writable only while a
 * trap is being written or removed, or, while an exploration holds it
 * (krseq_text_hold), from the first write to a page until the release:
 * two mprotect calls a run would cost more than the run's one trap.
 */
#include "internal.h"
#include "arch/arch.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The armed trap's interrupt is slot[cur]; a second trap armed while the
 * first's callbacks run takes the other slot.
 */
static struct {
	uintptr_t pc;
	unsigned char saved[8];
	struct krseq_forced_irq slot[2];
	unsigned int cur, hits;
	bool armed, hit;
} trap;

static struct {
	int nr;
	uintptr_t pc[KRSEQ_MAX_MARKS];
	unsigned char saved[KRSEQ_MAX_MARKS][8];
	bool hit[KRSEQ_MAX_MARKS];
} marks;

/* The pages a hold made writable, put back by the release. */
#define MAX_HELD 128
static struct {
	bool holding;
	int nr;
	uintptr_t page[MAX_HELD];
} text;

static bool held(uintptr_t page)
{
	for (int i = 0; i < text.nr; i++)
		if (text.page[i] == page)
			return true;
	return false;
}

/* Makes the pages of [pc, pc + n) writable; true if they stay so. */
static int open_text(uintptr_t pc, unsigned int n, bool *keep)
{
	uintptr_t size = (uintptr_t)sysconf(_SC_PAGESIZE);

	*keep = text.holding;
	for (uintptr_t p = pc & ~(size - 1); p < pc + n; p += size) {
		if (*keep && held(p))
			continue;
		if (*keep && text.nr == MAX_HELD)
			*keep = false;
		if (mprotect((void *)p, size,
			     PROT_READ | PROT_WRITE | PROT_EXEC))
			return -errno;
		if (*keep)
			text.page[text.nr++] = p;
	}
	return 0;
}

static int patch_text(uintptr_t pc, const unsigned char *bytes, unsigned int n)
{
	uintptr_t size = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = pc & ~(size - 1);
	size_t len = ((pc + n + size - 1) & ~(size - 1)) - start;
	bool keep;
	int err = open_text(pc, n, &keep);

	if (err)
		return err;
	memcpy((void *)pc, bytes, n);
	__builtin___clear_cache((char *)pc, (char *)pc + n);
	if (!keep && mprotect((void *)start, len, PROT_READ | PROT_EXEC))
		return -errno;
	return 0;
}

int krseq_text_write(uintptr_t pc, const unsigned char *bytes, unsigned int n)
{
	return patch_text(pc, bytes, n);
}

void krseq_text_hold(void)
{
	/* The trap signal is claimed once for the hold, not per trap. */
	krseq_trap_claim();
	text.holding = true;
}

int krseq_text_release(void)
{
	uintptr_t size = (uintptr_t)sysconf(_SC_PAGESIZE);
	int err = 0;

	for (int i = 0; i < text.nr; i++)
		if (mprotect((void *)text.page[i], size,
			     PROT_READ | PROT_EXEC) &&
		    !err)
			err = -errno;
	text.nr = 0;
	text.holding = false;
	return err;
}

/* A breakpoint planted as a kprobe: where, and the bytes it covers. */
static struct {
	uintptr_t pc;
	unsigned char saved[8];
	bool set;
} kprobe;

int krseq_kprobe_set(uintptr_t pc)
{
	int err;

	if (kprobe.set)
		return -EBUSY;
	memcpy(kprobe.saved, (const void *)pc, krseq_arch_trap_len);
	err = patch_text(pc, krseq_arch_trap_insn, krseq_arch_trap_len);
	if (!err) {
		kprobe.pc = pc;
		kprobe.set = true;
	}
	return err;
}

int krseq_kprobe_clear(void)
{
	if (!kprobe.set)
		return 0;
	kprobe.set = false;
	return patch_text(kprobe.pc, kprobe.saved, krseq_arch_trap_len);
}

static void look_through(uintptr_t at, const unsigned char *saved, uintptr_t pc,
			 unsigned char *buf, unsigned int len)
{
	unsigned int off, n;

	if (at < pc || at >= pc + len)
		return;
	off = (unsigned int)(at - pc);
	n = krseq_arch_trap_len < len - off ? krseq_arch_trap_len : len - off;
	memcpy(buf + off, saved, n);
}

void krseq_trap_look_through(uintptr_t pc, unsigned char *buf, unsigned int len)
{
	if (trap.armed)
		look_through(trap.pc, trap.saved, pc, buf, len);
	if (kprobe.set)
		look_through(kprobe.pc, kprobe.saved, pc, buf, len);
	for (int i = 0; i < marks.nr; i++)
		if (!marks.hit[i])
			look_through(marks.pc[i], marks.saved[i], pc, buf, len);
}

int krseq_trap_mark(const uintptr_t *pcs, int n)
{
	if (n > KRSEQ_MAX_MARKS || marks.nr)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		int err;

		memcpy(marks.saved[i], (const void *)pcs[i],
		       krseq_arch_trap_len);
		marks.pc[i] = pcs[i];
		marks.hit[i] = false;
		err = patch_text(pcs[i], krseq_arch_trap_insn,
				 krseq_arch_trap_len);
		marks.nr = i + 1;
		if (err)
			return err;
	}
	return 0;
}

void krseq_trap_unmark(bool *hit)
{
	for (int i = 0; i < marks.nr; i++) {
		if (!marks.hit[i])
			patch_text(marks.pc[i], marks.saved[i],
				   krseq_arch_trap_len);
		if (hit)
			hit[i] = marks.hit[i];
	}
	marks.nr = 0;
}

/* A marker at pc, removed if it is one. */
static bool unmark(uintptr_t pc)
{
	for (int i = 0; i < marks.nr; i++) {
		if (marks.pc[i] != pc || marks.hit[i])
			continue;
		patch_text(pc, marks.saved[i], krseq_arch_trap_len);
		marks.hit[i] = true;
		return true;
	}
	return false;
}

unsigned int krseq_trap_size(void)
{
	return krseq_arch_trap_len;
}

static int write_trap(uintptr_t pc)
{
	int err;

	trap.pc = pc;
	memcpy(trap.saved, (const void *)pc, krseq_arch_trap_len);
	err = patch_text(pc, krseq_arch_trap_insn, krseq_arch_trap_len);
	if (!err)
		trap.armed = true;
	return err;
}

int krseq_trap_arm(void *pc, const struct krseq_forced_irq *f)
{
	int err;

	if (!krseq_m.up)
		return krseq_fail(EINVAL,
				  "krseq_trap_arm: the machine is not up");
	if (trap.armed)
		return krseq_fail(EBUSY,
				  "krseq_trap_arm: a trap is already "
				  "armed at %#lx",
				  (unsigned long)trap.pc);
	if (!text.holding)
		krseq_trap_claim();
	trap.cur = 0;
	trap.slot[0] = *f;
	trap.hit = false;
	trap.hits = 0;
	err = write_trap((uintptr_t)pc);
	if (err)
		return krseq_fail(-err,
				  "krseq_trap_arm: cannot write text at "
				  "%p: %s",
				  pc, strerror(-err));
	return 0;
}

int krseq_trap_arm_next(uintptr_t pc, const struct krseq_forced_irq *f,
			bool in_handler)
{
	sigset_t sig;

	if (trap.armed)
		return -EBUSY;
	/* Armed for code the first interrupt's handler runs itself, the
	 * trap must not find its own signal blocked (a fault that is kills). */
	if (in_handler) {
		sigemptyset(&sig);
		sigaddset(&sig, krseq_m.sigs[KRSEQ_IRQ_FORCED]);
		pthread_sigmask(SIG_UNBLOCK, &sig, NULL);
	}
	trap.cur ^= 1;
	trap.slot[trap.cur] = *f;
	return write_trap(pc);
}

unsigned int krseq_trap_hits(void)
{
	return trap.hits;
}

bool krseq_trap_disarm(void)
{
	if (trap.armed) {
		patch_text(trap.pc, trap.saved, krseq_arch_trap_len);
		trap.armed = false;
	}
	return trap.hit;
}

void krseq_trap_signal(int sig, siginfo_t *si, void *ucv)
{
	struct krseq_task *t = krseq_ta.task;
	ucontext_t *uc = ucv;
	uintptr_t pc = krseq_arch_trap_pc(si, uc);
	int saved_errno = errno;
	struct krseq_forced_irq *f;

	if (krseq_arch_trace_step(si, uc))
		return;
	if (marks.nr && unmark(pc)) {
		krseq_arch_set_pc(uc, pc);
		errno = saved_errno;
		return;
	}
	if (!trap.armed || pc != trap.pc || !t) {
		krseq_trap_chain(sig, si, ucv);
		return;
	}
	patch_text(trap.pc, trap.saved, krseq_arch_trap_len);
	trap.armed = false;
	trap.hit = true;
	trap.hits++;
	f = &trap.slot[trap.cur];
	krseq_arch_set_pc(uc, pc);
	stat_inc(traps);
	if (f->backtrace)
		krseq_backtrace_buf(uc, f->backtrace, f->backtrace_len);
	krseq_irq_entry_exit(t, krseq_forced_src(f), uc, f);
	/* Again, unless its callbacks armed a trap of their own. */
	if (f->again && !trap.armed && krseq_arch_pc(uc) != pc &&
	    !patch_text(trap.pc, krseq_arch_trap_insn, krseq_arch_trap_len)) {
		f->again--;
		trap.armed = true;
	}
	errno = saved_errno;
}
