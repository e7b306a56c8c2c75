// SPDX-License-Identifier: MIT
/*
 * Threads the program makes with pthread_create() are not tasks. On x86_64
 * a new thread inherits its creator's GS base, which is the offset of the
 * creator's CPU when a task creates it: left so, its per-CPU ops would
 * write that CPU's copy. Every thread therefore starts with the offset of
 * a thread that is not a task, and becomes a task only through
 * krseq_task_create(). (The thread area needs no help: a new thread's
 * copy starts from its initialiser, which is the non-task one.)
 *
 * Interposed on the dynamic symbol, so it covers threads the program and
 * its libraries create, with libkrseq.so or libkrseq.a; not threads that
 * the C library creates internally, nor a fully static program.
 */
#include "internal.h"
#include "arch/arch.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *),
			 void *);

struct start {
	void *(*fn)(void *);
	void *arg;
};

static void *nontask_start(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	krseq_arch_set_cpu_offset(KRSEQ_NONTASK_OFFSET);
	return s.fn(s.arg);
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	static create_fn _Atomic real;
	create_fn create = atomic_load(&real);
	struct start *s;
	int err;

	if (!create) {
		create = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
		if (!create)
			return EAGAIN;
		atomic_store(&real, create);
	}
	s = malloc(sizeof(*s));
	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
	err = create(thread, attr, nontask_start, s);
	if (err)
		free(s);
	return err;
}
