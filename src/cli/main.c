// SPDX-License-Identifier: MIT
/* krseq: the command-line front of the library. */
#include "cli.h"

#include <krseq/percpu.h>

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

const struct cli_names cli_strategies = { strategy_names, KRSEQ_PCP_UNSAFE + 1,
					  0 };
/* SEGMENT is x86's %gs prefix, no other arch has it. */
const struct cli_names cli_strategies_here = { strategy_names,
					       KRSEQ_PCP_UNSAFE + 1,
#ifdef __x86_64__
					       0
#else
					       ~(1u << KRSEQ_PCP_SEGMENT)
#endif
};

const char *cli_strategy_name(int strategy)
{
	if (strategy < KRSEQ_PCP_SEGMENT || strategy > KRSEQ_PCP_UNSAFE)
		return "?";
	return strategy_names[strategy];
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
