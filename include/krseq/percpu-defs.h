/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables, as the kernel's percpu-defs.h: the template lives in
 * its own section ("krseq_percpu", the kernel's .data..percpu) and is never
 * used directly; krseq_init() makes one copy per CPU, and a CPU's offset is
 * copy - template.
 */
#ifndef KRSEQ_PERCPU_DEFS_H
#define KRSEQ_PERCPU_DEFS_H

#include <stddef.h>
#include <stdint.h>
#include <krseq/thread.h>

#define KRSEQ_PERCPU_SECTION "krseq_percpu"

/* May be preceded by static, as the kernel's. */
#define KRSEQ_DEFINE_PER_CPU(type, name)                                       \
	__attribute__((section(KRSEQ_PERCPU_SECTION),                          \
		       used)) __typeof__(type) name
#define KRSEQ_DECLARE_PER_CPU(type, name)                                      \
	extern __attribute__((                                                 \
		section(KRSEQ_PERCPU_SECTION))) __typeof__(type) name

/* The running CPU's offset (x86_64 also has it in the GS base). */
static inline unsigned long krseq_this_cpu_offset(void)
{
	return krseq_ta.percpu_offset;
}

unsigned long krseq_cpu_offset(int cpu);

/*
 * Dynamic per-CPU memory, as the kernel's alloc_percpu(): a template
 * address for per_cpu_ptr()/this_cpu_*(), zeroed on every CPU. It lives
 * until krseq_exit() (1 MiB in all); NULL when the machine is down or full.
 */
void *krseq_alloc_percpu_size(size_t size, size_t align);
#define krseq_alloc_percpu(type)                                               \
	((type *)krseq_alloc_percpu_size(sizeof(type), __alignof__(type)))
int krseq_nr_cpus(void);

#define krseq_shift_ptr(ptr, off)                                              \
	((__typeof__(ptr))((uintptr_t)(ptr) + (unsigned long)(off)))

#define krseq_per_cpu_ptr(ptr, cpu) krseq_shift_ptr(ptr, krseq_cpu_offset(cpu))
#define krseq_this_cpu_ptr(ptr) krseq_shift_ptr(ptr, krseq_this_cpu_offset())
#define krseq_per_cpu(var, cpu) (*krseq_per_cpu_ptr(&(var), cpu))

#define krseq_for_each_possible_cpu(cpu)                                       \
	for ((cpu) = 0; (cpu) < krseq_nr_cpus(); (cpu)++)

#endif /* KRSEQ_PERCPU_DEFS_H */
