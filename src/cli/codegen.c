// SPDX-License-Identifier: MIT
/*
 * krseq codegen: what each strategy costs in code, per arch, from the
 * disassembly of tools/codegen/ops.c compiled by each arch's compiler
 * (tools/codegen/count.sh does the compiling and counting).
 */
#include "cli.h"

#include <krseq/percpu.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The functions of tools/codegen/ops.c. */
static const char *const functions[] = { "foo", "add", "cmpxchg", "read",
					 "add_tail" };
#define NR_FUNCTIONS ((int)(sizeof(functions) / sizeof(functions[0])))

static const char *const abi_names[CLI_NR_ABIS] = { "user", "kernel" };
const struct cli_names cli_abis = { abi_names, CLI_NR_ABIS, 0 };

const struct cli_codegen_target cli_codegen_targets[CLI_NR_CODEGEN_TARGETS] = {
	{ "x86_64", KRSEQ_ARCH_X86_64 },
	{ "aarch64-lse", KRSEQ_ARCH_AARCH64 },
	{ "aarch64-llsc", KRSEQ_ARCH_AARCH64 },
	{ "s390x", KRSEQ_ARCH_S390X },
};

/* $KRSEQ_TOOLS_DIR, else the build tree's tools, else the installed ones. */
static const char *tools_dir(void)
{
	const char *env = getenv("KRSEQ_TOOLS_DIR");

	if (env)
		return env;
	if (access(KRSEQ_SOURCE_TOOLS "/codegen/count.sh", R_OK) == 0)
		return KRSEQ_SOURCE_TOOLS;
	setenv("KRSEQ_INCLUDES", KRSEQ_INSTALLED_INCLUDES, 0);
	return KRSEQ_INSTALLED_TOOLS;
}

int cli_codegen_check(const char *cmd)
{
	const char *env = getenv("KRSEQ_TOOLS_DIR");
	char path[4096];

	if (!env)
		return -1;
	if (!*env) {
		fprintf(stderr, "krseq %s: KRSEQ_TOOLS_DIR is set but empty\n",
			cmd);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/codegen/count.sh", env);
	if (access(path, R_OK)) {
		fprintf(stderr,
			"krseq %s: KRSEQ_TOOLS_DIR: no codegen/count.sh in "
			"'%s'\n",
			cmd, env);
		return 2;
	}
	return -1;
}

/* count.sh [--disasm] --abi ABI TARGET STRATEGY FUNC ops.c, on out and err. */
static int count_sh(bool disasm, const char *target, enum cli_abi abi,
		    int strategy, const char *func, int out, int err)
{
	char script[4096], ops[4096], *argv[10];
	const char *dir = tools_dir();
	int n = 0;

	snprintf(script, sizeof(script), "%s/codegen/count.sh", dir);
	snprintf(ops, sizeof(ops), "%s/codegen/ops.c", dir);
	argv[n++] = "bash";
	argv[n++] = script;
	if (disasm)
		argv[n++] = "--disasm";
	argv[n++] = "--abi";
	argv[n++] = (char *)abi_names[abi];
	argv[n++] = (char *)target;
	argv[n++] = (char *)cli_strategy_name(strategy);
	argv[n++] = (char *)func;
	argv[n++] = ops;
	argv[n] = NULL;
	return cli_run(argv, -1, out, err);
}

/* The functions are 8-byte ops: has the scheme that cell on arch. */
static bool arch_ok(int arch, int strategy)
{
	return krseq_scheme_has(strategy, (enum krseq_arch)arch, 8);
}

int cli_codegen_count(const char *target, enum cli_abi abi, int strategy,
		      const char *func, struct cli_codegen *out)
{
	char line[1024] = "", why[512] = "", first[512] = "";
	FILE *f = tmpfile();
	const char *mn;
	int status;

	memset(out, 0, sizeof(*out));
	if (!f) {
		snprintf(out->error, sizeof(out->error),
			 "no temporary file for count.sh");
		return -1;
	}
	status = count_sh(false, target, abi, strategy, func, fileno(f),
			  fileno(f));
	/*
	 * The reason is count.sh's own "count.sh: ..." line; the compiler's
	 * or the shell's lines around it are not, and only stand in when
	 * count.sh died without one.
	 */
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "insns=", 6))
			break;
		if (!strncmp(line, "count.sh: ", 10))
			snprintf(why, sizeof(why), "%s", line);
		else if (!first[0])
			snprintf(first, sizeof(first), "%s", line);
	}
	fclose(f);
	if (status < 0)
		snprintf(why, sizeof(why), "cannot run bash");
	else if (!why[0] && (status != 0 || strncmp(line, "insns=", 6)))
		snprintf(why, sizeof(why),
			 "count.sh failed (exit status %d): %.200s", status,
			 first[0] ? first : "no message");
	if (why[0]) {
		snprintf(out->error, sizeof(out->error), "%.250s", why);
		return -1;
	}
	/* The mnemonics are last, and may hold spaces ("lock xadd"). */
	mn = strstr(line, " mnemonics=");
	if (sscanf(line, "insns=%d bytes=%d calls=%127s frame=%d", &out->insns,
		   &out->bytes, out->calls, &out->frame) != 4 ||
	    !mn) {
		snprintf(out->error, sizeof(out->error), "unreadable: %.200s",
			 line);
		return -1;
	}
	mn += strlen(" mnemonics=");
	if (strlen(mn) >= sizeof(out->mnemonics)) {
		snprintf(out->error, sizeof(out->error),
			 "%d instructions: their mnemonics do not fit in %zu "
			 "bytes",
			 out->insns, sizeof(out->mnemonics));
		return -1;
	}
	snprintf(out->mnemonics, sizeof(out->mnemonics), "%s", mn);
	out->ok = true;
	return 0;
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: krseq codegen [--function LIST|all] [--strategy "
		"LIST|all] [--arch LIST|all]\n"
		"                     [--abi user|kernel] [--disasm] "
		"[--json]\n\n"
		"Compiles foo() (this_cpu_add_return), add(), cmpxchg() and "
		"read() under each\nstrategy with each arch's compiler and "
		"counts instructions, bytes, whether a\nstack frame is built, "
		"and the calls made. aarch64 is two rows, aarch64-lse and\n"
		"aarch64-llsc: each alternative compiled alone, as the kernel "
		"patches one in place.\n\n"
		"  --function LIST  comma-separated: foo (default), add, cmpxchg, "
		"read; or all\n"
		"  --strategy LIST  comma-separated strategies, or all (default)\n"
		"  --arch LIST      comma-separated: x86_64, aarch64, s390x; or "
		"all (default)\n"
		"  --abi ABI        user (default): the library's build, the "
		"thread area in TLS;\n"
		"                   kernel: the kernel's addressing and flags, "
		"compile-only (s390x:\n"
		"                   the lowcore at 0; x86_64: %%gs; aarch64: "
		"tpidr_el1 and sp_el0)\n"
		"  --disasm         the listings side by side instead: ATOMIC "
		"(PREEMPT_NONE),\n"
		"                   PREEMPT (PREEMPT_LAZY's preempt count) and "
		"the proposals\n"
		"                   (the registry's restarting and fixing-up "
		"schemes), as in the\n"
		"                   seed's s390 comparison; --strategy picks "
		"others\n"
		"  --json           one JSON object on stdout, with each "
		"function's mnemonics\n");
}

/*
 * The seed's comparison: ATOMIC and PREEMPT, and every scheme of the
 * registry that restarts or fixes up a window (the proposals; a scheme
 * added to the registry with those flags joins the listing).
 */
static unsigned int disasm_default(void)
{
	unsigned int m = 1u << KRSEQ_PCP_ATOMIC | 1u << KRSEQ_PCP_PREEMPT;

	for (int s = 1; s < krseq_scheme_count(); s++)
		if (krseq_scheme_get(s)->flags &
		    (KRSEQ_SCHEME_RESTARTS | KRSEQ_SCHEME_FIXES_UP))
			m |= 1u << s;
	return m;
}

#define DISASM_COLS 3
#define DISASM_WIDTH 42
#define DISASM_LINES 96

struct listing {
	char title[DISASM_WIDTH];
	char line[DISASM_LINES][DISASM_WIDTH];
	int n;
	bool more;
};

/* Tabs and runs of spaces to one space, none at the end. */
static void squeeze(char *s)
{
	char *o = s;

	for (const char *p = s; *p; p++) {
		char c = *p == '\t' ? ' ' : *p;

		if (c != ' ' || (o > s && o[-1] != ' '))
			*o++ = c;
	}
	while (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

/*
 * One listing from count.sh --disasm: the function's first insns
 * instructions (past them is alignment padding), each without its address,
 * with a call's or an address's relocation symbol in place of the
 * disassembler's "<func+off>".
 */
static int listing_read(const char *target, enum cli_abi abi, int strategy,
			const char *func, struct listing *l)
{
	struct cli_codegen c;
	char buf[512];
	FILE *f;
	int rc;

	memset(l, 0, sizeof(*l));
	if (cli_codegen_count(target, abi, strategy, func, &c)) {
		snprintf(l->title, sizeof(l->title), "%s: n/a",
			 cli_strategy_name(strategy));
		snprintf(l->line[0], sizeof(l->line[0]), "%.*s",
			 DISASM_WIDTH - 1, c.error);
		l->n = 1;
		return 1;
	}
	snprintf(l->title, sizeof(l->title), "%s: %d insns, %d bytes",
		 cli_strategy_name(strategy), c.insns, c.bytes);
	f = tmpfile();
	if (!f)
		return 1;
	rc = count_sh(true, target, abi, strategy, func, fileno(f), -1);
	rewind(f);
	while (fgets(buf, sizeof(buf), f)) {
		char *t = strchr(buf, '\t'), *lt;
		bool reloc;

		buf[strcspn(buf, "\n")] = '\0';
		if (!t)
			continue;
		reloc = t == buf && strstr(buf, ": R_");
		if (t == buf && !reloc)
			continue;
		if (reloc) {
			/* "\t\t\tOFF: R_TYPE\tsym+add": name the symbol. */
			char *sym = strrchr(buf, '\t');
			char *line = l->line[l->n - 1];
			size_t len = strlen(line);

			if (!l->n || l->n > c.insns || !sym)
				continue;
			snprintf(line + len, sizeof(l->line[0]) - len, " %s",
				 sym + 1);
			continue;
		}
		if (l->n >= c.insns)
			continue;
		if (l->n == DISASM_LINES) {
			l->more = true;
			continue;
		}
		/* The disassembler's comments and column padding go. */
		lt = strstr(t, " <");
		if (lt)
			*lt = '\0';
		lt = strstr(t, " # ");
		if (lt)
			*lt = '\0';
		lt = strstr(t, " // ");
		if (lt)
			*lt = '\0';
		squeeze(t);
		snprintf(l->line[l->n++], sizeof(l->line[0]), "%.*s",
			 DISASM_WIDTH - 1, t[0] == ' ' ? t + 1 : t);
	}
	fclose(f);
	return rc != 0;
}

/* One row of columns, without the last column's padding. */
static void columns_print(const char *const *cell, int n)
{
	char row[DISASM_COLS * DISASM_WIDTH + 1];
	size_t len = 0;

	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(row + len, sizeof(row) - len, "%-*s",
					DISASM_WIDTH, cell[i]);
	while (len && row[len - 1] == ' ')
		row[--len] = '\0';
	printf("%s\n", row);
}

static void listings_print(const struct listing *l, int n)
{
	const char *cell[DISASM_COLS] = { 0 };
	int rows = 0;

	for (int i = 0; i < n; i++) {
		cell[i] = l[i].title;
		rows = l[i].n > rows ? l[i].n : rows;
	}
	columns_print(cell, n);
	for (int r = 0; r < rows; r++) {
		for (int i = 0; i < n; i++)
			cell[i] = r < l[i].n ? l[i].line[r] : "";
		columns_print(cell, n);
	}
	for (int i = 0; i < n; i++)
		cell[i] = l[i].more ? "(longer: not all shown)" : "";
	for (int i = 0; i < n; i++)
		if (l[i].more) {
			columns_print(cell, n);
			break;
		}
}

/* The listings of func on target, DISASM_COLS side by side. */
static int disasm(const struct cli_codegen_target *t, enum cli_abi abi,
		  unsigned int smask, const char *func)
{
	struct listing l[DISASM_COLS];
	int n = 0, rc = 0;

	printf("== %s, %s ABI, %s()\n", t->name, abi_names[abi], func);
	for (int s = 1; s < krseq_scheme_count(); s++) {
		if (!(smask & (1u << s)) || !krseq_scheme_has(s, t->arch, 8))
			continue;
		rc |= listing_read(t->name, abi, s, func, &l[n++]);
		if (n == DISASM_COLS) {
			listings_print(l, n);
			n = 0;
		}
	}
	if (n)
		listings_print(l, n);
	return rc;
}

static void json_mnemonics(struct json *j, const char *list)
{
	char m[64];

	json_key(j, "mnemonics");
	json_open(j, '[');
	while (*list) {
		size_t len = strcspn(list, ",");

		snprintf(m, sizeof(m), "%.*s", (int)len, list);
		json_string(j, m);
		list += len + (list[len] == ',');
	}
	json_close(j, ']');
}

static void row(struct json *j, bool json, const char *func, int s,
		const char *target, enum cli_abi abi,
		const struct cli_codegen *r, bool na)
{
	if (json) {
		json_open(j, '{');
		json_key(j, "function");
		json_string(j, func);
		json_key(j, "strategy");
		json_string(j, cli_strategy_name(s));
		json_key(j, "arch");
		json_string(j, target);
		json_key(j, "abi");
		json_string(j, abi_names[abi]);
		if (r->ok) {
			json_key(j, "insns");
			json_int(j, r->insns);
			json_key(j, "bytes");
			json_int(j, r->bytes);
			json_key(j, "frame");
			json_bool(j, r->frame);
			json_key(j, "calls");
			json_string(j, strcmp(r->calls, "-") ? r->calls : "");
			json_mnemonics(j, r->mnemonics);
		} else {
			json_key(j, na ? "na" : "error");
			json_string(j, r->error);
		}
		json_close(j, '}');
	} else if (r->ok) {
		printf("%-8s %-14s %-12s %6d %6d %6s  %s\n", func,
		       cli_strategy_name(s), target, r->insns, r->bytes,
		       r->frame ? "yes" : "no", r->calls);
	} else {
		printf("%-8s %-14s %-12s  n/a: %s\n", func,
		       cli_strategy_name(s), target, r->error);
	}
}

int cli_codegen(int argc, char **argv)
{
	static const struct cli_names function_names = { functions,
							 NR_FUNCTIONS, 0 };
	static const struct cli_names arch_names = { krseq_arch_names,
						     KRSEQ_NR_ARCHES, 0 };
	unsigned int fmask = 0, smask = 0, amask = 0;
	bool json = false, dis = false;
	int abi = CLI_ABI_USER;
	struct json j;
	const struct cli_opt opts[] = {
		CLI_OPT_LIST("--function", &fmask, &function_names),
		CLI_OPT_LIST("--strategy", &smask, &cli_strategies),
		CLI_OPT_LIST("--arch", &amask, &arch_names),
		CLI_OPT_CHOICE("--abi", &abi, &cli_abis),
		CLI_OPT_FLAG("--disasm", &dis),
		CLI_OPT_FLAG("--json", &json),
		CLI_OPT_END,
	};
	int rc = cli_parse("codegen", argc, argv, opts, help);

	if (rc >= 0)
		return rc;
	rc = cli_codegen_check("codegen");
	if (rc >= 0)
		return rc;
	rc = 0;
	if (!fmask)
		fmask = 1; /* foo */
	if (!amask)
		amask = ~0u;

	if (dis) {
		if (!smask)
			smask = disasm_default();
		for (int t = 0; t < CLI_NR_CODEGEN_TARGETS; t++)
			for (int f = 0; f < NR_FUNCTIONS; f++)
				if ((amask &
				     (1u << cli_codegen_targets[t].arch)) &&
				    (fmask & (1u << f)))
					rc |= disasm(&cli_codegen_targets[t],
						     (enum cli_abi)abi, smask,
						     functions[f]);
		return rc;
	}
	if (!smask)
		smask = ~0u;
	json_init(&j, stdout);
	if (json) {
		json_open(&j, '{');
		json_key(&j, "abi");
		json_string(&j, abi_names[abi]);
		json_key(&j, "results");
		json_open(&j, '[');
	} else {
		printf("%s ABI\n%-8s %-14s %-12s %6s %6s %6s  %s\n",
		       abi_names[abi], "function", "strategy", "arch", "insns",
		       "bytes", "frame", "calls");
	}
	for (int f = 0; f < NR_FUNCTIONS; f++) {
		if (!(fmask & (1u << f)))
			continue;
		for (int s = 1; s < krseq_scheme_count(); s++) {
			if (!(smask & (1u << s)))
				continue;
			for (int t = 0; t < CLI_NR_CODEGEN_TARGETS; t++) {
				const struct cli_codegen_target *tg =
					&cli_codegen_targets[t];
				struct cli_codegen r;
				bool na = !arch_ok(tg->arch, s);

				if (!(amask & (1u << tg->arch)))
					continue;
				if (na) {
					memset(&r, 0, sizeof(r));
					snprintf(r.error, sizeof(r.error), "%s",
						 krseq_scheme_get(s)->why);
				} else {
					cli_codegen_count(tg->name,
							  (enum cli_abi)abi, s,
							  functions[f], &r);
				}
				if (!r.ok && !na)
					rc = 1;
				row(&j, json, functions[f], s, tg->name,
				    (enum cli_abi)abi, &r, na);
			}
		}
	}
	if (json) {
		json_close(&j, ']');
		json_close(&j, '}');
	}
	return rc;
}
