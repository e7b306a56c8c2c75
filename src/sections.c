// SPDX-License-Identifier: MIT
/*
 * The "krseq_cs" and "krseq_percpu" sections of every loaded object, as
 * registered by their constructors (see <krseq/sections.h>), and the
 * per-CPU copies made from the templates.
 */
#include "internal.h"
#include "arch/arch.h"

#include <krseq/scheme.h>

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_OBJECTS 32
#define MAX_PERCPU_SPAN (1ul << 30)

struct range {
	uintptr_t start, end;
};

static struct range cs_ranges[MAX_OBJECTS], pcpu_ranges[MAX_OBJECTS];
static unsigned int nr_cs, nr_pcpu;
static struct lock reg_lock;

static void add_range(struct range *r, unsigned int *n, const void *start,
		      const void *stop)
{
	uintptr_t s = (uintptr_t)start, e = (uintptr_t)stop;

	if (!s || e <= s)
		return;
	for (unsigned int i = 0; i < *n; i++)
		if (r[i].start == s)
			return;
	if (*n < MAX_OBJECTS)
		r[(*n)++] = (struct range){ s, e };
}

void krseq_register_sections(const void *cs_start, const void *cs_stop,
			     const void *pcpu_start, const void *pcpu_stop)
{
	lock_take(&reg_lock);
	add_range(cs_ranges, &nr_cs, cs_start, cs_stop);
	add_range(pcpu_ranges, &nr_pcpu, pcpu_start, pcpu_stop);
	lock_drop(&reg_lock);
}

unsigned int krseq_cs_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nr_cs; i++)
		n += (unsigned int)((cs_ranges[i].end - cs_ranges[i].start) /
				    KRSEQ_CS_SIZE);
	return n;
}

/* Position among all registered descriptors, or -1; signal-safe. */
long krseq_cs_index(const struct krseq_rseq_cs *cs)
{
	uintptr_t p = (uintptr_t)cs;
	long base = 0;

	for (unsigned int i = 0; i < nr_cs; i++) {
		if (p >= cs_ranges[i].start &&
		    p + KRSEQ_CS_SIZE <= cs_ranges[i].end &&
		    (p - cs_ranges[i].start) % KRSEQ_CS_SIZE == 0)
			return base +
			       (long)((p - cs_ranges[i].start) / KRSEQ_CS_SIZE);
		base += (long)((cs_ranges[i].end - cs_ranges[i].start) /
			       KRSEQ_CS_SIZE);
	}
	return -1;
}

const struct krseq_rseq_cs *krseq_cs_at(unsigned int idx)
{
	for (unsigned int i = 0; i < nr_cs; i++) {
		unsigned int n =
			(unsigned int)((cs_ranges[i].end - cs_ranges[i].start) /
				       KRSEQ_CS_SIZE);

		if (idx < n)
			return (const struct krseq_rseq_cs
					*)(cs_ranges[i].start +
					   (uintptr_t)idx * KRSEQ_CS_SIZE);
		idx -= n;
	}
	return NULL;
}

static bool cs_in_section(const struct krseq_rseq_cs *cs)
{
	return krseq_cs_index(cs) >= 0;
}

const char *krseq_cs_check(const struct krseq_rseq_cs *cs)
{
	const uint32_t known = KRSEQ_CS_FLAVOUR_IRQ | KRSEQ_CS_FIXUP |
			       KRSEQ_CS_KSEQ;

	if (!cs_in_section(cs))
		return "not a descriptor in any krseq_cs section";
	if (cs->version != KRSEQ_CS_VERSION)
		return "unknown descriptor version";
	if (!cs->flags || (cs->flags & ~known))
		return "unknown or missing flags";
	if ((cs->flags & KRSEQ_CS_FIXUP) &&
	    (cs->flags & (KRSEQ_CS_FLAVOUR_IRQ | KRSEQ_CS_KSEQ)))
		return "FIXUP combined with restart flags";
	if ((cs->flags & KRSEQ_CS_KSEQ) && !(cs->flags & KRSEQ_CS_FLAVOUR_IRQ))
		return "KSEQ without a restart flavour";
	if (cs->start_ip >= cs->post_commit_ip)
		return "start is not below commit";
	if (cs->flags & KRSEQ_CS_FIXUP) {
		if (cs->fixup_reg >= krseq_arch_nr_regs)
			return "fix-up register out of range for this arch";
	} else if (cs->flags & KRSEQ_CS_KSEQ) {
		if (cs->abort_ip != cs->start_ip)
			return "KSEQ restart label is not the window's start";
	} else if (cs->abort_ip >= cs->start_ip &&
		   cs->abort_ip < cs->post_commit_ip) {
		return "restart label inside the window";
	}
	return NULL;
}

static void *pcpu_area;
static size_t pcpu_area_len;

/*
 * Room for krseq_alloc_percpu() after the static templates, as the kernel's
 * first chunk has room for alloc_percpu(). A dynamic "template" is only an
 * address whose copies exist at template + offset: it is never touched.
 */
#define DYN_PERCPU_SIZE (1ul << 20)
static uintptr_t dyn_tpl;
static size_t dyn_used;

/*
 * One offset per CPU must reach every object's template, so the copies
 * mirror the span from the lowest to the highest template.
 */
int krseq_percpu_setup(void)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), span;
	int n = krseq_m.nr_cpus;

	for (unsigned int i = 0; i < nr_pcpu; i++) {
		if (pcpu_ranges[i].start < lo)
			lo = pcpu_ranges[i].start;
		if (pcpu_ranges[i].end > hi)
			hi = pcpu_ranges[i].end;
	}
	if (!nr_pcpu)
		lo = hi = 0;
	if (hi - lo > MAX_PERCPU_SPAN)
		return krseq_fail(
			EINVAL,
			"krseq_init: per-CPU sections of the loaded "
			"objects span %lu MiB (limit %lu MiB); define "
			"per-CPU variables in one object",
			(unsigned long)((hi - lo) >> 20),
			MAX_PERCPU_SPAN >> 20);
	span = ((hi - lo) + (lo & (page - 1)) + page - 1) & ~(page - 1);
	if (!nr_pcpu)
		lo = page; /* no static templates: dynamic ones from here */
	dyn_tpl = (lo & ~(page - 1)) + span;
	/* The first word is the entry path's own (krseq_entry_percpu). */
	dyn_used = 16;
	span += DYN_PERCPU_SIZE;
	pcpu_area_len = span * (size_t)n;
	pcpu_area = mmap(NULL, pcpu_area_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pcpu_area == MAP_FAILED) {
		pcpu_area = NULL;
		return krseq_fail(ENOMEM,
				  "krseq_init: no memory for %d x %zu "
				  "bytes of per-CPU data",
				  n, span);
	}
	for (int cpu = 0; cpu < n; cpu++) {
		uintptr_t base = (uintptr_t)pcpu_area + (size_t)cpu * span +
				 (lo & (page - 1));
		unsigned long off = (unsigned long)(base - lo);

		for (unsigned int i = 0; i < nr_pcpu; i++)
			memcpy((void *)(pcpu_ranges[i].start + off),
			       (const void *)pcpu_ranges[i].start,
			       pcpu_ranges[i].end - pcpu_ranges[i].start);
		krseq_m.cpus[cpu].lc.percpu_offset = off;
	}
	return 0;
}

void krseq_percpu_teardown(void)
{
	if (pcpu_area)
		munmap(pcpu_area, pcpu_area_len);
	pcpu_area = NULL;
}

void *krseq_alloc_percpu_size(size_t size, size_t align)
{
	uintptr_t at;

	if (!krseq_m.up || !size || (align & (align - 1)))
		return NULL;
	if (align < 16)
		align = 16;
	at = (dyn_used + align - 1) & ~(align - 1);
	if (at + size > DYN_PERCPU_SIZE)
		return NULL;
	dyn_used = at + size;
	for (int cpu = 0; cpu < krseq_m.nr_cpus; cpu++)
		memset((void *)(dyn_tpl + at + krseq_cpu_offset(cpu)), 0, size);
	return (void *)(dyn_tpl + at);
}

uint64_t *krseq_entry_percpu(void)
{
	return krseq_m.up ? (uint64_t *)dyn_tpl : NULL;
}

unsigned long krseq_cpu_offset(int cpu)
{
	return krseq_m.cpus[cpu].lc.percpu_offset;
}

int krseq_nr_cpus(void)
{
	return krseq_m.nr_cpus;
}
