// SPDX-License-Identifier: MIT
/*
 * A two-word update explored with its own oracle: a per-CPU {count, sum}
 * pair, one event adding 1 to count and 5 to sum, while an interrupt folds
 * the pair into a total and zeroes it. pair_add() loads both words and
 * commits them with one two-word store in one restartable section;
 * pair_add_split() updates each word in a section of its own, so an
 * interrupt between the two sections tears the pair apart.
 */
#include "twins.h"

#include <krseq/krseq.h>

#include <stdio.h>

struct pair {
	long count, sum;
};

#define EVENT_SUM 5

static void *pairs; /* the explorer's per-CPU state (struct pair) */

/* clang-format off */
#if defined(__x86_64__)
/* The commit is one 16-byte store (movdqu) through %gs. */
#define ARM(d)                                                                 \
	"leaq " #d "f(%%rip), %%rcx\n\t"                                       \
	"movq %%rcx, %[rs]\n\t"
#define PAIR_ONE                                                               \
	"1:\n\t" ARM(9)                                                        \
	"2: movq %%gs:(%[v]), %%rax\n\t"                                       \
	"movq %%gs:8(%[v]), %%rdx\n\t"                                         \
	"addq $1, %%rax\n\t"                                                   \
	"addq $5, %%rdx\n\t"                                                   \
	"movq %%rax, %%xmm0\n\t"                                               \
	"movq %%rdx, %%xmm1\n\t"                                               \
	"punpcklqdq %%xmm1, %%xmm0\n\t"                                        \
	"movdqu %%xmm0, %%gs:(%[v])\n\t"                                       \
	"3:\n\t"
#define PAIR_SPLIT                                                             \
	"1:\n\t" ARM(9)                                                        \
	"2: movq %%gs:(%[v]), %%rax\n\t"                                       \
	"addq $1, %%rax\n\t"                                                   \
	"movq %%rax, %%gs:(%[v])\n\t"                                          \
	"3:\n\t"                                                               \
	"5:\n\t" ARM(8)                                                        \
	"6: movq %%gs:8(%[v]), %%rdx\n\t"                                      \
	"addq $5, %%rdx\n\t"                                                   \
	"movq %%rdx, %%gs:8(%[v])\n\t"                                         \
	"7:\n\t"
#define BACK(to) "jmp " #to "\n\t"
#define PAIR_ASM(body, restarts)                                               \
	__asm__ __volatile__(body                                              \
			     ".pushsection .text.unlikely, \"ax\"\n\t"         \
			     restarts ".popsection\n\t"                        \
			     : [rs] "=m"(krseq_ta.sched_rseq), "=&a"(count)    \
			     : [v] "r"(pairs)                                  \
			     : "rcx", "rdx", "xmm0", "xmm1", "memory", "cc")
#elif defined(__aarch64__)
/* The commit is one stp of both words. */
#define ARM(d)                                                                 \
	"adrp x9, " #d "f\n\t"                                                 \
	"add x9, x9, :lo12:" #d "f\n\t"                                        \
	"str x9, [%[ta], #16]\n\t"
#define PAIR_ONE                                                               \
	"1:\n\t" ARM(9)                                                        \
	"2: ldr x10, [%[ta]]\n\t"                                              \
	"add x10, x10, %[v]\n\t"                                               \
	"ldp x11, x12, [x10]\n\t"                                              \
	"add x11, x11, #1\n\t"                                                 \
	"add x12, x12, #5\n\t"                                                 \
	"stp x11, x12, [x10]\n\t"                                              \
	"3: mov %[c], x11\n\t"
#define PAIR_SPLIT                                                             \
	"1:\n\t" ARM(9)                                                        \
	"2: ldr x10, [%[ta]]\n\t"                                              \
	"add x10, x10, %[v]\n\t"                                               \
	"ldr x11, [x10]\n\t"                                                   \
	"add x11, x11, #1\n\t"                                                 \
	"str x11, [x10]\n\t"                                                   \
	"3: mov %[c], x11\n\t"                                                 \
	"5:\n\t" ARM(8)                                                        \
	"6: ldr x10, [%[ta]]\n\t"                                              \
	"add x10, x10, %[v]\n\t"                                               \
	"ldr x12, [x10, #8]\n\t"                                               \
	"add x12, x12, #5\n\t"                                                 \
	"str x12, [x10, #8]\n\t"                                               \
	"7:\n\t"
#define BACK(to) "b " #to "\n\t"
#define PAIR_ASM(body, restarts)                                               \
	__asm__ __volatile__(body                                              \
			     ".pushsection .text.unlikely, \"ax\"\n\t"         \
			     restarts ".popsection\n\t"                        \
			     : [c] "=&r"(count)                                \
			     : [ta] "r"(&krseq_ta), [v] "r"(pairs)             \
			     : "x9", "x10", "x11", "x12", "memory", "cc")
#else
/* The commit is one stmg of both words; the offset is in the lowcore. */
#define ARM(d)                                                                 \
	"larl %%r1, " #d "f\n\t"                                               \
	"stg %%r1, 16(%[ta])\n\t"
#define ADDR                                                                   \
	"lg %%r4, 8(%[ta])\n\t"                                                \
	"lg %%r4, 0(%%r4)\n\t"                                                 \
	"la %%r4, 0(%%r4,%[v])\n\t"
#define PAIR_ONE                                                               \
	"1:\n\t" ARM(9)                                                        \
	"2: " ADDR                                                             \
	"lmg %%r2, %%r3, 0(%%r4)\n\t"                                          \
	"aghi %%r2, 1\n\t"                                                     \
	"aghi %%r3, 5\n\t"                                                     \
	"stmg %%r2, %%r3, 0(%%r4)\n\t"                                         \
	"3: lgr %[c], %%r2\n\t"
#define PAIR_SPLIT                                                             \
	"1:\n\t" ARM(9)                                                        \
	"2: " ADDR                                                             \
	"lg %%r2, 0(%%r4)\n\t"                                                 \
	"aghi %%r2, 1\n\t"                                                     \
	"stg %%r2, 0(%%r4)\n\t"                                                \
	"3: lgr %[c], %%r2\n\t"                                                \
	"5:\n\t" ARM(8)                                                        \
	"6: " ADDR                                                             \
	"lg %%r3, 8(%%r4)\n\t"                                                 \
	"aghi %%r3, 5\n\t"                                                     \
	"stg %%r3, 8(%%r4)\n\t"                                                \
	"7:\n\t"
#define BACK(to) "jg " #to "\n\t"
#define PAIR_ASM(body, restarts)                                               \
	__asm__ __volatile__(body                                              \
			     ".pushsection .text.unlikely, \"ax\"\n\t"         \
			     restarts ".popsection\n\t"                        \
			     : [c] "=&d"(count)                                \
			     : [ta] "a"(&krseq_ta), [v] "a"(pairs)             \
			     : "r1", "r2", "r3", "r4", "memory", "cc")
#endif
/* clang-format on */

/* One event; returns the new count. */
static __attribute__((noinline)) unsigned long pair_add(void)
{
	unsigned long count;

	PAIR_ASM(PAIR_ONE, "4: " BACK(1b) KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0));
	return count;
}

static __attribute__((noinline)) unsigned long pair_add_split(void)
{
	unsigned long count;

	PAIR_ASM(PAIR_SPLIT,
		 "4: " BACK(1b) "10: " BACK(5b)
			 KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0)
				 KRSEQ_CS_ASM(8, 0x7, 6b, 7b, 10b, 0));
	return count;
}

static void pair_init(void *copy, int cpu)
{
	struct pair *p = copy;

	p->count = cpu + 3;
	p->sum = EVENT_SUM * p->count;
}

static unsigned long pair_model(void *copy)
{
	struct pair *p = copy;

	p->sum += EVENT_SUM;
	return (unsigned long)++p->count;
}

/* The interrupt folds the CPU's pair into a total and starts it over. */
static void pair_fold(void *copy)
{
	struct pair *p = copy;

	p->count = 0;
	p->sum = 0;
}

static const char *pair_check(const struct krseq_explore_run *r)
{
	static char why[128];
	const struct pair *got = r->got.copies;
	const char *bytes = krseq_explore_check_bytes(r);

	if (!bytes)
		return NULL;
	/* Every order keeps sum = 5 x count: say which CPU's pair tore. */
	for (int cpu = 0; cpu < r->nr_cpus; cpu++)
		if (got[cpu].sum != EVENT_SUM * got[cpu].count) {
			snprintf(why, sizeof(why),
				 "pair torn on cpu%d: count %ld, sum %ld", cpu,
				 got[cpu].count, got[cpu].sum);
			return why;
		}
	return bytes;
}

int main(void)
{
	struct krseq_explore_target one = {
		.name = "pair_add",
		.size = sizeof(struct pair),
		.state = &pairs,
		.op = pair_add,
		.init = pair_init,
		.model = pair_model,
		.adversary = pair_fold,
		.check = pair_check,
	};
	struct krseq_explore_target split = one;

	split.name = "pair_add_split";
	split.op = pair_add_split;
	return explore_twins(&one, &split);
}
