// SPDX-License-Identifier: MIT
/*
 * krseq explore --mutants: each selected scheme's mutants explored, each
 * kill shown with its boundary, adversaries and states, the table, and
 * the mutation score; a survivor fails the command.
 */
#include "cli.h"
#include "json.h"

#include <krseq/explore.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_MUTANTS 256

struct mutants {
	struct krseq_mutant_result r[MAX_MUTANTS];
	int n;
	bool json;
};

/*
 * The adversaries of a kill, in the order they struck, as names: the one
 * place a violation's sequence is spelled (a depth-2 kill adds its
 * second).
 */
static int adversaries_of(const struct krseq_mutant_result *r,
			  const char **names, int max)
{
	int n = 0;

	if (r->killed && r->kill.insn_len && n < max)
		names[n++] = krseq_adversary_name(r->kill.adversary);
	if (r->killed && r->kill.insn_len && r->kill.depth == 2 && n < max)
		names[n++] = krseq_adversary_name(r->kill.adversary2);
	return n;
}

static size_t one_boundary(const char *function, unsigned long offset,
			   const unsigned char *insn, unsigned int insn_len,
			   char *buf, size_t len)
{
	size_t at =
		(size_t)snprintf(buf, len, "%s+%#lx (insn", function, offset);

	for (unsigned int i = 0; i < insn_len && i < 8 && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, " %02x", insn[i]);
	if (at < len)
		at += (size_t)snprintf(buf + at, len - at, ")");
	return at < len ? at : len;
}

/*
 * "function+offset (insn bytes)" of a kill; at depth 2 then the second
 * interrupt's, which an NMI in the entry path gives by its place alone.
 */
static void boundary_of(const struct krseq_explore_violation *v, char *buf,
			size_t len)
{
	size_t at = one_boundary(v->function, v->offset, v->insn, v->insn_len,
				 buf, len);

	if (v->depth != 2 || at >= len)
		return;
	at += (size_t)snprintf(buf + at, len - at, " then ");
	if (at >= len)
		return;
	if (v->pc2)
		one_boundary(v->function2, v->offset2, v->insn2, v->insn2_len,
			     buf + at, len - at);
	else
		snprintf(buf + at, len - at, "%s", v->function2);
}

static void keep(const struct krseq_mutant_result *r, void *arg)
{
	struct mutants *m = arg;
	const char *adv[2];
	char where[256];
	int n;

	if (m->n < MAX_MUTANTS)
		m->r[m->n++] = *r;
	if (m->json)
		return;
	if (!r->killed) {
		fprintf(stderr,
			"survived: %s (%s): %s; %lu runs at depth 1, depth 2 "
			"%s%s\n",
			r->mutant->name, r->scheme, r->mutant->bug, r->runs,
			r->depth_error[0] ? "not run: " : "explored",
			r->depth_error);
		return;
	}
	n = adversaries_of(r, adv, 2);
	boundary_of(&r->kill, where, sizeof(where));
	if (r->signal) {
		fprintf(stderr,
			"killed: %s (%s) at depth %d by %s%s%s: the task died "
			"of signal %d in the run at %s\n",
			r->mutant->name, r->scheme, r->depth, n ? adv[0] : "?",
			n > 1 ? "," : "", n > 1 ? adv[1] : "", r->signal,
			where);
		return;
	}
	fprintf(stderr,
		"killed: %s (%s) at depth %d by %s%s%s: %s at %s: %s; "
		"expected %#lx or %#lx, got %#lx\n",
		r->mutant->name, r->scheme, r->depth, adv[0], n > 1 ? "," : "",
		n > 1 ? adv[1] : "", r->kill.name, where, r->kill.what,
		(unsigned long)r->kill.expected[0],
		(unsigned long)r->kill.expected[1], (unsigned long)r->kill.got);
}

static void print_json(const struct mutants *m, int killed)
{
	struct json j;

	json_init(&j, stdout);
	json_open(&j, '{');
	json_key(&j, "arch");
	json_string(&j, CLI_ARCH);
	json_key(&j, "mutants");
	json_open(&j, '[');
	for (int i = 0; i < m->n; i++) {
		const struct krseq_mutant_result *r = &m->r[i];
		const char *adv[2];
		int n = adversaries_of(r, adv, 2);

		json_open(&j, '{');
		json_key(&j, "name");
		json_string(&j, r->mutant->name);
		json_key(&j, "scheme");
		json_string(&j, r->scheme);
		json_key(&j, "bug");
		json_string(&j, r->mutant->bug ? r->mutant->bug : "");
		json_key(&j, "killed");
		json_bool(&j, r->killed);
		json_key(&j, "depth");
		json_int(&j, r->depth);
		json_key(&j, "adversaries");
		json_open(&j, '[');
		for (int a = 0; a < n; a++)
			json_string(&j, adv[a]);
		json_close(&j, ']');
		json_key(&j, "function");
		json_string(&j, n ? r->kill.function : "");
		/* No boundary: a survivor, or the task died: null. */
		json_key(&j, "offset");
		json_double(&j, n ? (double)r->kill.offset : NAN, 0);
		/* depth 2: the second interrupt's, null in the entry path. */
		json_key(&j, "function2");
		json_string(&j, n > 1 ? r->kill.function2 : "");
		json_key(&j, "offset2");
		json_double(&j,
			    n > 1 && r->kill.pc2 ? (double)r->kill.offset2 :
						   NAN,
			    0);
		json_key(&j, "signal");
		json_int(&j, r->signal);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	json_key(&j, "killed");
	json_int(&j, killed);
	json_key(&j, "total");
	json_int(&j, m->n);
	json_key(&j, "score");
	json_double(&j, m->n ? (double)killed / m->n : NAN, 3);
	json_close(&j, '}');
}

static void print_table(const struct mutants *m, int killed)
{
	printf("%-17s %-14s %-8s %5s  %-10s %s\n", "mutant", "scheme",
	       "verdict", "depth", "adversary", "boundary");
	for (int i = 0; i < m->n; i++) {
		const struct krseq_mutant_result *r = &m->r[i];
		const char *adv[2];
		char where[256] = "-", seq[32] = "-";
		int n = adversaries_of(r, adv, 2);

		if (n)
			snprintf(seq, sizeof(seq), "%s%s%s", adv[0],
				 n > 1 ? "," : "", n > 1 ? adv[1] : "");
		if (r->killed) {
			size_t at;

			boundary_of(&r->kill, where, sizeof(where));
			at = strlen(where);
			if (r->signal && at < sizeof(where))
				snprintf(where + at, sizeof(where) - at,
					 ": the task died (signal %d)",
					 r->signal);
		}
		printf("%-17s %-14s %-8s %5d  %-10s %s\n", r->mutant->name,
		       r->scheme, r->killed ? "killed" : "SURVIVED", r->depth,
		       seq, where);
	}
	printf("mutation score: %d/%d killed\n", killed, m->n);
}

int cli_explore_mutants(uint64_t schemes, unsigned int adversaries, bool json)
{
	static struct mutants m;
	struct krseq_explore_opts o = { .schemes = schemes,
					.adversaries = adversaries };
	int survivors, killed;

	m.n = 0;
	m.json = json;
	survivors = krseq_explore_mutants(&o, keep, &m);
	if (survivors < 0) {
		fprintf(stderr, "krseq explore: %s\n", krseq_last_error());
		return 1;
	}
	if (m.n == MAX_MUTANTS) {
		fprintf(stderr, "krseq explore: more than %d mutants\n",
			MAX_MUTANTS);
		return 1;
	}
	killed = m.n - survivors;
	if (json)
		print_json(&m, killed);
	else
		print_table(&m, killed);
	return survivors ? 1 : 0;
}
