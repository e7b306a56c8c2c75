// SPDX-License-Identifier: MIT
/*
 * Where a task may be preempted: as the Go runtime decides before it
 * preempts a goroutine, only when the interrupted PC is in task code (the
 * program, or this library's ops), never in the C library or the loader,
 * whose locks a preempted task could hold while every CPU waits for them.
 */
#include "internal.h"

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

/* The first object dl_iterate_phdr reports is the program itself. */
static int add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct walk *w = data;
	uintptr_t self = w->self;
	bool main_program = w->index++ == 0;
	bool found_self = false;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t s = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && self >= s &&
		    self < s + ph->p_memsz)
			found_self = true;
	}
	if (!main_program && !found_self)
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
