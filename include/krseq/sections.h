/* SPDX-License-Identifier: MIT */
/*
 * Every object that includes <krseq/krseq.h> registers its own "krseq_cs"
 * and "krseq_percpu" sections at load time. The linker defines
 * __start_/__stop_ symbols per object (hidden), so each object must report
 * its own; a static constructor per translation unit does, and the runtime
 * drops duplicates.
 */
#ifndef KRSEQ_SECTIONS_H
#define KRSEQ_SECTIONS_H

#include <krseq/rseq.h>

void krseq_register_sections(const void *cs_start, const void *cs_stop,
			     const void *pcpu_start, const void *pcpu_stop);

extern const char __start_krseq_cs[]
	__attribute__((weak, visibility("hidden")));
extern const char __stop_krseq_cs[] __attribute__((weak, visibility("hidden")));
extern const char __start_krseq_percpu[]
	__attribute__((weak, visibility("hidden")));
extern const char __stop_krseq_percpu[]
	__attribute__((weak, visibility("hidden")));

__attribute__((constructor, used)) static void krseq__register_here(void)
{
	krseq_register_sections(__start_krseq_cs, __stop_krseq_cs,
				__start_krseq_percpu, __stop_krseq_percpu);
}

#endif /* KRSEQ_SECTIONS_H */
