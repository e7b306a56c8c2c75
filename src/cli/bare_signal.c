// SPDX-License-Identifier: MIT
/*
 * The cost every interrupt pays before krseq runs: a signal sent to the
 * thread itself and delivered to a handler that does nothing, on a
 * real-time signal nobody else handles (cli.h).
 */
#include "cli.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void empty_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
}

/* A real-time signal nobody handles; krseq's own have its handler. */
static int spare_signal(void)
{
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
		struct sigaction cur;

		if (sigaction(sig, NULL, &cur))
			continue;
		if (!(cur.sa_flags & SA_SIGINFO) && cur.sa_handler == SIG_DFL)
			return sig;
	}
	return 0;
}

int cli_bare_signal_open(struct cli_bare_signal *b)
{
	struct sigaction sa;

	b->sig = spare_signal();
	if (!b->sig)
		return -1;
	b->pid = getpid();
	b->tid = (pid_t)syscall(SYS_gettid);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = empty_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(b->sig, &sa, &b->old);
	return 0;
}

double cli_bare_signal_ns(const struct cli_bare_signal *b, unsigned long n)
{
	uint64_t t0 = cli_now_ns();

	for (unsigned long i = 0; i < n; i++)
		syscall(SYS_tgkill, b->pid, b->tid, b->sig);
	return (double)(cli_now_ns() - t0) / (double)n;
}

void cli_bare_signal_close(struct cli_bare_signal *b)
{
	sigaction(b->sig, &b->old, NULL);
}
