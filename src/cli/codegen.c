// SPDX-License-Identifier: MIT
/* krseq codegen: to be written. */
#include "cli.h"

#include <stdio.h>

int cli_codegen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "krseq codegen: not written yet\n");
	return 2;
}
