// SPDX-License-Identifier: MIT
/* krseq: the command-line front of the library. */
#include "cli.h"

#include <krseq/percpu.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cli_cmd commands[] = {
	{ "compare", "every strategy for the seed's foo(): correct, cost, code",
	  cli_compare },
	{ "bench", "cost of every op x strategy as ratios to UNSAFE",
	  cli_bench },
	{ "codegen", "instructions, bytes, frame and calls per arch x strategy",
	  cli_codegen },
	{ "explore", "interrupt every instruction boundary of every op",
	  cli_explore },
	{ "stress", "param_test-style workloads under tick and IPI storms",
	  cli_stress },
};

static const char *const strategy_names[] = {
	[KRSEQ_PCP_SEGMENT] = "segment",
	[KRSEQ_PCP_ATOMIC] = "atomic",
	[KRSEQ_PCP_PREEMPT] = "preempt",
	[KRSEQ_PCP_IRQ] = "irq",
	[KRSEQ_PCP_RESTART] = "restart",
	[KRSEQ_PCP_RESTART_SCHED] = "restart_sched",
	[KRSEQ_PCP_FIXUP] = "fixup",
	[KRSEQ_PCP_UNSAFE] = "unsafe",
};

int cli_strategy(const char *name)
{
	for (int s = KRSEQ_PCP_SEGMENT; s <= KRSEQ_PCP_UNSAFE; s++)
		if (!strcmp(name, strategy_names[s]))
			return s;
	return 0;
}

const char *cli_strategy_name(int strategy)
{
	if (strategy < KRSEQ_PCP_SEGMENT || strategy > KRSEQ_PCP_UNSAFE)
		return "?";
	return strategy_names[strategy];
}

bool cli_number(const char *cmd, const char *opt, const char *arg,
		unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || v < min ||
	    v > max) {
		fprintf(stderr,
			"krseq %s: %s wants a whole number from %lu to %lu, "
			"not '%s'\n",
			cmd, opt, min, max, arg);
		return false;
	}
	*out = v;
	return true;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "krseq %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(krseq %s --help lists the options)\n", cmd);
	return 2;
}

bool cli_on_terminal(void)
{
	return isatty(STDERR_FILENO);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: krseq COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nkrseq COMMAND --help describes one.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "krseq: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
