// SPDX-License-Identifier: MIT
/*
 * A per-CPU list explored with its own oracle: list_pop() takes the head
 * object off the running CPU's list in one restartable section (load the
 * head, load its next, commit the new head), while an interrupt handler
 * pushes a freed object onto the same list. list_pop_unarmed() is the
 * same sequence without its descriptor: a push between its loads and its
 * commit is overwritten, and the pushed object lost.
 *
 * The objects are the state's own slots, linked by index (-1 ends the
 * list), so the explorer's copies of a CPU's list are lists too.
 */
#include "twins.h"

#include <krseq/krseq.h>

#include <stdio.h>

#define NR_OBJS 7
#define FREED 6 /* the object the handler frees: never on a list before */

struct list {
	long head;
	long next[NR_OBJS];
};

static void *lists; /* the explorer's per-CPU state (struct list) */

/* clang-format off */
#if defined(__x86_64__)
#define POP_ASM(armed)                                                         \
	__asm__ __volatile__(                                                  \
		"1:\n\t"                                                       \
		armed("leaq 9f(%%rip), %%rcx\n\t"                              \
		      "movq %%rcx, %[rs]\n\t")                                 \
		"2: movq %%gs:(%[v]), %%rax\n\t"                               \
		"testq %%rax, %%rax\n\t"                                       \
		"js 3f\n\t"                                                    \
		"movq %%gs:8(%[v],%%rax,8), %%rdx\n\t"                         \
		"movq %%rdx, %%gs:(%[v])\n\t"                                  \
		"3:\n\t"                                                       \
		armed(".pushsection .text.unlikely, \"ax\"\n\t"                \
		      "4: jmp 1b\n\t"                                          \
		      ".popsection\n\t"                                        \
		      KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0))                    \
		: [rs] "=m"(krseq_ta.sched_rseq), "=&a"(obj)                   \
		: [v] "r"(lists)                                               \
		: "rcx", "rdx", "memory", "cc")
#elif defined(__aarch64__)
#define POP_ASM(armed)                                                         \
	__asm__ __volatile__(                                                  \
		"1:\n\t"                                                       \
		armed("adrp x9, 9f\n\t"                                        \
		      "add x9, x9, :lo12:9f\n\t"                               \
		      "str x9, [%[ta], #16]\n\t")                              \
		"2: ldr x10, [%[ta]]\n\t"                                      \
		"add x10, x10, %[v]\n\t"                                       \
		"ldr x11, [x10]\n\t"                                           \
		"tbnz x11, #63, 3f\n\t"                                        \
		"add x12, x10, x11, lsl #3\n\t"                                \
		"ldr x12, [x12, #8]\n\t"                                       \
		"str x12, [x10]\n\t"                                           \
		"3: mov %[o], x11\n\t"                                         \
		armed(".pushsection .text.unlikely, \"ax\"\n\t"                \
		      "4: b 1b\n\t"                                            \
		      ".popsection\n\t"                                        \
		      KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0))                    \
		: [o] "=&r"(obj)                                               \
		: [ta] "r"(&krseq_ta), [v] "r"(lists)                          \
		: "x9", "x10", "x11", "x12", "memory", "cc")
#else
#define POP_ASM(armed)                                                         \
	__asm__ __volatile__(                                                  \
		"1:\n\t"                                                       \
		armed("larl %%r1, 9f\n\t"                                      \
		      "stg %%r1, 16(%[ta])\n\t")                               \
		"2: lg %%r4, 8(%[ta])\n\t"                                     \
		"lg %%r4, 0(%%r4)\n\t"                                         \
		"la %%r4, 0(%%r4,%[v])\n\t"                                    \
		"lg %%r5, 0(%%r4)\n\t"                                         \
		"ltgr %%r5, %%r5\n\t"                                          \
		"jl 3f\n\t"                                                    \
		"sllg %%r1, %%r5, 3\n\t"                                       \
		"lg %%r1, 8(%%r1,%%r4)\n\t"                                    \
		"stg %%r1, 0(%%r4)\n\t"                                        \
		"3: lgr %[o], %%r5\n\t"                                        \
		armed(".pushsection .text.unlikely, \"ax\"\n\t"                \
		      "4: jg 1b\n\t"                                           \
		      ".popsection\n\t"                                        \
		      KRSEQ_CS_ASM(9, 0x7, 2b, 3b, 4b, 0))                    \
		: [o] "=&d"(obj)                                               \
		: [ta] "a"(&krseq_ta), [v] "a"(lists)                          \
		: "r1", "r4", "r5", "memory", "cc")
#endif
/* clang-format on */

#define ARMED(x) x
#define UNARMED(x)

/* The object taken, or -1 if the list was empty. */
static __attribute__((noinline)) unsigned long list_pop(void)
{
	unsigned long obj;

	POP_ASM(ARMED);
	return obj;
}

static __attribute__((noinline)) unsigned long list_pop_unarmed(void)
{
	unsigned long obj;

	POP_ASM(UNARMED);
	return obj;
}

/* Every CPU's list holds 0 .. 3 (rotated per CPU); the rest are off it. */
static void list_init(void *copy, int cpu)
{
	struct list *l = copy;

	for (int i = 0; i < NR_OBJS; i++)
		l->next[i] = -1;
	l->head = cpu % 4;
	for (int i = 0; i < 3; i++)
		l->next[(cpu + i) % 4] = (cpu + i + 1) % 4;
}

static unsigned long list_model(void *copy)
{
	struct list *l = copy;
	long obj = l->head;

	if (obj >= 0)
		l->head = l->next[obj];
	return (unsigned long)obj;
}

static void list_push_freed(void *copy)
{
	struct list *l = copy;

	l->next[FREED] = l->head;
	l->head = FREED;
}

static bool on_list(const struct list *l, long obj)
{
	for (long o = l->head, n = 0; o >= 0 && n <= NR_OBJS;
	     o = l->next[o], n++)
		if (o == obj)
			return true;
	return false;
}

static const char *list_check(const struct krseq_explore_run *r)
{
	static char why[128];
	const struct list *got = r->got.copies;
	const char *bytes = krseq_explore_check_bytes(r);
	long obj = (long)r->got.ret;

	if (!bytes)
		return NULL;
	/* Say what the run did to the objects, where it can tell. */
	if (obj >= 0 && on_list(&got[r->cpu_now], obj)) {
		snprintf(why, sizeof(why),
			 "object %ld taken and still on cpu%d's list", obj,
			 r->cpu_now);
		return why;
	}
	if (r->updates && obj != FREED) {
		bool kept = false;

		for (int cpu = 0; cpu < r->nr_cpus; cpu++)
			kept |= on_list(&got[cpu], FREED);
		if (!kept) {
			snprintf(why, sizeof(why),
				 "the handler's push of object %d was lost",
				 FREED);
			return why;
		}
	}
	return bytes;
}

int main(void)
{
	struct krseq_explore_target armed = {
		.name = "list_pop",
		.size = sizeof(struct list),
		.state = &lists,
		.op = list_pop,
		.init = list_init,
		.model = list_model,
		.adversary = list_push_freed,
		.check = list_check,
	};
	struct krseq_explore_target unarmed = armed;

	unarmed.name = "list_pop_unarmed";
	unarmed.op = list_pop_unarmed;
	return explore_twins(&armed, &unarmed);
}
