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

/* The schemes' names and where they run: the registry's. */
#define NAME(n, name, ...) [n] = name,
static const char *const strategy_names[KRSEQ_NR_SCHEMES] = {
	KRSEQ_FOR_EACH_SCHEME(NAME)
};
#undef NAME
#define OFF_HERE(n, ...)                                                       \
	| (KRSEQ_SCHEME_SIZES_HERE(n) == KRSEQ_SIZES_NONE ? 1u << (n) : 0u)
#define NOT_HERE (0u KRSEQ_FOR_EACH_SCHEME(OFF_HERE))

const struct cli_names cli_strategies = { strategy_names, KRSEQ_NR_SCHEMES, 0 };
const struct cli_names cli_strategies_here = { strategy_names, KRSEQ_NR_SCHEMES,
					       NOT_HERE ? ~NOT_HERE : 0 };

const char *cli_strategies_help(void)
{
	static char text[512];

	if (!text[0])
		cli_names_text(&cli_strategies_here, true, text, sizeof(text));
	return text;
}

const char *cli_strategy_name(int strategy)
{
	return krseq_scheme_name(strategy);
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
