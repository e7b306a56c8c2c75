// SPDX-License-Identifier: MIT
/* The krseq command's JSON writer (json.h). */
#include "json.h"

#include <math.h>

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->more[0] = false;
	j->after_key = false;
}

/* The separator a value or a key needs before it. */
static void before(struct json *j)
{
	if (j->after_key)
		j->after_key = false;
	else if (j->more[j->depth])
		fputs(", ", j->f);
	j->more[j->depth] = true;
}

void json_open(struct json *j, char c)
{
	before(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->more[j->depth] = false;
}

void json_close(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (!j->depth)
		fputc('\n', j->f);
}

static void quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
	before(j);
	quoted(j->f, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	before(j);
	quoted(j->f, s);
}

void json_ulong(struct json *j, unsigned long v)
{
	before(j);
	fprintf(j->f, "%lu", v);
}

void json_int(struct json *j, long v)
{
	before(j);
	fprintf(j->f, "%ld", v);
}

void json_double(struct json *j, double v, int decimals)
{
	before(j);
	if (isfinite(v))
		fprintf(j->f, "%.*f", decimals, v);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, bool v)
{
	before(j);
	fputs(v ? "true" : "false", j->f);
}
