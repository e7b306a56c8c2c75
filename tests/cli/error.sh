#!/bin/sh
# Usage: error.sh STATUS MESSAGE COMMAND [ARGS...]
# COMMAND must exit with STATUS, print nothing on stdout, and print a first
# line on stderr that matches MESSAGE, a shell pattern (so a '*' stands for
# what differs between arches).
status=$1 msg=$2
shift 2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
rc=$?
first=$(head -n 1 "$err")
fail=0
if [ "$rc" != "$status" ]; then
	echo "exit status $rc, wanted $status"
	fail=1
fi
if [ -s "$out" ]; then
	echo "stdout is not empty:"
	head -c 300 "$out"
	fail=1
fi
# shellcheck disable=SC2254 # MESSAGE is a pattern
case $first in
$msg) ;;
*)
	echo "stderr: $first"
	echo "wanted: $msg"
	fail=1
	;;
esac
[ "$fail" = 0 ] && echo "ok: $first"
exit "$fail"
