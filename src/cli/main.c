// SPDX-License-Identifier: MIT
/* krseq: the command-line front of the library. */
#include "cli.h"

#include <krseq/scheme.h>

#include <dlfcn.h>

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

/*
 * The schemes' names and where they run: the registry's, built-in and
 * loaded, filled in once the modules are loaded.
 */
static const char *strategy_names[KRSEQ_MAX_SCHEMES];
struct cli_names cli_strategies = { strategy_names, 0, 0 },
		 cli_strategies_here = { strategy_names, 0, 0 };

static const char *const placement_names[KRSEQ_NR_PLACEMENTS] = {
	[KRSEQ_PLACE_TASK] = "task",
	[KRSEQ_PLACE_CPU] = "cpu",
};
const struct cli_names cli_placements = { placement_names, KRSEQ_NR_PLACEMENTS,
					  0 };

static void strategies_fill(void)
{
	int n = krseq_scheme_count();

	for (int s = 1; s < n; s++) {
		strategy_names[s] = krseq_scheme_name(s);
		if (krseq_scheme_on(s, KRSEQ_ARCH_HERE))
			cli_strategies_here.avail |= 1u << s;
	}
	cli_strategies.n = cli_strategies_here.n = n;
}

/*
 * krseq --load LIB: a shared object whose constructor registers schemes
 * (<krseq/scheme.h>), which every command then takes by name.
 */
static int load(const char *path)
{
	int before = krseq_scheme_count();

	if (!dlopen(path, RTLD_NOW | RTLD_GLOBAL)) {
		fprintf(stderr, "krseq: --load %s: %s\n", path, dlerror());
		return 2;
	}
	if (krseq_scheme_count() == before) {
		fprintf(stderr,
			"krseq: --load %s: it registered no scheme (%s)\n",
			path,
			krseq_last_error()[0] ? krseq_last_error() :
						"no krseq_scheme_register() "
						"call ran");
		return 2;
	}
	return 0;
}

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
	fprintf(f, "usage: krseq [--load LIB.so]... COMMAND [OPTIONS]\n\n"
		   "  --load LIB.so  load a shared object that registers "
		   "schemes of its own\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nkrseq COMMAND --help describes one.\n");
}

int main(int argc, char **argv)
{
	while (argc >= 2 && !strncmp(argv[1], "--load", 6)) {
		const char *path = argv[1][6] == '=' ? argv[1] + 7 : argv[2];
		int shift = argv[1][6] == '=' ? 1 : 2;

		if ((argv[1][6] && argv[1][6] != '=') || !path || !*path) {
			fprintf(stderr, "krseq: --load needs a shared "
					"object's path\n");
			return 2;
		}
		if (load(path))
			return 2;
		argc -= shift;
		argv += shift;
	}
	strategies_fill();
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
