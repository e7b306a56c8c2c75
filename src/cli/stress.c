// SPDX-License-Identifier: MIT
/* krseq stress: to be written. */
#include "cli.h"

#include <stdio.h>

int cli_stress(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "krseq stress: not written yet\n");
	return 2;
}
