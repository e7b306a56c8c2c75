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

const char *const cli_arches[3] = { "x86_64", "aarch64", "s390x" };
static const char *const functions[] = { "foo", "add", "cmpxchg", "read" };
#define NR_FUNCTIONS 4

/* The build tree's tools, else the installed ones, else $KRSEQ_TOOLS_DIR. */
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

static bool arch_ok(int arch, int strategy)
{
	return strategy != KRSEQ_PCP_SEGMENT || arch == 0;
}

int cli_codegen_count(int arch, int strategy, const char *func,
		      struct cli_codegen *out)
{
	char cmd[1024], line[512];
	const char *dir = tools_dir();
	FILE *p;
	int status;

	memset(out, 0, sizeof(*out));
	snprintf(cmd, sizeof(cmd),
		 "bash '%s/codegen/count.sh' %s %s %s "
		 "'%s/codegen/ops.c' 2>&1",
		 dir, cli_arches[arch], cli_strategy_name(strategy), func, dir);
	p = popen(cmd, "r");
	if (!p) {
		snprintf(out->error, sizeof(out->error), "cannot run bash");
		return -1;
	}
	line[0] = '\0';
	while (fgets(line, sizeof(line), p))
		if (!strncmp(line, "insns=", 6))
			break;
	status = pclose(p);
	if (status != 0 || strncmp(line, "insns=", 6)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(out->error, sizeof(out->error), "%.250s", line);
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
	const char *dir = tools_dir();
	char cmd[1024];
	int rc = 0;

	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		printf("== %s, %s, %s\n", cli_arches[arch],
		       cli_strategy_name(shown[i]), func);
		fflush(stdout);
		snprintf(cmd, sizeof(cmd),
			 "bash '%s/codegen/count.sh' --disasm %s %s %s "
			 "'%s/codegen/ops.c'",
			 dir, cli_arches[arch], cli_strategy_name(shown[i]),
			 func, dir);
		if (system(cmd))
			rc = 1;
	}
	return rc;
}

int cli_codegen(int argc, char **argv)
{
	static const struct cli_names function_names = { functions,
							 NR_FUNCTIONS, 0 };
	static const struct cli_names arch_names = { cli_arches, 3, 0 };
	unsigned int fmask = 0, smask = 0, amask = 0;
	bool json = false, dis = false, first = true;
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
	rc = 0;
	if (!fmask)
		fmask = 1; /* foo */
	if (!smask)
		smask = ~0u;
	if (!amask)
		amask = ~0u;

	if (dis) {
		for (int a = 0; a < 3; a++)
			for (int f = 0; f < NR_FUNCTIONS; f++)
				if ((amask & (1u << a)) && (fmask & (1u << f)))
					rc |= disasm(a, functions[f]);
		return rc;
	}
	if (json)
		printf("{\"results\": [");
	else
		printf("%-8s %-14s %-8s %6s %6s %6s  %s\n", "function",
		       "strategy", "arch", "insns", "bytes", "frame", "calls");
	for (int f = 0; f < NR_FUNCTIONS; f++) {
		if (!(fmask & (1u << f)))
			continue;
		for (int s = KRSEQ_PCP_SEGMENT; s <= KRSEQ_PCP_UNSAFE; s++) {
			if (!(smask & (1u << s)))
				continue;
			for (int a = 0; a < 3; a++) {
				struct cli_codegen r;

				if (!(amask & (1u << a)) || !arch_ok(a, s))
					continue;
				cli_codegen_count(a, s, functions[f], &r);
				if (!r.ok)
					rc = 1;
				if (json) {
					printf("%s{\"function\": \"%s\", "
					       "\"strategy\": \"%s\", \"arch\": "
					       "\"%s\", ",
					       first ? "" : ", ", functions[f],
					       cli_strategy_name(s),
					       cli_arches[a]);
					if (r.ok)
						printf("\"insns\": %d, \"bytes\": "
						       "%d, \"frame\": %s, "
						       "\"calls\": \"%s\"}",
						       r.insns, r.bytes,
						       r.frame ? "true" :
								 "false",
						       strcmp(r.calls, "-") ?
							       r.calls :
							       "");
					else
						printf("\"error\": \"%s\"}",
						       r.error);
					first = false;
				} else if (r.ok) {
					printf("%-8s %-14s %-8s %6d %6d %6s  "
					       "%s\n",
					       functions[f],
					       cli_strategy_name(s),
					       cli_arches[a], r.insns, r.bytes,
					       r.frame ? "yes" : "no", r.calls);
				} else {
					printf("%-8s %-14s %-8s  n/a: %s\n",
					       functions[f],
					       cli_strategy_name(s),
					       cli_arches[a], r.error);
				}
			}
		}
	}
	if (json)
		printf("]}\n");
	return rc;
}
