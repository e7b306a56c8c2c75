// SPDX-License-Identifier: MIT
/* krseq compare: to be written. */
#include "cli.h"

#include <stdio.h>

int cli_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "krseq compare: not written yet\n");
	return 2;
}
