/* SPDX-License-Identifier: MIT */
/*
 * A futex mutex (Drepper's "Futexes are tricky", take 3). Unlike a
 * pthread mutex it is plain syscalls, so it may be taken in a signal
 * handler; callers block the runtime's signals so it never recurses.
 */
#ifndef KRSEQ_LOCK_H
#define KRSEQ_LOCK_H

#include <stdatomic.h>

struct lock {
	_Atomic int word; /* 0 free, 1 held, 2 held with waiters */
};

void krseq_futex_wait(_Atomic int *word, int val);
void krseq_futex_wake(_Atomic int *word, int n);

static inline void lock_take(struct lock *l)
{
	int c = 0;

	if (atomic_compare_exchange_strong(&l->word, &c, 1))
		return;
	if (c != 2)
		c = atomic_exchange(&l->word, 2);
	while (c != 0) {
		krseq_futex_wait(&l->word, 2);
		c = atomic_exchange(&l->word, 2);
	}
}

static inline void lock_drop(struct lock *l)
{
	if (atomic_exchange(&l->word, 0) == 2)
		krseq_futex_wake(&l->word, 1);
}

#endif /* KRSEQ_LOCK_H */
