#!/bin/sh
# A compiler that fails: noise on stdout, then an error line holding a
# quote, a backslash, a tab and a control character on stderr.
echo "noise on stdout"
printf 'ops.c:1:1: error: "quoted" \\ backslash\ttab\001control\n' >&2
exit 1
