// SPDX-License-Identifier: MIT
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static __thread char last_error[512];

const char *krseq_last_error(void)
{
	return last_error;
}

int krseq_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return -err;
}

/*
 * The last word on a broken invariant: a message, the interrupted context's
 * backtrace when there is one, and abort().
 */
void krseq_die(ucontext_t *uc, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	krseq_write_str(2, "krseq: ");
	krseq_write_str(2, buf);
	krseq_write_str(2, "\n");
	if (uc)
		krseq_backtrace(2, uc);
	abort();
}
