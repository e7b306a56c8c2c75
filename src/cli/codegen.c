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

static const char *const functions[] = { "foo", "add", "cmpxchg", "read" };
#define NR_FUNCTIONS 4

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

/* count.sh [--disasm] ARCH STRATEGY FUNC ops.c, on out and err. */
static int count_sh(bool disasm, int arch, int strategy, const char *func,
		    int out, int err)
{
	char script[4096], ops[4096], *argv[8];
	const char *dir = tools_dir();
	int n = 0;

	snprintf(script, sizeof(script), "%s/codegen/count.sh", dir);
	snprintf(ops, sizeof(ops), "%s/codegen/ops.c", dir);
	argv[n++] = "bash";
	argv[n++] = script;
	if (disasm)
		argv[n++] = "--disasm";
	argv[n++] = (char *)krseq_arch_names[arch];
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

int cli_codegen_count(int arch, int strategy, const char *func,
		      struct cli_codegen *out)
{
	char line[512] = "", why[512] = "", first[512] = "";
	FILE *f = tmpfile();
	int status;

	memset(out, 0, sizeof(*out));
	if (!f) {
		snprintf(out->error, sizeof(out->error),
			 "no temporary file for count.sh");
		return -1;
	}
	status = count_sh(false, arch, strategy, func, fileno(f), fileno(f));
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
	if (sscanf(line, "insns=%d bytes=%d calls=%127s frame=%d", &out->insns,
		   &out->bytes, out->calls, &out->frame) != 4) {
		snprintf(out->error, sizeof(out->error), "unreadable: %.200s",
			 line);
		return -1;
	}
	out->ok = true;
	return 0;
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: krseq codegen [--function LIST|all] [--strategy "
		"LIST|all] [--arch LIST|all]\n"
		"                     [--disasm] [--json]\n\n"
		"Compiles foo() (this_cpu_add_return), add(), cmpxchg() and "
		"read() under each\nstrategy with each arch's compiler and "
		"counts instructions, bytes, whether a\nstack frame is built, "
		"and the calls made.\n\n"
		"  --function LIST  comma-separated: foo (default), add, cmpxchg, "
		"read; or all\n"
		"  --strategy LIST  comma-separated strategies, or all (default)\n"
		"  --arch LIST      comma-separated: x86_64, aarch64, s390x; or "
		"all (default)\n"
		"  --disasm         the listings instead: ATOMIC (PREEMPT_NONE), "
		"PREEMPT\n"
		"                   (PREEMPT_LAZY's preempt count) and the "
		"proposals, RESTART\n"
		"                   and FIXUP, as in the seed's s390 comparison\n"
		"  --json           one JSON object on stdout\n");
}

static int disasm(int arch, const char *func)
{
	static const int shown[] = { KRSEQ_PCP_ATOMIC, KRSEQ_PCP_PREEMPT,
				     KRSEQ_PCP_RESTART, KRSEQ_PCP_FIXUP };
	int rc = 0;

	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		printf("== %s, %s, %s\n", krseq_arch_names[arch],
		       cli_strategy_name(shown[i]), func);
		if (count_sh(true, arch, shown[i], func, -1, -1))
			rc = 1;
	}
	return rc;
}

int cli_codegen(int argc, char **argv)
{
	static const struct cli_names function_names = { functions,
							 NR_FUNCTIONS, 0 };
	static const struct cli_names arch_names = { krseq_arch_names,
						     KRSEQ_NR_ARCHES, 0 };
	unsigned int fmask = 0, smask = 0, amask = 0;
	bool json = false, dis = false;
	struct json j;
	const struct cli_opt opts[] = {
		CLI_OPT_LIST("--function", &fmask, &function_names),
		CLI_OPT_LIST("--strategy", &smask, &cli_strategies),
		CLI_OPT_LIST("--arch", &amask, &arch_names),
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
	if (!smask)
		smask = ~0u;
	if (!amask)
		amask = ~0u;

	if (dis) {
		for (int a = 0; a < KRSEQ_NR_ARCHES; a++)
			for (int f = 0; f < NR_FUNCTIONS; f++)
				if ((amask & (1u << a)) && (fmask & (1u << f)))
					rc |= disasm(a, functions[f]);
		return rc;
	}
	json_init(&j, stdout);
	if (json) {
		json_open(&j, '{');
		json_key(&j, "results");
		json_open(&j, '[');
	} else {
		printf("%-8s %-14s %-8s %6s %6s %6s  %s\n", "function",
		       "strategy", "arch", "insns", "bytes", "frame", "calls");
	}
	for (int f = 0; f < NR_FUNCTIONS; f++) {
		if (!(fmask & (1u << f)))
			continue;
		for (int s = 1; s < krseq_scheme_count(); s++) {
			if (!(smask & (1u << s)))
				continue;
			for (int a = 0; a < KRSEQ_NR_ARCHES; a++) {
				struct cli_codegen r;
				bool na = !arch_ok(a, s);

				if (!(amask & (1u << a)))
					continue;
				if (na) {
					memset(&r, 0, sizeof(r));
					snprintf(r.error, sizeof(r.error), "%s",
						 krseq_scheme_get(s)->why);
				} else {
					cli_codegen_count(a, s, functions[f],
							  &r);
				}
				if (!r.ok && !na)
					rc = 1;
				if (json) {
					json_open(&j, '{');
					json_key(&j, "function");
					json_string(&j, functions[f]);
					json_key(&j, "strategy");
					json_string(&j, cli_strategy_name(s));
					json_key(&j, "arch");
					json_string(&j, krseq_arch_names[a]);
					if (r.ok) {
						json_key(&j, "insns");
						json_int(&j, r.insns);
						json_key(&j, "bytes");
						json_int(&j, r.bytes);
						json_key(&j, "frame");
						json_bool(&j, r.frame);
						json_key(&j, "calls");
						json_string(&j,
							    strcmp(r.calls,
								   "-") ?
								    r.calls :
								    "");
					} else {
						json_key(&j,
							 na ? "na" : "error");
						json_string(&j, r.error);
					}
					json_close(&j, '}');
				} else if (r.ok) {
					printf("%-8s %-14s %-8s %6d %6d %6s  "
					       "%s\n",
					       functions[f],
					       cli_strategy_name(s),
					       krseq_arch_names[a], r.insns,
					       r.bytes, r.frame ? "yes" : "no",
					       r.calls);
				} else {
					printf("%-8s %-14s %-8s  n/a: %s\n",
					       functions[f],
					       cli_strategy_name(s),
					       krseq_arch_names[a], r.error);
				}
			}
		}
	}
	if (json) {
		json_close(&j, ']');
		json_close(&j, '}');
	}
	return rc;
}
