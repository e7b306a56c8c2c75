#!/usr/bin/env bash
# The code each strategy emits for the seed's foo(), per arch, from the
# disassembly of the cross-compiled object (tools/codegen/count.sh):
# - RESTART (irq flavour): no call, no stack frame, at most 3 instructions
#   more than UNSAFE;
# - SEGMENT (x86_64): one %gs-prefixed read-modify-write and no other
#   memory access;
# - PREEMPT: the preempt count touched (increment, decrement and test) and
#   a call to the preempt-schedule path, as the seed's PREEMPT_LAZY listing.
# Usage: check.sh REGISTRY_SH (the build tree's registry.sh): every scheme
# with an 8-byte sequence (foo's) on each arch is counted there.
set -uo pipefail

# shellcheck source=/dev/null
. "$1"

here=$(cd "$(dirname "$0")/../../tools/codegen" && pwd)
fails=0

field() { sed -E "s/.*\b$1=([^ ]+).*/\1/" <<<"$2"; }

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

printf '%-8s %-14s %s\n' arch strategy counts
for arch in $KRSEQ_ARCHES; do
	declare -A c=()
	for s in $KRSEQ_SCHEMES; do
		krseq_has "$s" "$arch" 8 || continue
		if ! c[$s]=$("$here/count.sh" "$arch" "$s" 2>&1); then
			fail "$arch $s: ${c[$s]}"
			continue
		fi
		printf '%-8s %-14s %s\n' "$arch" "$s" "${c[$s]}"
	done

	rs=$KRSEQ_PCP_RESTART un=$KRSEQ_PCP_UNSAFE pr=$KRSEQ_PCP_PREEMPT
	sg=$KRSEQ_PCP_SEGMENT
	u=$(field insns "${c[$un]}")
	r=$(field insns "${c[$rs]}")
	[ "$(field calls "${c[$rs]}")" = - ] || fail "$arch $rs calls $(field calls "${c[$rs]}")"
	[ "$(field frame "${c[$rs]}")" = 0 ] || fail "$arch $rs builds a stack frame"
	[ "$r" -le $((u + 3)) ] || fail "$arch $rs: $r instructions, $un $u: more than 3 extra"

	p=${c[$pr]}
	[[ "$(field calls "$p")" == *krseq_preempt_schedule* ]] ||
		fail "$arch $pr: no call to the preempt-schedule path"
	[ "$(field preempt_count "$p")" -ge 2 ] ||
		fail "$arch $pr: preempt_count touched $(field preempt_count "$p") times"

	if krseq_has "$sg" "$arch" 8; then
		g=${c[$sg]}
		[ "$(field gs_rmw "$g")" = 1 ] || fail "$arch $sg: $(field gs_rmw "$g") %gs read-modify-writes"
		[ "$(field mem "$g")" = 1 ] || fail "$arch $sg: $(field mem "$g") memory accesses"
		[ "$(field calls "$g")" = - ] || fail "$arch $sg makes calls"
	fi
	unset c
done
echo
echo "codegen: $fails failed checks"
[ "$fails" -eq 0 ]
