// SPDX-License-Identifier: MIT
/* The krseq command's JSON writer: separators and string escapes. */
#include "../src/cli/json.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

static char *written(void (*write)(struct json *j))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	assert_non_null(f);
	json_init(&j, f);
	write(&j);
	fclose(f);
	return buf;
}

static void nested(struct json *j)
{
	json_open(j, '{');
	json_key(j, "a");
	json_ulong(j, 1);
	json_key(j, "b");
	json_open(j, '[');
	json_bool(j, true);
	json_int(j, -2);
	json_double(j, 0.5, 3);
	json_double(j, NAN, 3);
	json_open(j, '{');
	json_close(j, '}');
	json_close(j, ']');
	json_key(j, "c");
	json_string(j, "");
	json_close(j, '}');
}

static void separators(void **state)
{
	char *s = written(nested);

	(void)state;
	assert_string_equal(
		s,
		"{\"a\": 1, \"b\": [true, -2, 0.500, null, {}], \"c\": \"\"}\n");
	free(s);
}

static void escapes_of(struct json *j)
{
	json_open(j, '{');
	json_key(j, "k\"ey");
	json_string(j, "say \"no\" \\ then\nnext\ttab\r\x01\x1f\x7f é");
	json_close(j, '}');
}

static void escapes(void **state)
{
	char *s = written(escapes_of);

	(void)state;
	assert_string_equal(s, "{\"k\\\"ey\": \"say \\\"no\\\" \\\\ then\\nnext"
			       "\\ttab\\r\\u0001\\u001f\\u007f é\"}\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(separators),
		cmocka_unit_test(escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
