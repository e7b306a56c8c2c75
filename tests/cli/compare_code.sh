#!/bin/sh
# Usage: compare_code.sh FILTER ABI OTHER_ABI KRSEQ [COMPARE ARGS...]
# `krseq compare --json --abi ABI` must exit 0 with the jq FILTER true of
# its output, and its code columns must be foo()'s figures from `krseq
# codegen --json --abi ABI`, target by target, for every row (no cell
# missing, none extra), and its s390x cells must not be OTHER_ABI's (where the two ABIs differ most): the check tells them apart,
# so a compare that compiled in the wrong one fails it.
filter=$1 abi=$2 other=$3 krseq=$4
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$krseq" compare --json --quiet --abi "$abi" "$@" >"$tmp/compare.json"; then
	echo "FAIL: krseq compare --abi $abi $* exited non-zero"
	exit 1
fi
if ! jq -e "$filter" "$tmp/compare.json" >/dev/null; then
	echo "FAIL: jq: not true: $filter"
	head -c 2000 "$tmp/compare.json"
	exit 1
fi
if ! "$krseq" codegen --json --abi "$abi" >"$tmp/codegen-$abi.json" ||
	! "$krseq" codegen --json --abi "$other" --arch s390x >"$tmp/codegen-other.json"; then
	echo "FAIL: krseq codegen exited non-zero"
	exit 1
fi
# "strategy target" -> [insns, bytes], of compare's rows and of codegen's
# results for the strategies compare has rows for.
cells='[.strategies[] | .name as $n | .bytes as $b | .insns | to_entries[]
	| {key: "\($n) \(.key)", value: [.value, $b[.key]]}] | from_entries'
code='[$c[0].strategies[].name] as $rows
	| [.results[] | select(.function == "foo" and .insns != null
		and (.strategy | IN($rows[])))
	| {key: "\(.strategy) \(.arch)", value: [.insns, .bytes]}] | from_entries'
jq -S "$cells" "$tmp/compare.json" >"$tmp/cells.json" || exit 1
for a in "$abi" other; do
	jq -S --slurpfile c "$tmp/compare.json" "$code" "$tmp/codegen-$a.json" \
		>"$tmp/code-$a.json" || exit 1
done
if [ "$(jq length "$tmp/cells.json")" -lt 1 ]; then
	echo "FAIL: compare shows no code cell"
	exit 1
fi
if ! cmp -s "$tmp/cells.json" "$tmp/code-$abi.json"; then
	echo "FAIL: compare --abi $abi is not codegen --abi $abi:"
	diff "$tmp/code-$abi.json" "$tmp/cells.json" | head -20
	exit 1
fi
jq -S --slurpfile o "$tmp/code-other.json" \
	'with_entries(select(.key | IN($o[0] | keys[])))' "$tmp/cells.json" \
	>"$tmp/cells-other.json" || exit 1
if [ "$(jq length "$tmp/cells-other.json")" -lt 1 ] ||
	cmp -s "$tmp/cells-other.json" "$tmp/code-other.json"; then
	echo "FAIL: compare --abi $abi is codegen --abi $other too: the check cannot tell them apart"
	exit 1
fi
echo "ok: $(jq length "$tmp/cells.json") cells of compare --abi $abi are codegen's"
