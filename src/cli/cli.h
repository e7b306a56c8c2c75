/* SPDX-License-Identifier: MIT */
/* The krseq command: one file per subcommand, this header between them. */
#ifndef KRSEQ_CLI_H
#define KRSEQ_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "json.h"
#include "opts.h"

#include <krseq/scheme.h>

/* The arch this krseq runs on, as the reports name it. */
#define CLI_ARCH (krseq_arch_names[KRSEQ_ARCH_HERE])

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

const char *cli_strategy_name(int strategy);
/* Every scheme by id (KRSEQ_PCP_* and loaded ones), and those this arch
 * runs. */
extern struct cli_names cli_strategies, cli_strategies_here;
/* Those this arch runs, for a help text: "unsafe, ..., fixup, all". */
const char *cli_strategies_help(void);
bool cli_on_terminal(void);

/* CLOCK_MONOTONIC in ns: every time the command measures. */
uint64_t cli_now_ns(void);
/* Median (of the two middle ones when n is even), min and max of v[n]. */
struct cli_stat {
	double median, min, max;
};
struct cli_stat cli_stat_of(const double *v, unsigned long n);

/*
 * A bare signal delivery (bare_signal.c): tgkill to this thread, an empty
 * handler on a spare real-time signal, what any interrupt costs before
 * krseq's entry runs. open returns -1 if no real-time signal is spare;
 * ns is the mean of n deliveries; close gives the signal back.
 */
struct cli_bare_signal {
	int sig;
	pid_t pid, tid;
	struct sigaction old;
};
int cli_bare_signal_open(struct cli_bare_signal *b);
double cli_bare_signal_ns(const struct cli_bare_signal *b, unsigned long n);
void cli_bare_signal_close(struct cli_bare_signal *b);

/*
 * Runs argv[0] (looked up in PATH) with its stdin, stdout and stderr on
 * in, out and err (-1: ours) and waits: its exit status, 128 + the
 * signal that killed it, 127 if it could not start, -1 if fork failed.
 */
int cli_run(char *const argv[], int in, int out, int err);

/*
 * The ABI code is compiled for: the library's (user: the thread area in
 * TLS), or the kernel's addressing and flags (compile-only).
 */
enum cli_abi {
	CLI_ABI_USER,
	CLI_ABI_KERNEL,
	CLI_NR_ABIS
};
extern const struct cli_names cli_abis;

/* Where the armed slot lives (enum krseq_placement): task, cpu. */
extern const struct cli_names cli_placements;

/*
 * codegen's rows: an arch, or one alternative of aarch64's two (LSE,
 * LL/SC), each compiled alone as the kernel patches one in place.
 */
struct cli_codegen_target {
	const char *name;
	enum krseq_arch arch;
};
#define CLI_NR_CODEGEN_TARGETS 4
extern const struct cli_codegen_target
	cli_codegen_targets[CLI_NR_CODEGEN_TARGETS];

/* Code size of func under a strategy for target (an arch name, or
 * aarch64-lse/aarch64-llsc) in abi, from tools/codegen/count.sh; ok is
 * false with error said when the compiler is missing or the count failed.
 * mnemonics: the instructions' mnemonics in order, comma-separated. */
struct cli_codegen {
	bool ok;
	int insns, bytes, frame;
	char calls[128];
	char mnemonics[512];
	char error[256];
};
/*
 * Before any work: a KRSEQ_TOOLS_DIR that is set must hold count.sh.
 * Returns -1 to go on, else 2 after "krseq CMD: ..." on stderr.
 */
int cli_codegen_check(const char *cmd);
int cli_codegen_count(const char *target, enum cli_abi abi, int strategy,
		      const char *func, struct cli_codegen *out);

#endif
