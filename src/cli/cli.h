/* SPDX-License-Identifier: MIT */
/* The krseq command: one file per subcommand, this header between them. */
#ifndef KRSEQ_CLI_H
#define KRSEQ_CLI_H

#include <stdbool.h>
#include <stdint.h>

/* The arch this krseq runs on, as the reports name it. */
#if defined(__x86_64__)
#define CLI_ARCH "x86_64"
#elif defined(__aarch64__)
#define CLI_ARCH "aarch64"
#else
#define CLI_ARCH "s390x"
#endif

struct cli_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cli_explore(int argc, char **argv);
int cli_stress(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_codegen(int argc, char **argv);
int cli_compare(int argc, char **argv);

/*
 * Parse a whole number in [min, max] for option opt of command cmd; on bad
 * input print "krseq CMD: OPT wants ..." and return false.
 */
bool cli_number(const char *cmd, const char *opt, const char *arg,
		unsigned long min, unsigned long max, unsigned long *out);
/* A strategy by name (segment, atomic, ...): its KRSEQ_PCP_* or 0. */
int cli_strategy(const char *name);
const char *cli_strategy_name(int strategy);
/* Print "krseq CMD: MESSAGE" and a hint to --help; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool cli_on_terminal(void);

/* Code size of func under a strategy for arch (0 x86_64, 1 aarch64, 2
 * s390x), from tools/codegen/count.sh; ok is false with error said when
 * the compiler is missing or the count failed. */
struct cli_codegen {
	bool ok;
	int insns, bytes, frame;
	char calls[128];
	char error[256];
};
extern const char *const cli_arches[3];
int cli_codegen_count(int arch, int strategy, const char *func,
		      struct cli_codegen *out);

#endif
