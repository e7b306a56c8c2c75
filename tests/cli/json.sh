#!/bin/sh
# Usage: json.sh STATUS FILTER COMMAND [ARGS...]
# COMMAND must exit with STATUS and print one JSON document on stdout that
# jq parses and on which the jq FILTER is true.
status=$1 filter=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out"
rc=$?
if [ "$rc" != "$status" ]; then
	echo "exit status $rc, wanted $status"
	exit 1
fi
if ! jq -e "$filter" "$out" >/dev/null; then
	echo "jq: not true: $filter"
	head -c 2000 "$out"
	exit 1
fi
echo "ok: $(wc -c <"$out") bytes of JSON"
