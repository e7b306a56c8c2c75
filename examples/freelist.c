// SPDX-License-Identifier: MIT
/*
 * A per-CPU freelist in the way SLUB keeps one: the head and a transaction
 * id change together with one this_cpu_try_cmpxchg128(), so a pop that
 * was interrupted (or migrated) between reading the head and committing
 * fails and retries instead of corrupting the list (the tid defeats ABA).
 * Tasks pop and push objects while the tick preempts and migrates them;
 * at the end every object is on exactly one list.
 */
#include <krseq/linux.h>

#include <stdio.h>
#include <stdlib.h>

#define NR_OBJECTS 4096
#define NR_TASKS 8
#define ROUNDS 200000

struct object {
	struct object *next;
	int held;
};

union freelist {
	struct {
		struct object *head;
		unsigned long tid;
	};
	unsigned __int128 full;
};

static DEFINE_PER_CPU(union freelist, cpu_freelist)
	__attribute__((aligned(16)));
static struct object objects[NR_OBJECTS];

static struct object *pop(void)
{
	union freelist old, new;

	old.full = this_cpu_cmpxchg128(cpu_freelist.full, 0, 0); /* a read */
	do {
		if (!old.head)
			return NULL;
		new.head = old.head->next;
		new.tid = old.tid + 1;
	} while (!this_cpu_try_cmpxchg128(cpu_freelist.full, &old.full,
					  new.full));
	return old.head;
}

static void push(struct object *o)
{
	union freelist old, new;

	old.full = this_cpu_cmpxchg128(cpu_freelist.full, 0, 0); /* a read */
	do {
		o->next = old.head;
		new.head = o;
		new.tid = old.tid + 1;
	} while (!this_cpu_try_cmpxchg128(cpu_freelist.full, &old.full,
					  new.full));
}

static int errors;

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		struct object *o = pop();

		if (!o)
			continue;
		if (__atomic_add_fetch(&o->held, 1, __ATOMIC_RELAXED) != 1)
			__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&o->held, 1, __ATOMIC_RELAXED);
		push(o);
	}
	return NULL;
}

int main(void)
{
	struct krseq_config cfg = KRSEQ_CONFIG_DEFAULT;
	struct krseq_task *t[NR_TASKS];
	static unsigned char seen[NR_OBJECTS];
	int cpu, total = 0;

	cfg.tick_us = 100;
	cfg.migrate = KRSEQ_MIGRATE_ALWAYS;
	if (krseq_init(&cfg)) {
		fprintf(stderr, "%s\n", krseq_last_error());
		return 1;
	}
	for (int i = 0; i < NR_OBJECTS; i++) {
		union freelist *fl = per_cpu_ptr(&cpu_freelist, i % nr_cpu_ids);

		objects[i].next = fl->head;
		fl->head = &objects[i];
	}
	for (int i = 0; i < NR_TASKS; i++)
		t[i] = krseq_task_create(worker, NULL);
	for (int i = 0; i < NR_TASKS; i++)
		krseq_task_join(t[i]);
	for_each_possible_cpu(cpu)
	{
		int n = 0;

		for (struct object *o = per_cpu(cpu_freelist, cpu).head; o;
		     o = o->next, n++) {
			if (seen[o - objects]++)
				errors++;
		}
		printf("cpu%d: %d objects\n", cpu, n);
		total += n;
	}
	printf("%d of %d objects on the lists, %d errors: %s\n", total,
	       NR_OBJECTS, errors,
	       total == NR_OBJECTS && !errors ? "ok" : "CORRUPTED");
	krseq_exit();
	return total == NR_OBJECTS && !errors ? 0 : 1;
}
