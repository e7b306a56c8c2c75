// SPDX-License-Identifier: MIT
#define UNW_LOCAL_ONLY
#include "internal.h"

#include "arch/arch.h"

#include <errno.h>
#include <libunwind.h>
#include <stdio.h>

/*
 * Walks the interrupted context from the signal frame, with symbol names,
 * into buf (a heading, then one line a frame). Signal-safe enough for the
 * paths that use it: libunwind's local unwinding allocates nothing.
 */
void krseq_backtrace_buf(ucontext_t *uc, char *buf, size_t len)
{
	unw_cursor_t cursor;
	char name[256];
	size_t n = 0;
	int depth = 0;

#define out(...)                                                               \
	do {                                                                   \
		if (n < len)                                                   \
			n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__);  \
	} while (0)

	out("krseq: backtrace of the interrupted context:\n");
	if (unw_init_local2(&cursor, (unw_context_t *)uc,
			    UNW_INIT_SIGNAL_FRAME) < 0) {
		out("  (libunwind could not start)\n");
		return;
	}
	do {
		unw_word_t ip = 0, off = 0;

		unw_get_reg(&cursor, UNW_REG_IP, &ip);
		if (unw_get_proc_name(&cursor, name, sizeof(name), &off) != 0)
			snprintf(name, sizeof(name), "??");
		out("  #%d 0x%016lx %s+0x%lx\n", depth, (unsigned long)ip, name,
		    (unsigned long)off);
	} while (++depth < 32 && unw_step(&cursor) > 0);
#undef out
}

void krseq_backtrace(int fd, ucontext_t *uc)
{
	char buf[4096];

	krseq_backtrace_buf(uc, buf, sizeof(buf));
	krseq_write_str(fd, buf);
}

/* The function holding ip, from the unwind tables (GCC emits an FDE for
 * every function). */
bool krseq_fn_extent(uintptr_t ip, uintptr_t *start, uintptr_t *end)
{
	unw_proc_info_t pi;

	if (unw_get_proc_info_by_ip(unw_local_addr_space, (unw_word_t)ip, &pi,
				    NULL) < 0)
		return false;
	*start = (uintptr_t)pi.start_ip;
	*end = (uintptr_t)pi.end_ip;
	return true;
}

/*
 * dladdr() sees only the dynamic symbol table, and a section usually sits
 * in a static function; libunwind reads .symtab from the object's file,
 * natively and under qemu-user. Version 1.6 has no lookup by address, so
 * a cursor is started on a context whose PC is pc, as on a signal frame
 * (pointing a cursor's IP register elsewhere is ignored on s390x).
 */
int krseq_symbolize(uint64_t pc, char *name, size_t len, unsigned long *off)
{
	ucontext_t uc;
	unw_cursor_t cursor;
	unw_word_t o = 0;

	*off = 0;
	if (getcontext(&uc) == 0) {
		krseq_arch_set_pc(&uc, (uintptr_t)pc);
		if (unw_init_local2(&cursor, (unw_context_t *)&uc,
				    UNW_INIT_SIGNAL_FRAME) == 0 &&
		    unw_get_proc_name(&cursor, name, len, &o) == 0) {
			*off = (unsigned long)o;
			return 0;
		}
	}
	if (len)
		snprintf(name, len, "??");
	return -ENOENT;
}
