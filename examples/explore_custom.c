// SPDX-License-Identifier: MIT
/*
 * Write your own per-CPU sequence with the public section macros and let
 * the explorer interrupt it at every instruction boundary. my_inc() is a
 * restartable increment written by hand for each arch; plain_inc() is the
 * same load/add/store left unarmed, which the explorer must catch.
 */
#include "twins.h"

#include <krseq/krseq.h>

static long *counter; /* a per-CPU variable, from krseq_alloc_percpu() */

/* clang-format off */
#if defined(__x86_64__)
/* The offset is the GS base: load/add/store through %gs. */
#define ARM_AND_INC(armed)                                                     \
	__asm__ __volatile__(                                                  \
		"1:\n\t"                                                       \
		armed("leaq 9f(%%rip), %%rax\n\t"                              \
		      "movq %%rax, %[rs]\n\t")                                 \
		"2: movq %%gs:(%[v]), %%rdx\n\t"                               \
		"addq $1, %%rdx\n\t"                                           \
		"movq %%rdx, %%gs:(%[v])\n\t"                                  \
		"3:\n\t"                                                       \
		armed(".pushsection .text.unlikely, \"ax\"\n\t"                \
		      "4: jmp 1b\n\t"                                          \
		      ".popsection\n\t"                                        \
		      KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0))                    \
		: [rs] "=m"(krseq_ta.sched_rseq)                               \
		: [v] "r"(counter)                                             \
		: "rax", "rdx", "memory", "cc")
#elif defined(__aarch64__)
/* The offset is in the thread area (TPIDR_EL1's stand-in). */
#define ARM_AND_INC(armed)                                                     \
	__asm__ __volatile__(                                                  \
		"1:\n\t"                                                       \
		armed("adrp x9, 9f\n\t"                                        \
		      "add x9, x9, :lo12:9f\n\t"                               \
		      "str x9, [%[ta], #16]\n\t")                              \
		"2: ldr x10, [%[ta]]\n\t"                                      \
		"ldr x11, [%[v], x10]\n\t"                                     \
		"add x11, x11, #1\n\t"                                         \
		"str x11, [%[v], x10]\n\t"                                     \
		"3:\n\t"                                                       \
		armed(".pushsection .text.unlikely, \"ax\"\n\t"                \
		      "4: b 1b\n\t"                                            \
		      ".popsection\n\t"                                        \
		      KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0))                    \
		:                                                              \
		: [ta] "r"(&krseq_ta), [v] "r"(counter)                        \
		: "x9", "x10", "x11", "memory", "cc")
#else
/* The offset is in the lowcore, reached through the thread area. */
#define ARM_AND_INC(armed)                                                     \
	__asm__ __volatile__(                                                  \
		"1:\n\t"                                                       \
		armed("larl %%r1, 9f\n\t"                                      \
		      "stg %%r1, 16(%[ta])\n\t")                               \
		"2: lg %%r4, 8(%[ta])\n\t"                                     \
		"lg %%r4, 0(%%r4)\n\t"                                         \
		"lg %%r5, 0(%%r4,%[v])\n\t"                                    \
		"aghi %%r5, 1\n\t"                                             \
		"stg %%r5, 0(%%r4,%[v])\n\t"                                   \
		"3:\n\t"                                                       \
		armed(".pushsection .text.unlikely, \"ax\"\n\t"                \
		      "4: jg 1b\n\t"                                           \
		      ".popsection\n\t"                                        \
		      KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0))                    \
		:                                                              \
		: [ta] "a"(&krseq_ta), [v] "a"(counter)                        \
		: "r1", "r4", "r5", "memory", "cc")
#endif
/* clang-format on */

#define ARMED(x) x
#define UNARMED(x)

static __attribute__((noinline)) void my_inc(void)
{
	ARM_AND_INC(ARMED);
}

static __attribute__((noinline)) void plain_inc(void)
{
	ARM_AND_INC(UNARMED);
}

int main(void)
{
	struct krseq_explore_target armed = {
		.name = "my_inc",
		.run = my_inc,
		.var_alloc = &counter, /* allocated on the explorer's machine */
		.delta = 1,
	};
	struct krseq_explore_target unarmed = armed;

	unarmed.name = "plain_inc";
	unarmed.run = plain_inc;
	return explore_twins(&armed, &unarmed);
}
