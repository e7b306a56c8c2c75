// SPDX-License-Identifier: MIT
/* krseq bench: to be written. */
#include "cli.h"

#include <stdio.h>

int cli_bench(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "krseq bench: not written yet\n");
	return 2;
}
