// SPDX-License-Identifier: MIT
/*
 * Where a task may be preempted: as the Go runtime decides before it
 * preempts a goroutine, only when the interrupted PC is in task code (the
 * program, this library's ops, or an object that registered a scheme: its
 * sequences), never in the C library or the loader, whose locks a
 * preempted task could hold while every CPU waits for them.
 */
#include "internal.h"

#include <krseq/scheme.h>

#include <link.h>

#define MAX_RANGES 16

static struct {
	uintptr_t start, end;
} ranges[MAX_RANGES];
static unsigned int nr_ranges;

struct walk {
	uintptr_t self;
	unsigned int index;
};

/* Whether [s, e) holds a sequence of a scheme a program registered. */
static bool holds_scheme(uintptr_t s, uintptr_t e)
{
	for (int id = KRSEQ_NR_SCHEMES; id < krseq_scheme_count(); id++) {
		const struct krseq_scheme *sc = krseq_scheme_get(id);

		for (int z = 0; z < 4; z++)
			for (int op = 0; op < KRSEQ_NR_OPS; op++)
				if ((uintptr_t)sc->seq[z][op] >= s &&
				    (uintptr_t)sc->seq[z][op] < e)
					return true;
	}
	return false;
}

/* The first object dl_iterate_phdr reports is the program itself. */
static int add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct walk *w = data;
	uintptr_t self = w->self;
	bool main_program = w->index++ == 0;
	bool task_code = false;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t s = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD &&
		    ((self >= s && self < s + ph->p_memsz) ||
		     ((ph->p_flags & PF_X) && holds_scheme(s, s + ph->p_memsz))))
			task_code = true;
	}
	if (!main_program && !task_code)
		return 0;
	for (int i = 0; i < info->dlpi_phnum && nr_ranges < MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		ranges[nr_ranges].start = info->dlpi_addr + ph->p_vaddr;
		ranges[nr_ranges].end = ranges[nr_ranges].start + ph->p_memsz;
		nr_ranges++;
	}
	return 0;
}

void krseq_safepoint_setup(void)
{
	struct walk w = { .self = (uintptr_t)&krseq_init };

	nr_ranges = 0;
	dl_iterate_phdr(add_object, &w);
}

bool krseq_pc_is_safe(uintptr_t pc)
{
	for (unsigned int i = 0; i < nr_ranges; i++)
		if (pc >= ranges[i].start && pc < ranges[i].end)
			return true;
	return false;
}
