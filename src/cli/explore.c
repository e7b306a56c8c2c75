// SPDX-License-Identifier: MIT
/* krseq explore: to be written. */
#include "cli.h"

#include <stdio.h>

int cli_explore(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "krseq explore: not written yet\n");
	return 2;
}
