// SPDX-License-Identifier: MIT
/*
 * Mutants that must die: each scheme's broken kernel sides (struct
 * krseq_scheme's mutants), registered as variants of the scheme and
 * explored like any scheme. A verdict of "no violation" is only worth
 * what the same explorer does to these.
 *
 * A mutant may wreck the task as well as its counter (a restart into a
 * function whose frame is gone), so each is explored in a child process,
 * which sends its verdict up a pipe and stops at the first violation.
 */
#include "explore_internal.h"

#include <krseq/explore.h>

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's verdict, sent once; or the depth it starts, sent first. */
struct msg {
	int depth; /* starting it; 0: r is the verdict */
	struct krseq_mutant_result r;
};

static int pipe_w;

static void send(const struct msg *m)
{
	const char *p = (const char *)m;
	size_t left = sizeof(*m);

	while (left) {
		ssize_t n = write(pipe_w, p, left);

		if (n <= 0 && errno != EINTR)
			_exit(3);
		if (n > 0) {
			p += n;
			left -= (size_t)n;
		}
	}
}

static struct msg verdict;

/* The first violation is the kill: sent, and the child is done. */
static void kill_here(const struct krseq_explore_violation *v, void *arg)
{
	(void)arg;
	verdict.r.killed = true;
	verdict.r.kill = *v;
	snprintf(verdict.r.kill_case, sizeof(verdict.r.kill_case), "%s",
		 v->name);
	send(&verdict);
	_exit(0);
}

static int explore_at(unsigned int adv, int depth)
{
	struct krseq_explore_opts o = {
		.schemes = 1ull << verdict.r.id,
		.adversaries = adv,
		.depth = depth,
		.placement = verdict.r.mutant->placement,
	};
	struct krseq_explore_totals t;
	struct msg start = { .depth = depth };
	int err;

	send(&start);
	verdict.r.depth = depth;
	memset(&t, 0, sizeof(t));
	err = krseq_explore(&o, &t, kill_here, NULL, NULL);
	if (depth == 1)
		verdict.r.runs = t.runs;
	return err;
}

static __attribute__((noreturn)) void child(unsigned int adv)
{
	static const int deadly[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE,
				      SIGABRT };
	int err;

	/* The task's crash is the verdict: no handler of the caller's (a
	 * test framework's) may turn it into a return. */
	for (size_t i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
		signal(deadly[i], SIG_DFL);
	err = explore_at(adv, 1);

	if (err) {
		snprintf(verdict.r.depth_error, sizeof(verdict.r.depth_error),
			 "%s", krseq_last_error());
		verdict.r.depth = 0;
		send(&verdict);
		_exit(2);
	}
	/* A survivor of depth 1 is explored at depth 2. */
	if (explore_at(adv, 2)) {
		verdict.r.depth = 1;
		snprintf(verdict.r.depth_error, sizeof(verdict.r.depth_error),
			 "%s", krseq_last_error());
	}
	send(&verdict);
	_exit(0);
}

static struct krseq_explore_inflight *inflight;

/* Explore r's mutant in a child; r is what it found. */
static int explore_mutant(struct krseq_mutant_result *r, unsigned int adv)
{
	struct msg m;
	int fd[2], status, depth = 0;
	bool done = false;
	pid_t pid;

	/* Where the child's run is, which its crash leaves readable. */
	if (!inflight) {
		inflight = mmap(NULL, krseq_explore_inflight_size(),
				PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (inflight == MAP_FAILED) {
			inflight = NULL;
			return krseq_fail(errno, "krseq explore: mmap: %s",
					  strerror(errno));
		}
	}
	memset(inflight, 0, krseq_explore_inflight_size());
	if (pipe(fd))
		return krseq_fail(errno, "krseq explore: pipe: %s",
				  strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return krseq_fail(errno, "krseq explore: fork: %s",
				  strerror(errno));
	}
	if (!pid) {
		close(fd[0]);
		pipe_w = fd[1];
		krseq_explore_inflight = inflight;
		verdict.r = *r;
		child(adv);
	}
	close(fd[1]);
	for (;;) {
		size_t got = 0;

		while (got < sizeof(m)) {
			ssize_t n =
				read(fd[0], (char *)&m + got, sizeof(m) - got);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got < sizeof(m))
			break;
		if (m.depth) {
			depth = m.depth;
			continue;
		}
		*r = m.r;
		r->kill.name = r->kill_case;
		done = true;
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return krseq_fail(errno, "krseq explore: waitpid: %s",
					  strerror(errno));
	if (!done && WIFSIGNALED(status)) {
		r->killed = true;
		r->signal = WTERMSIG(status);
		/* The run it died in: the boundary and the adversaries. */
		memset(&r->kill, 0, sizeof(r->kill));
		krseq_explore_inflight_describe(inflight, &r->kill);
		r->depth = depth;
		snprintf(r->kill_case, sizeof(r->kill_case), "%.*s",
			 (int)sizeof(r->kill_case) - 1, r->kill.function);
		r->kill.name = r->kill_case;
		r->kill.what = "the task died";
		return 0;
	}
	if (!done || (!r->depth && r->depth_error[0]))
		return krseq_fail(EIO, "krseq explore: mutant %s of %s: %s",
				  r->mutant->name, r->scheme,
				  done ? r->depth_error :
					 "the child exited without a verdict");
	return 0;
}

/* The mutant m of scheme s as a variant: its id, registered once. */
static int mutant_id(const struct krseq_scheme *s, const struct krseq_scheme *m)
{
	/* The registry keeps the name's pointer. */
	static char names[KRSEQ_MAX_SCHEMES][32];
	struct krseq_scheme v = *m;
	char *name = names[krseq_scheme_count() % KRSEQ_MAX_SCHEMES];
	int id;

	snprintf(name, sizeof(names[0]), "%s_%s", s->name,
		 m->name ? m->name : "");
	id = krseq_scheme_find(name);
	if (id > 0) {
		if (krseq_scheme_get(id)->base == s->base &&
		    (!m->kernel || krseq_scheme_get(id)->kernel == m->kernel))
			return id;
		return krseq_fail(EEXIST,
				  "krseq explore: mutant %s: the name is "
				  "taken by another scheme",
				  name);
	}
	v.name = name;
	v.variant_of = s->name;
	v.mutants = NULL;
	/* The explorer holds a variant to its scheme's promises. */
	if (!v.flags)
		v.flags = s->flags;
	return krseq_scheme_register(&v);
}

int krseq_explore_mutants(const struct krseq_explore_opts *o,
			  void (*report)(const struct krseq_mutant_result *r,
					 void *arg),
			  void *arg)
{
	uint64_t mask = o->schemes;
	unsigned int adv = o->adversaries ? o->adversaries : KRSEQ_ADV_ALL;
	int survivors = 0, nr = krseq_scheme_count();

	if (!mask)
		mask = ((1ull << KRSEQ_NR_SCHEMES) - 1) & ~1ull;
	if (mask & 1)
		return krseq_fail(EINVAL, "krseq explore: no scheme 0");
	for (int s = nr; s < 64; s++)
		if (mask & (1ull << s))
			return krseq_fail(EINVAL, "krseq explore: no scheme %d",
					  s);
	if (krseq_m.up)
		return krseq_fail(EBUSY, "krseq explore: mutants are "
					 "registered before krseq_init()");
	for (int s = 1; s < nr; s++) {
		const struct krseq_scheme *sc = krseq_scheme_get(s);

		if (!(mask & (1ull << s)) || !sc->mutants)
			continue;
		for (int i = 0; sc->mutants[i]; i++) {
			struct krseq_mutant_result r = {
				.mutant = sc->mutants[i],
				.scheme = sc->name,
			};
			int err;

			r.id = mutant_id(sc, r.mutant);
			if (r.id < 0)
				return r.id;
			err = explore_mutant(&r, adv);
			if (err)
				return err;
			survivors += !r.killed;
			if (report)
				report(&r, arg);
		}
	}
	return survivors;
}
