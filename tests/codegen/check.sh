#!/usr/bin/env bash
# The code each strategy emits for the seed's foo(), per arch, from the
# disassembly of the cross-compiled object (tools/codegen/count.sh):
# - RESTART (irq flavour): no call, no stack frame, at most 3 instructions
#   more than UNSAFE;
# - SEGMENT (x86_64): one %gs-prefixed read-modify-write and no other
#   memory access;
# - PREEMPT: the preempt count touched (increment, decrement and test) and
#   a call to the preempt-schedule path, as the seed's PREEMPT_LAZY listing.
set -uo pipefail

here=$(cd "$(dirname "$0")/../../tools/codegen" && pwd)
fails=0

field() { sed -E "s/.*\b$1=([^ ]+).*/\1/" <<<"$2"; }

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

printf '%-8s %-14s %s\n' arch strategy counts
for arch in x86_64 aarch64 s390x; do
	declare -A c=()
	strategies="unsafe restart restart_sched fixup atomic preempt irq"
	[ "$arch" = x86_64 ] && strategies="segment $strategies"
	for s in $strategies; do
		if ! c[$s]=$("$here/count.sh" "$arch" "$s" 2>&1); then
			fail "$arch $s: ${c[$s]}"
			continue
		fi
		printf '%-8s %-14s %s\n' "$arch" "$s" "${c[$s]}"
	done

	u=$(field insns "${c[unsafe]}")
	r=$(field insns "${c[restart]}")
	[ "$(field calls "${c[restart]}")" = - ] || fail "$arch restart calls $(field calls "${c[restart]}")"
	[ "$(field frame "${c[restart]}")" = 0 ] || fail "$arch restart builds a stack frame"
	[ "$r" -le $((u + 3)) ] || fail "$arch restart: $r instructions, unsafe $u: more than 3 extra"

	p=${c[preempt]}
	[[ "$(field calls "$p")" == *krseq_preempt_schedule* ]] ||
		fail "$arch preempt: no call to the preempt-schedule path"
	[ "$(field preempt_count "$p")" -ge 2 ] ||
		fail "$arch preempt: preempt_count touched $(field preempt_count "$p") times"

	if [ "$arch" = x86_64 ]; then
		sg=${c[segment]}
		[ "$(field gs_rmw "$sg")" = 1 ] || fail "x86_64 segment: $(field gs_rmw "$sg") %gs read-modify-writes"
		[ "$(field mem "$sg")" = 1 ] || fail "x86_64 segment: $(field mem "$sg") memory accesses"
		[ "$(field calls "$sg")" = - ] || fail "x86_64 segment makes calls"
	fi
	unset c
done
echo
echo "codegen: $fails failed checks"
[ "$fails" -eq 0 ]
