/* SPDX-License-Identifier: MIT */
/*
 * The one option parser of the krseq command: every subcommand describes
 * its options in a table and gets the same syntax (--opt VALUE, --opt=VALUE)
 * and the same messages, each "krseq CMD: " and the option's name.
 */
#ifndef KRSEQ_CLI_OPTS_H
#define KRSEQ_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The values a list or a choice may take, by number. */
struct cli_names {
	const char *const *names; /* indexed by value; NULL: a hole */
	int n;
	unsigned int avail; /* the values this arch has; 0: every one */
};

enum cli_opt_kind {
	CLI_FLAG, /* bool: set when given */
	CLI_NUMBER, /* unsigned long in [min, max] */
	CLI_LIST, /* unsigned int: a bit per value, comma-separated or all */
	CLI_CHOICE, /* int: one value of the names */
	CLI_STRING, /* const char *, not empty */
	CLI_OUTPUT, /* struct cli_output: a file opened by cli_open_outputs */
};

/* An output file: its path when given, the stream once opened. */
struct cli_output {
	const char *opt, *path;
	FILE *f;
};

struct cli_opt {
	const char *name; /* "--show"; NULL ends the table */
	enum cli_opt_kind kind;
	void *dest;
	unsigned long min, max; /* CLI_NUMBER */
	const struct cli_names *names; /* CLI_LIST, CLI_CHOICE */
};

/* Prints "krseq CMD: MESSAGE" and a hint to --help; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Table entries; the conditional makes the compiler check dest's type. */
#define CLI_DEST(d, type) ((void *)(1 ? (d) : (type *)0))
#define CLI_OPT_FLAG(n, d)                                                     \
	{                                                                      \
		.name = (n), .kind = CLI_FLAG, .dest = CLI_DEST(d, bool)       \
	}
#define CLI_OPT_NUMBER(n, d, lo, hi)                                           \
	{                                                                      \
		.name = (n), .kind = CLI_NUMBER,                               \
		.dest = CLI_DEST(d, unsigned long), .min = (lo), .max = (hi)   \
	}
#define CLI_OPT_LIST(n, d, nm)                                                 \
	{                                                                      \
		.name = (n), .kind = CLI_LIST,                                 \
		.dest = CLI_DEST(d, unsigned int), .names = (nm)               \
	}
#define CLI_OPT_CHOICE(n, d, nm)                                               \
	{                                                                      \
		.name = (n), .kind = CLI_CHOICE, .dest = CLI_DEST(d, int),     \
		.names = (nm)                                                  \
	}
#define CLI_OPT_STRING(n, d)                                                   \
	{                                                                      \
		.name = (n), .kind = CLI_STRING,                               \
		.dest = CLI_DEST(d, const char *)                              \
	}
#define CLI_OPT_OUTPUT(n, d)                                                   \
	{                                                                      \
		.name = (n), .kind = CLI_OUTPUT,                               \
		.dest = CLI_DEST(d, struct cli_output)                         \
	}
#define CLI_OPT_END                                                            \
	{                                                                      \
		.name = NULL                                                   \
	}

/*
 * Parses argv[1..argc-1] against opts; --help and -h call help(stdout). Lists
 * given twice add up. Returns -1 to go on, else the exit status the
 * command returns: 0 after the help, 2 after a message on stderr.
 */
int cli_parse(const char *cmd, int argc, char **argv,
	      const struct cli_opt *opts, void (*help)(FILE *f));

/*
 * A comma-separated list of names, or all, ORed into *mask. Returns false
 * after "krseq CMD: OPT: ..." on stderr.
 */
bool cli_parse_list(const char *cmd, const char *opt, const char *arg,
		    const struct cli_names *names, unsigned int *mask);

/* "a, b, c" (and ", all" for a list): the values the arch has. */
void cli_names_text(const struct cli_names *names, bool list, char *buf,
		    size_t size);

/* Every value the arch has, as a mask. */
unsigned int cli_names_all(const struct cli_names *names);

/*
 * Opens every output file given in opts for writing, before the command's
 * work starts. Returns -1 to go on, else 1 after "krseq CMD: OPT: cannot
 * open 'PATH': why" (and the files opened so far closed).
 */
int cli_open_outputs(const char *cmd, const struct cli_opt *opts);

/* Closes out; false after "krseq CMD: OPT: writing 'PATH': why". */
bool cli_close_output(const char *cmd, struct cli_output *out);

#endif
