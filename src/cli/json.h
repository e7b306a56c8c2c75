/* SPDX-License-Identifier: MIT */
/*
 * The one JSON writer of the krseq command: every --json goes through it,
 * so every string is escaped and every separator is where it belongs.
 */
#ifndef KRSEQ_CLI_JSON_H
#define KRSEQ_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 8

struct json {
	FILE *f;
	int depth;
	bool more[JSON_MAX_DEPTH]; /* a value is written at this depth */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
/* '{' or '['; closing the outermost one ends the line. */
void json_open(struct json *j, char c);
void json_close(struct json *j, char c);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_ulong(struct json *j, unsigned long v);
void json_int(struct json *j, long v);
/* With that many decimals; NaN and infinities are null. */
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);

#endif
