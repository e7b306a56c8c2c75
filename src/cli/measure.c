// SPDX-License-Identifier: MIT
/* The krseq command's one clock and one median (cli.h). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t cli_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct cli_stat cli_stat_of(const double *v, unsigned long n)
{
	double *s = malloc(n * sizeof(*s));
	struct cli_stat st = { 0, 0, 0 };

	if (!s || !n) {
		free(s);
		return st;
	}
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	st.min = s[0];
	st.max = s[n - 1];
	st.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return st;
}
